// Runs a python script of a node-shim (rust-cache, setup-rust-toolchain, crates-io-auth)
// with the actspec shim library on PYTHONPATH and exits with its status.  JavaScript is only
// the vehicle that gives those actions a post step.  Shared through the kit's /actspec/lib
// mount: each shim's main.js/post.js calls it with its own directory.
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
  const result = spawnSync("python3", [path.join(actionDir, script)], { stdio: "inherit", env });
  if (result.error) {
    process.stdout.write("::error::actspec shim: cannot run python3: " + result.error.message + "\n");
    process.exitCode = 1;
    return;
  }
  process.exitCode = result.status === null ? 1 : result.status;
};
