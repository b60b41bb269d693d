/** The SDK's Streamable HTTP server transport, loaded only with --http (see src/sdk/server.ts). */
export { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
