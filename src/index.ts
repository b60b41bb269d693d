/**
 * The package's entry for embedding the server: the DigiCert client, the MCP server factory and the catalog; the
 * transport is the MCP SDK's own. `digicert-partner-mcp/sandbox` adds the local DigiCert emulator
 * (test/packaging/embed.test.ts builds a server from these two entries alone).
 *
 *   import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
 *   const client = new DigiCertClient({ credentials: { parentKey } });
 *   const server = createMcpServer({ client, logger: createLogger(), version: "1.0.0", confirmation });
 *   await server.connect(new StdioServerTransport());
 */
export { type Answer, type Drift, driftText } from "./client/answer.js";
export {
  type CallOptions,
  type CallResult,
  type ClientOptions,
  DEFAULT_TIMEOUTS,
  DIGICERT_ORIGIN,
  DigiCertClient,
  type Timeouts,
} from "./client/client.js";
export type { Credentials } from "./client/credentials.js";
export { DigiCertError, type ErrorKind } from "./client/errors.js";
export { createLogger, type Logger } from "./logging.js";
export * from "./mcp/index.js";
export {
  getOperation,
  inputSchema,
  OPERATIONS,
  type Operation,
  type OperationName,
  TOOLSET_INFO,
  type Toolset,
} from "./operations/index.js";
export { packageVersion } from "./version.js";
