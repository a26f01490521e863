"use strict";
require("./exec.js")("setup.py");
