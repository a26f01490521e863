// Runs a python script of this shim with the actspec shim library on PYTHONPATH and
// exits with its status.  JavaScript is only the vehicle that gives the action a post step.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

module.exports = function run(script) {
  const env = Object.assign({}, process.env);
  const lib = env.ACTSPEC_SHIM_LIB || "/actspec/lib";
  if (fs.existsSync(lib)) {
    env.PYTHONPATH = env.PYTHONPATH ? lib + path.delimiter + env.PYTHONPATH : lib;
  }
  const result = spawnSync("python3", [path.join(__dirname, script)], { stdio: "inherit", env });
  if (result.error) {
    process.stdout.write("::error::actspec shim: cannot run python3: " + result.error.message + "\n");
    process.exitCode = 1;
    return;
  }
  process.exitCode = result.status === null ? 1 : result.status;
};
