// Floors for the stdio benchmarks: the least a stdio MCP server can cost, on the same pipes, Node and SDK.
//   node bench/floor-server.mjs echo     raw newline-delimited JSON-RPC, no SDK on this side: answers every
//                                        request with {"result":{}} at once (the pipes and JSON, nothing else)
//   node bench/floor-server.mjs trivial  the SDK's McpServer + StdioServerTransport with one tool that returns a
//                                        fixed short text (the SDK's dispatch and zod argument check)
//   node bench/floor-server.mjs proxy    the same, the tool making the same DigiCert call (DigiCertClient.call
//                                        to the sandbox in DIGICERT_BASE_URL) and returning its data as JSON text:
//                                        what the simplest server doing this job costs
// The tool is named get_acme_contract and takes { acme_contract_id }, like ours, so one client call fits all.
import { createInterface } from "node:readline";

const mode = process.argv[2] ?? "trivial";

if (mode === "echo") {
  const lines = createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    const msg = JSON.parse(line);
    if (msg.id === undefined) return;
    const result =
      msg.method === "initialize"
        ? {
            protocolVersion: msg.params.protocolVersion,
            capabilities: { tools: {} },
            serverInfo: { name: "echo", version: "0" },
          }
        : msg.method === "tools/call"
          ? { content: [{ type: "text", text: "ok" }] }
          : {};
    process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", id: msg.id, result })}\n`);
  });
  lines.on("close", () => process.exit(0));
} else {
  const { McpServer } = await import("@modelcontextprotocol/sdk/server/mcp.js");
  const { StdioServerTransport } = await import("@modelcontextprotocol/sdk/server/stdio.js");
  const { z } = await import("zod");
  const server = new McpServer({ name: `floor-${mode}`, version: "0.0.0" });
  let handler;
  if (mode === "proxy") {
    const { DigiCertClient } = await import("../dist/src/client/client.js");
    const { getOperation } = await import("../dist/src/operations/index.js");
    const op = getOperation("get_acme_contract");
    const client = new DigiCertClient({
      baseUrl: process.env.DIGICERT_BASE_URL,
      credentials: {
        parentKey: process.env.DIGICERT_PARTNER_API_KEY,
        subaccountKey: process.env.DIGICERT_SUBACCOUNT_API_KEY,
        devkey: process.env.DIGICERT_DEVKEY,
      },
    });
    handler = async (args) => {
      const res = await client.call(op, args);
      return { content: [{ type: "text", text: JSON.stringify(res.data) }] };
    };
  } else if (mode === "trivial") {
    handler = async (args) => ({ content: [{ type: "text", text: `contract ${args.acme_contract_id}` }] });
  } else {
    console.error(`unknown mode ${mode}`);
    process.exit(2);
  }
  server.registerTool(
    "get_acme_contract",
    { description: "floor", inputSchema: { acme_contract_id: z.number().int() } },
    handler,
  );
  await server.connect(new StdioServerTransport());
  process.stdin.on("end", () => process.exit(0));
}
