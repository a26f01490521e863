"use strict";
require("./exec.js")("save.py");
