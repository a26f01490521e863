"use strict";
// The shared runner is in the kit's shim library (/actspec/lib in job containers).
require((process.env.ACTSPEC_SHIM_LIB || "/actspec/lib") + "/exec.js")(__dirname, "post.py");
