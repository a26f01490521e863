"use strict";
require("./exec.js")("post.py");
