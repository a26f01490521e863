"use strict";
require("./exec.js")("auth.py");
