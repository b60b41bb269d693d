/** The SDK's stdio server transport (see src/sdk/server.ts for why this folder). */
export { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
