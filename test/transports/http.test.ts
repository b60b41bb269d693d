import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type CallToolResult, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { HttpConfig } from "../../src/config/index.js";
import { type RunningHttpServer, startHttpServer } from "../../src/transports/http.js";
import {
  connectClient,
  httpConfig,
  INITIALIZE,
  mcpHeaders,
  memoryLogger,
  raw,
  realServer,
  TOKEN_A,
  TOKEN_B,
} from "./helpers.js";

const log = memoryLogger([TOKEN_A, TOKEN_B]);
let real: Awaited<ReturnType<typeof realServer>>;
beforeAll(async () => {
  real = await realServer(log.logger);
});
afterAll(async () => {
  await real?.close();
});

const running: RunningHttpServer[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0)) await c().catch(() => undefined);
  for (const s of running.splice(0)) await s.close();
});

async function start(overrides: Partial<HttpConfig> = {}) {
  const server = await startHttpServer(httpConfig(overrides), {
    createServer: real.createServer,
    logger: log.logger,
    version: "9.9.9-test",
  });
  running.push(server);
  return { server, log };
}

async function client(url: string, token: string, headers: Record<string, string> = {}) {
  const c = await connectClient(url, token, headers);
  cleanups.push(() => c.client.close());
  return c;
}

/** Opens a session with a raw initialize and returns its id. */
async function openSession(url: string, token: string): Promise<string> {
  const res = await raw(url, { headers: mcpHeaders(token), body: INITIALIZE });
  expect(res.status).toBe(200);
  const id = res.headers["mcp-session-id"];
  expect(typeof id).toBe("string");
  return id as string;
}

const LIST = JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list", params: {} });

