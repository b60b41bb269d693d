// The cold-start floor for bench/cold-start.mjs: a minimal stdio MCP server on the same SDK and zod as this
// server, one trivial tool. The benchmark bundles it with rolldown the way scripts/bundle-cli.mjs bundles our
// bin (bundleMinimalServer in bench/floors/bundle-minimal.mjs), so both pay the same for being one file.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "minimal", version: "0.0.0" });
server.registerTool("echo", { description: "Echo", inputSchema: { text: z.string() } }, async ({ text }) => ({
  content: [{ type: "text", text }],
}));
await server.connect(new StdioServerTransport());
