"use strict";
require("./exec.js")("revoke.py");
