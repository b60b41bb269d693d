import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpServer } from "../../src/transports/http.js";
import { CLI, requireBuilt } from "../packaging/helpers.js";
import { httpConfig, memoryLogger, raw, realServer, TOKEN_A } from "./helpers.js";

/**
 * Clients on MCP 2026-07-28 (Claude Code's default runtime, Goose, Inspector v2) probe with `server/discover`
 * and fall back to the 2025 `initialize` handshake when the server does not know it. The SDK v2 client in
 * `auto` mode is such a client: over stdio and HTTP it must fall back, list the tools and call one. And the
 * probe itself, sent raw over HTTP, must get a 4xx at once: a 5xx or silence is an outage to such a client
 * (over HTTP it does not fall back on a timeout).
 */
type V2Client = InstanceType<typeof Client>;

async function exercise(client: V2Client): Promise<void> {
  expect(client.getProtocolEra()).toBe("legacy");
  expect(client.getNegotiatedProtocolVersion()).toMatch(/^2025-/);
  expect(client.getServerVersion()?.name).toBe("digicert-partner-mcp");
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name)).toContain("list_api_keys");
  const result = await client.callTool({ name: "list_api_keys", arguments: {} });
  expect(result.isError).toBeFalsy();
  expect(result.structuredContent).toMatchObject({ ok: true });
}

const newClient = () =>
  new Client({ name: "sdk-v2-auto", version: "0.0.0" }, { versionNegotiation: { mode: "auto" } });

describe.each([
  { mode: "sessions", stateless: false },
  { mode: "stateless", stateless: true },
])("SDK v2 client, auto negotiation, over HTTP ($mode)", ({ stateless }) => {
  const { logger } = memoryLogger();
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const real = await realServer(logger);
    const http = await startHttpServer(httpConfig({ stateless }), {
      createServer: real.createServer,
      logger,
      version: "9.9.9-test",
    });
    url = http.url;
    close = async () => {
      await http.close();
      await real.close();
    };
  });
  afterAll(async () => {
    await close();
  });

  it("falls back to 2025-11-25, lists the tools and calls one", async () => {
    const client = newClient();
    const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${TOKEN_A}` } },
    });
    try {
      await client.connect(transport, { timeout: 10_000 });
      await exercise(client);
    } finally {
      await client.close();
    }
  });

  it("answers a raw server/discover probe with a 4xx JSON-RPC error, not a 5xx or a hang", async () => {
    const probe = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "server/discover",
      params: {
        _meta: {
          "io.modelcontextprotocol/protocolVersion": "2026-07-28",
          "io.modelcontextprotocol/clientInfo": { name: "probe", version: "0.0.0" },
        },
      },
    });
    // raw() gives up after 10 s: a hang fails here instead of stalling the suite
    const res = await raw(url, {
      body: probe,
      headers: {
        authorization: `Bearer ${TOKEN_A}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2026-07-28",
      },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const body = JSON.parse(res.body) as { jsonrpc: string; error?: { code: number; message: string } };
    expect(body.jsonrpc).toBe("2.0");
    expect(body.error?.code).toBeTypeOf("number");
  });
});

describe("SDK v2 client, auto negotiation, over stdio (the built bin)", () => {
  it("falls back to 2025-11-25, lists the tools and calls one", async () => {
    requireBuilt();
    const client = newClient();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI],
      env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "error" },
      stderr: "pipe",
    });
    try {
      await client.connect(transport, { timeout: 10_000 });
      await exercise(client);
    } finally {
      await client.close();
    }
  });
});
