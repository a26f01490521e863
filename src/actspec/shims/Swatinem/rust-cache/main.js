"use strict";
require("./exec.js")("restore.py");
