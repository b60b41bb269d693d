import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { McpServer } from "../../src/sdk/server.js";
import { type RunningHttpServer, startHttpServer } from "../../src/transports/http.js";
import type { ServerContext } from "../../src/transports/types.js";
import {
  httpConfig,
  INITIALIZE,
  mcpHeaders,
  memoryLogger,
  raw,
  realServer,
  TOKEN_A,
  TOKEN_B,
} from "./helpers.js";

// --stateless keeps a request's server for the same caller's next request (building one per request was most
// of a stateless request's cost): never for another token, never one in use, never after initialize.
const { logger } = memoryLogger();
let real: Awaited<ReturnType<typeof realServer>>;
let server: RunningHttpServer;
let built: string[];
const held: (() => void)[] = [];
const release = () => {
  for (const r of held.splice(0)) r();
};
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

beforeAll(async () => {
  real = await realServer(logger);
});
afterAll(async () => {
  await real.close();
});
afterEach(async () => {
  await server?.close();
});

async function start(): Promise<void> {
  built = [];
  server = await startHttpServer(httpConfig({ stateless: true }), {
    logger,
    version: "9.9.9-test",
    // token B's servers are read-only: which token's server answered shows in tools/list
    createServer: (context?: ServerContext): McpServer => {
      built.push(context?.principal.name ?? "none");
      const s = context?.principal.name === "MCP_HTTP_TOKEN#2" ? readOnlyServer() : real.createServer();
      // a tool that answers when the test says so: requests served at the same time
      s.registerTool("hold", {}, async () => {
        await new Promise<void>((resolve) => held.push(resolve));
        return { content: [{ type: "text", text: "held" }] };
      });
      return s;
    },
  });
}

// the helpers' real server without its write tools (the catalog's read tools only)
type Registered = Record<string, { annotations?: { readOnlyHint?: boolean }; remove(): void }>;
function readOnlyServer(): McpServer {
  const s = real.createServer();
  for (const tool of Object.values((s as unknown as { _registeredTools: Registered })._registeredTools)) {
    if (!tool.annotations?.readOnlyHint) tool.remove();
  }
  return s;
}

let nextId = 10;
async function listTools(token: string): Promise<string[]> {
  const res = await raw(server.url, {
    headers: mcpHeaders(token, { "mcp-protocol-version": "2025-06-18" }),
    body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method: "tools/list", params: {} }),
  });
  expect(res.status).toBe(200);
  const msg = JSON.parse(res.body) as { result: { tools: { name: string }[] } };
  return msg.result.tools.map((t) => t.name).sort();
}

describe("--stateless servers kept between requests", () => {
  it("serves the same caller's next requests with the server already built, with the same answers", async () => {
    await start();
    const first = await listTools(TOKEN_A);
    expect(await listTools(TOKEN_A)).toEqual(first);
    expect(await listTools(TOKEN_A)).toEqual(first);
    expect(built).toEqual(["MCP_HTTP_TOKEN#1"]);
  });

  it("never gives one token's server to another token", async () => {
    await start();
    const a = await listTools(TOKEN_A);
    const b = await listTools(TOKEN_B);
    expect(b.length).toBeGreaterThan(0);
    expect(b.length).toBeLessThan(a.length);
    for (let i = 0; i < 3; i++) {
      expect(await listTools(TOKEN_B)).toEqual(b);
      expect(await listTools(TOKEN_A)).toEqual(a);
    }
    expect(built).toEqual(["MCP_HTTP_TOKEN#1", "MCP_HTTP_TOKEN#2"]);
  });

  it("builds a server for each request served at the same time, and keeps them all", async () => {
    await start();
    const calls = () =>
      Array.from({ length: 3 }, () =>
        raw(server.url, {
          headers: mcpHeaders(TOKEN_A, { "mcp-protocol-version": "2025-06-18" }),
          body: JSON.stringify({
            jsonrpc: "2.0",
            id: nextId++,
            method: "tools/call",
            params: { name: "hold" },
          }),
        }),
      );
    const first = calls();
    await until(() => held.length === 3);
    expect(built).toHaveLength(3);
    release();
    for (const r of await Promise.all(first)) expect(JSON.parse(r.body).result.content[0].text).toBe("held");
    const second = calls();
    await until(() => held.length === 3);
    release();
    await Promise.all(second);
    expect(built).toHaveLength(3);
  });

  it("does not keep a server that answered initialize (it would remember the client's capabilities)", async () => {
    await start();
    const init = await raw(server.url, { headers: mcpHeaders(TOKEN_A), body: INITIALIZE });
    expect(init.status).toBe(200);
    await listTools(TOKEN_A);
    expect(built).toHaveLength(2);
    await listTools(TOKEN_A);
    expect(built).toHaveLength(2);
  });

  it("drops the kept servers when the tokens file is reloaded", async () => {
    await start();
    await listTools(TOKEN_A);
    server.replaceFileTokens([]);
    await listTools(TOKEN_A);
    expect(built).toHaveLength(2);
  });
});