describe("Streamable HTTP transport", () => {
  it("lists and calls tools with a bearer token, in a session", async () => {
    const { server } = await start();
    const { client: c, transport } = await client(server.url, TOKEN_A);
    expect(transport.sessionId).toBeTruthy();
    const tools = await c.listTools();
    expect(tools.tools.map((t) => t.name)).toContain("get_account_reporting");
    const result = await c.callTool({ name: "get_account_reporting", arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(JSON.stringify(result.structuredContent)).toContain("acme");
    expect(server.sessionCount()).toBe(1);
    await transport.terminateSession();
    await expect.poll(() => server.sessionCount()).toBe(0);
  });

  it("answers calls as plain JSON to a client that cannot elicit, as SSE to one that can", async () => {
    const { server } = await start();
    const answer = async (capabilities: Record<string, unknown>) => {
      const init = JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities, clientInfo: { name: "raw", version: "0" } },
      });
      const opened = await raw(server.url, { headers: mcpHeaders(TOKEN_A), body: init });
      const session = opened.headers["mcp-session-id"] as string;
      const headers = mcpHeaders(TOKEN_A, {
        "mcp-session-id": session,
        "mcp-protocol-version": "2025-06-18",
      });
      const note = JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" });
      expect((await raw(server.url, { headers, body: note })).status).toBe(202);
      const call = JSON.stringify({
        jsonrpc: "2.0",
        id: 2,
        method: "tools/call",
        params: { name: "get_acme_contract", arguments: { acme_contract_id: 10001, account_id: 1001 } },
      });
      return raw(server.url, { headers, body: call });
    };
    const plain = await answer({});
    expect(plain.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(plain.body)).toMatchObject({ id: 2, result: { structuredContent: { ok: true } } });
    const streamed = await answer({ elicitation: { form: {} } });
    expect(streamed.headers["content-type"]).toMatch(/^text\/event-stream/);
    expect(streamed.body).toContain('"id":2');
  });

  it("asks a client that can elicit to confirm, in the middle of a call, over HTTP", async () => {
    const { server } = await start();
    const c = new Client(
      { name: "eliciting", version: "0" },
      { capabilities: { elicitation: { form: {} } } },
    );
    const asked: string[] = [];
    c.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(request.params.message);
      return { action: "accept", content: { confirm: true } };
    });
    await c.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${TOKEN_A}` } },
      }),
    );
    cleanups.push(() => c.close());
    const result = (await c.callTool({
      name: "remove_sans",
      arguments: { acme_contract_id: 10001, account_id: 1001, sans: ["www.example.com"] },
    })) as CallToolResult;
    expect(asked).toHaveLength(1);
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ ok: true, status: "done" });
    expect(real.sandbox.store.contracts.get(10001)?.sans).not.toContain("www.example.com");
  });

  it("answers /healthz without auth, with the version and no secrets", async () => {
    const { server } = await start();
    const res = await raw(server.url, { method: "GET", path: "/healthz" });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as Record<string, unknown>;
    expect(body).toEqual({ ok: true, name: "digicert-partner-mcp", version: "9.9.9-test" });
    expect(res.body).not.toContain(TOKEN_A);
  });

  it("refuses /mcp without a token (401 + WWW-Authenticate: Bearer)", async () => {
    const { server } = await start();
    const res = await raw(server.url, { headers: mcpHeaders(undefined), body: INITIALIZE });
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toMatch(/^Bearer /);
    const get = await raw(server.url, { method: "GET", headers: { accept: "text/event-stream" } });
    expect(get.status).toBe(401);
  });

  it("refuses a wrong token, and a token of another scheme", async () => {
    const { server } = await start();
    for (const authorization of [
      "Bearer wrong-token-0123456789abcdef",
      `Bearer ${TOKEN_A}x`,
      `Basic ${Buffer.from(`u:${TOKEN_A}`).toString("base64")}`,
      `Bearer ${TOKEN_A.slice(0, -1)}`,
    ]) {
      const res = await raw(server.url, {
        headers: { ...mcpHeaders(undefined), authorization },
        body: INITIALIZE,
      });
      expect(res.status).toBe(401);
      expect(res.headers["www-authenticate"]).toMatch(/^Bearer /);
    }
  });

  it("refuses a browser Origin not in the allow-list (403) and accepts a listed one", async () => {
    const { server } = await start();
    const bad = await raw(server.url, {
      headers: mcpHeaders(TOKEN_A, { origin: "https://evil.example" }),
      body: INITIALIZE,
    });
    expect(bad.status).toBe(403);
    const nul = await raw(server.url, { headers: mcpHeaders(TOKEN_A, { origin: "null" }), body: INITIALIZE });
    expect(nul.status).toBe(403);
    const good = await raw(server.url, {
      headers: mcpHeaders(TOKEN_A, { origin: `http://localhost:${server.port}` }),
      body: INITIALIZE,
    });
    expect(good.status).toBe(200);
  });

  it("honours MCP_ALLOWED_ORIGINS", async () => {
    const { server } = await start({ allowedOrigins: ["https://app.example.com"] });
    const ok = await raw(server.url, {
      headers: mcpHeaders(TOKEN_A, { origin: "https://app.example.com" }),
      body: INITIALIZE,
    });
    expect(ok.status).toBe(200);
    const local = await raw(server.url, {
      headers: mcpHeaders(TOKEN_A, { origin: `http://localhost:${server.port}` }),
      body: INITIALIZE,
    });
    expect(local.status).toBe(403);
  });

  it("refuses a Host header outside the allow-list (DNS rebinding), before checking the token", async () => {
    const { server } = await start();
    for (const host of [
      "evil.example",
      `evil.example:${server.port}`,
      "localhost:1",
      `127.0.0.2:${server.port}`,
    ]) {
      const res = await raw(server.url, { headers: mcpHeaders(TOKEN_A, { host }), body: INITIALIZE });
      expect(res.status).toBe(403);
    }
    for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, `[::1]:${server.port}`]) {
      const res = await raw(server.url, { headers: mcpHeaders(TOKEN_A, { host }), body: INITIALIZE });
      expect(res.status).toBe(200);
    }
  });

  it("honours MCP_ALLOWED_HOSTS (an entry without port accepts any port)", async () => {
    const { server } = await start({ allowedHosts: ["mcp.example.com"] });
    const ok = await raw(server.url, {
      headers: mcpHeaders(TOKEN_A, { host: "mcp.example.com:8443" }),
      body: INITIALIZE,
    });
    expect(ok.status).toBe(200);
    const other = await raw(server.url, { headers: mcpHeaders(TOKEN_A), body: INITIALIZE });
    expect(other.status).toBe(403);
  });

  it("binds a session to the token that created it", async () => {
    const { server } = await start();
    const { client: c, transport } = await client(server.url, TOKEN_A);
    await c.listTools();
    const sessionId = transport.sessionId as string;
    const other = await raw(server.url, {
      headers: mcpHeaders(TOKEN_B, { "mcp-session-id": sessionId, "mcp-protocol-version": "2025-06-18" }),
      body: LIST,
    });
    expect(other.status).toBe(404);
    const unknown = await raw(server.url, {
      headers: mcpHeaders(TOKEN_A, { "mcp-session-id": "00000000-0000-0000-0000-000000000000" }),
      body: LIST,
    });
    expect(unknown.status).toBe(404);
    // the owner still can
    expect((await c.listTools()).tools.length).toBeGreaterThan(0);
  });

  it("refuses a non-initialize request without a session id", async () => {
    const { server } = await start();
    const res = await raw(server.url, { headers: mcpHeaders(TOKEN_A), body: LIST });
    expect(res.status).toBe(400);
  });

  it("works stateless: no session, each request on its own, no session id", async () => {
    const { server } = await start({ stateless: true });
    const { client: c, transport } = await client(server.url, TOKEN_B);
    expect(transport.sessionId).toBeUndefined();
    expect((await c.listTools()).tools.map((t) => t.name)).toContain("get_account_reporting");
    const result = await c.callTool({ name: "get_account_reporting", arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(JSON.stringify(result.structuredContent)).toContain("acme");
    expect(server.sessionCount()).toBe(0);
    const get = await raw(server.url, { method: "GET", headers: mcpHeaders(TOKEN_B) });
    expect(get.status).toBe(405);
  });

  it("answers 413 to a body over the limit, declared or streamed", async () => {
    const { server } = await start({ maxBodyBytes: 64 * 1024 });
    const big = Buffer.alloc(200 * 1024, "a");
    const declared = await raw(server.url, { headers: mcpHeaders(TOKEN_A), body: big });
    expect(declared.status).toBe(413);
    const chunked = await raw(server.url, {
      headers: mcpHeaders(TOKEN_A, { "transfer-encoding": "chunked" }),
      body: big,
    });
    expect(chunked.status).toBe(413);
    // still serving
    expect((await raw(server.url, { method: "GET", path: "/healthz" })).status).toBe(200);
  });

  it("answers 413 at the 1 MiB default", async () => {
    const { server } = await start();
    const res = await raw(server.url, {
      headers: mcpHeaders(TOKEN_A),
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "ping",
        params: { pad: "x".repeat(1024 * 1024) },
      }),
    });
    expect(res.status).toBe(413);
  });

  it("answers malformed JSON with a JSON-RPC parse error, and keeps serving", async () => {
    const { server } = await start();
    const res = await raw(server.url, { headers: mcpHeaders(TOKEN_A), body: '{"jsonrpc":"2.0",' });
    expect(res.status).toBe(400);
    const body = JSON.parse(res.body) as { error: { code: number } };
    expect(body.error.code).toBe(-32700);
    const { client: c } = await client(server.url, TOKEN_A);
    expect((await c.listTools()).tools.length).toBeGreaterThan(0);
  });

  it("expires idle sessions", async () => {
    const { server } = await start({ sessionIdleMs: 1_000 });
    const id = await openSession(server.url, TOKEN_A);
    expect(server.sessionCount()).toBe(1);
    await expect.poll(() => server.sessionCount(), { timeout: 5_000, interval: 100 }).toBe(0);
    const res = await raw(server.url, {
      headers: mcpHeaders(TOKEN_A, { "mcp-session-id": id, "mcp-protocol-version": "2025-06-18" }),
      body: LIST,
    });
    expect(res.status).toBe(404);
  });

  it("caps the number of sessions (503)", async () => {
    const { server } = await start({ maxSessions: 2 });
    await openSession(server.url, TOKEN_A);
    await openSession(server.url, TOKEN_B);
    const third = await raw(server.url, { headers: mcpHeaders(TOKEN_A), body: INITIALIZE });
    expect(third.status).toBe(503);
    expect(server.sessionCount()).toBe(2);
  });

  it("answers 404 elsewhere and 405 for other methods", async () => {
    const { server } = await start();
    expect((await raw(server.url, { method: "GET", path: "/" })).status).toBe(404);
    expect((await raw(server.url, { method: "POST", path: "/healthz" })).status).toBe(405);
    expect((await raw(server.url, { method: "PUT", headers: mcpHeaders(TOKEN_A) })).status).toBe(405);
  });

  it("closes sessions and stops listening on close()", async () => {
    const { server } = await start();
    await openSession(server.url, TOKEN_A);
    await client(server.url, TOKEN_B);
    expect(server.sessionCount()).toBe(2);
    await server.close();
    expect(server.sessionCount()).toBe(0);
    await expect(raw(server.url, { method: "GET", path: "/healthz" })).rejects.toThrow();
  });

  it("never logs the tokens or keys, even at debug level", async () => {
    const { server } = await start();
    const { client: c } = await client(server.url, TOKEN_A);
    await c.callTool({ name: "get_account_reporting", arguments: {} });
    await raw(server.url, { headers: mcpHeaders(TOKEN_B.replace("b", "c")), body: INITIALIZE });
    await c.close();
    await server.close();
    const text = log.text();
    expect(text).toContain("http request");
    expect(text).not.toContain(TOKEN_A);
    expect(text).not.toContain(TOKEN_B);
    expect(text).toContain("digicert call");
    for (const key of [real.sandbox.keys.parent, real.sandbox.keys.devkey]) expect(text).not.toContain(key);
    expect(text.toLowerCase()).not.toContain("bearer ");
  });

  it("refuses to start without a token", async () => {
    await expect(
      startHttpServer(httpConfig({ tokens: [] }), {
        createServer: real.createServer,
        logger: log.logger,
        version: "0",
      }),
    ).rejects.toThrow(/token/);
  });
});
