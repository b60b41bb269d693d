// The floor for bench/http-floors.mjs: a minimal Streamable HTTP server on the same SDK as this server (no
// auth, no rate limit, no logging, no telemetry), written the way the SDK's own examples are. Two tools:
// `echo` (trivial, answers at once) and `get_contract`, which makes the same undici request to the sandbox that
// our get_acme_contract makes to DigiCert (path and key headers; no validation or rendering of the answer), so
// a figure of ours can sit beside a floor doing the same DigiCert round trip.
// Answers are plain JSON (enableJsonResponse), as ours are for clients that cannot elicit.
//   node bench/floors/minimal-http-server.mjs [--stateless] [--upstream PARTNER_API_BASE --key K --devkey D]
// Prints {"port":N} on stdout once listening; exits on SIGTERM or when stdin closes.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { Agent, request } from "undici";
import { z } from "zod";
import { args } from "../lib.mjs";

const opts = args();
const stateless = opts.stateless === true;
const dispatcher = new Agent({ connections: 64 });

function build() {
  const server = new McpServer({ name: "minimal", version: "0.0.0" });
  server.registerTool(
    "echo",
    { description: "Echo", inputSchema: { text: z.string() } },
    async ({ text }) => ({
      content: [{ type: "text", text }],
    }),
  );
  server.registerTool(
    "get_contract",
    { description: "One contract from the upstream", inputSchema: { acme_contract_id: z.number().int() } },
    async ({ acme_contract_id }) => {
      const res = await request(`${opts.upstream}/acme/${acme_contract_id}`, {
        headers: { accept: "application/json", "x-partner-apikey": opts.key, "x-dc-devkey": opts.devkey },
        dispatcher,
      });
      const text = await res.body.text();
      return { content: [{ type: "text", text }], isError: res.statusCode >= 400 };
    },
  );
  return server;
}

async function readJson(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

const sessions = new Map();
const http = createServer(async (req, res) => {
  try {
    const body = req.method === "POST" ? await readJson(req) : undefined;
    if (stateless) {
      const server = build();
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      res.on("close", () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
      return;
    }
    const id = req.headers["mcp-session-id"];
    let transport = id ? sessions.get(id) : undefined;
    if (!transport) {
      const server = build();
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse: true,
        onsessioninitialized: (sid) => sessions.set(sid, transport),
      });
      transport.onclose = () => transport.sessionId && sessions.delete(transport.sessionId);
      await server.connect(transport);
    }
    await transport.handleRequest(req, res, body);
  } catch (err) {
    if (!res.headersSent) res.writeHead(500).end(String(err));
  }
});
http.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: http.address().port })}\n`);
});
const stop = () => http.close(() => process.exit(0)) && http.closeAllConnections();
process.on("SIGTERM", stop);
process.stdin.on("end", stop);
process.stdin.resume();
