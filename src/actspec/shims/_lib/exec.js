// Runs a python script of a shim with the actspec shim library on PYTHONPATH and exits with
// its status.  The real actions these shims stand for are JavaScript actions, and so are the
// shims: act gives a JavaScript action one step (a composite costs act a pre, a main and a
// post step around its own inner step, each with its file-command copies into the
// container), and a post step where the shim needs one.  The script starts through
// `bash -c`, so the run's BASH_ENV hook applies to shims as to `run:` steps: a stubbed job's
// shims do nothing, a step mock can replace a `uses:` step.  Shared through the kit's
// /actspec/lib mount: each shim's main.js/post.js calls it with its own directory.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

module.exports = function run(actionDir, script) {
  const env = Object.assign({}, process.env);
  const lib = env.ACTSPEC_SHIM_LIB || "/actspec/lib";
  if (fs.existsSync(lib)) {
    env.PYTHONPATH = env.PYTHONPATH ? lib + path.delimiter + env.PYTHONPATH : lib;
  }
  // Tells the hook this bash is a shim's, not a `run:` step of the workflow (structure mode
  // stubs those only).
  env.ACTSPEC_SHIM = actionDir;
  const result = spawnSync("bash", ["-c", 'exec python3 "$0"', path.join(actionDir, script)], { stdio: "inherit", env });
  if (result.error) {
    process.stdout.write("::error::actspec shim: cannot run bash: " + result.error.message + "\n");
    process.exitCode = 1;
    return;
  }
  process.exitCode = result.status === null ? 1 : result.status;
};
