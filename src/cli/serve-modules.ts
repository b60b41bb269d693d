// What `serve` loads on every start, in one module: the bundled bin then resolves, reads and links one small
// file for them instead of five (issue 16). src/cli.ts imports it only to serve, so --help, --version and the
// other subcommands stay independent of the tool modules.
export { AuditLog } from "../audit/log.js";
export { ConfirmationTokens, DEFAULT_CONFIRMATION_TTL_MS, unknownSelectionNames } from "../mcp/index.js";
export { serveStdio } from "../transports/stdio.js";
export { openProfiles } from "./profiles.js";
export { serverFactory } from "./server-factory.js";
