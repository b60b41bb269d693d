/**
 * The configuration lives in src/config/. This module keeps the old import path (and dist/src/config.js, which
 * the npm package lists) working.
 */
export * from "./config/index.js";
