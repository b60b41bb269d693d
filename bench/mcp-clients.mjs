// MCP connections used by several benchmarks: in-memory (server in this process), stdio (spawned CLI) and
// Streamable HTTP (spawned CLI with --http). All point at the same sandbox process.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { DigiCertClient } from "../dist/src/client/client.js";
import { createLogger } from "../dist/src/logging.js";
import { createMcpServer } from "../dist/src/mcp/index.js";
import { CLI, freePort, serverEnv, sleep, waitExit, withTimeout } from "./lib.mjs";

const CLIENT_INFO = { name: "bench", version: "0.0.0" };

/** DigiCertClient with the sandbox's demo keys (the same keys the CLI gets from serverEnv). */
export function directClient(sandbox, logger) {
  return new DigiCertClient({
    baseUrl: sandbox.url,
    credentials: {
      parentKey: sandbox.keys.parent,
      subaccountKey: sandbox.keys.subaccounts["1001"],
      subaccountKeys: { ...sandbox.keys.subaccounts },
      devkey: sandbox.keys.devkey,
    },
    ...(logger ? { logger } : {}),
  });
}

/** tools/call without the SDK client's own output-schema check, so only transport + server are measured. */
export function rawCall(client, name, args) {
  return client.request({ method: "tools/call", params: { name, arguments: args } }, CallToolResultSchema);
}

/** createMcpServer in this process, connected to an SDK Client over InMemoryTransport. */
export async function connectInMemory(sandbox, { extend } = {}) {
  const logger = createLogger({ level: "info" });
  const digicert = directClient(sandbox, logger);
  const server = createMcpServer({
    client: digicert,
    logger,
    version: "0.0.0-bench",
    confirmation: { mode: "required", secret: randomBytes(32).toString("base64url") },
    ...(extend ? { extend: (s, ctx) => extend(s, ctx, digicert, logger) } : {}),
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client(CLIENT_INFO);
  await client.connect(clientSide);
  return {
    client,
    server,
    async close() {
      await client.close();
      await server.close();
      await digicert.close();
    },
  };
}

/** Spawns the built CLI over stdio (SDK StdioClientTransport), pointed at the sandbox. */
export async function connectStdio(sandbox, { env = {}, command = process.execPath, args = [CLI] } = {}) {
  const transport = new StdioClientTransport({
    command,
    args,
    env: serverEnv(sandbox, env),
    stderr: "ignore",
  });
  const client = new Client(CLIENT_INFO);
  await withTimeout(client.connect(transport), 30_000, "stdio connect");
  return {
    client,
    pid: transport.pid,
    async close() {
      await client.close();
    },
  };
}

/** Spawns the built CLI with --http on a free loopback port; resolves once /healthz answers. */
export async function startHttpServerProcess(
  sandbox,
  { env = {}, cli = CLI, args = [], nodeArgs = [] } = {},
) {
  const port = await freePort();
  const token = randomBytes(24).toString("base64url");
  const argv = [...nodeArgs, cli, "--http", "--port", String(port), "--host", "127.0.0.1", ...args];
  const child = spawn(process.execPath, argv, {
    // no per-token rate limit (default 600/min): the figures are the server's cost, not its throttle
    env: serverEnv(sandbox, {
      MCP_HTTP_TOKEN: token,
      MCP_HTTP_MAX_SESSIONS: "500",
      // the benchmarks' clients share this one token
      MCP_HTTP_MAX_SESSIONS_PER_TOKEN: "500",
      MCP_HTTP_RATE_LIMIT: "0",
      ...env,
    }),
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => {
    if (stderr.length < 20_000) stderr += d;
  });
  const base = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`HTTP server exited (${child.exitCode}):\n${stderr}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 30_000) {
      child.kill("SIGKILL");
      throw new Error(`HTTP server not ready within 30 s:\n${stderr}`);
    }
    await sleep(50);
  }
  return {
    url: `${base}/mcp`,
    token,
    pid: child.pid,
    async close() {
      child.kill("SIGTERM");
      await waitExit(child, 10_000);
    },
  };
}

/** An SDK Client connected over Streamable HTTP with the bearer token. */
export async function connectHttp(httpServer, { capabilities } = {}) {
  const transport = new StreamableHTTPClientTransport(new URL(httpServer.url), {
    requestInit: { headers: { authorization: `Bearer ${httpServer.token}` } },
  });
  // a client declaring elicitation gets its answers as SSE streams (the server may ask it mid-call), others JSON
  const client = new Client(CLIENT_INFO, capabilities ? { capabilities } : undefined);
  await withTimeout(client.connect(transport), 30_000, "http connect");
  return {
    client,
    async close() {
      await transport.terminateSession().catch(() => undefined);
      await client.close();
    },
  };
}
