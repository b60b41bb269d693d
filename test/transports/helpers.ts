import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { Writable } from "node:stream";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { type Sandbox, startSandbox } from "../../sandbox/index.js";
import { DigiCertClient } from "../../src/client/client.js";
import type { HttpConfig } from "../../src/config/index.js";
import { createLogger, type Logger } from "../../src/logging.js";
import { createMcpServer } from "../../src/mcp/server.js";

export const TOKEN_A = "token-a-0123456789abcdef0123456789";
export const TOKEN_B = "token-b-fedcba9876543210fedcba9876";

export function httpConfig(overrides: Partial<HttpConfig> = {}): HttpConfig {
  return {
    host: "127.0.0.1",
    port: 0,
    tokens: [TOKEN_A, TOKEN_B],
    stateless: false,
    allowedOrigins: undefined,
    allowedHosts: undefined,
    maxBodyBytes: 1024 * 1024,
    sessionIdleMs: 60_000,
    maxSessions: 100,
    ...overrides,
  };
}

/** A logger writing into memory, to check what the logs hold. */
export function memoryLogger(secrets: string[] = []): { logger: Logger; text: () => string } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString("utf8"));
      cb();
    },
  });
  const logger = createLogger({ level: "debug", secrets, destination });
  return { logger, text: () => chunks.join("") };
}

/** The real MCP server over an in-process sandbox: the transports serve exactly what the CLI serves. */
export async function realServer(logger: Logger): Promise<{
  createServer: () => McpServer;
  sandbox: Sandbox;
  close: () => Promise<void>;
}> {
  const sandbox = await startSandbox();
  const keys = sandbox.keys;
  const client = new DigiCertClient({
    baseUrl: sandbox.url,
    credentials: {
      parentKey: keys.parent,
      subaccountKeys: Object.fromEntries(Object.entries(keys.subaccounts).map(([id, k]) => [id, k])),
      devkey: keys.devkey,
    },
    logger,
  });
  const createServer = () =>
    createMcpServer({
      client,
      logger,
      version: "9.9.9-test",
      confirmation: { mode: "required", secret: randomBytes(32).toString("base64url") },
    });
  return {
    createServer,
    sandbox,
    close: async () => {
      await client.close();
      await sandbox.close();
    },
  };
}

export async function connectClient(
  url: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${token}`, ...headers } },
  });
  const client = new Client({ name: "test-client", version: "1.0.0" });
  await client.connect(transport);
  return { client, transport };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request with full control of the headers (fetch would not let a test set Host). */
export function raw(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method: options.method ?? "POST",
        path: options.path ?? "/mcp",
        headers: options.headers ?? {},
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error("request timed out")));
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

export const INITIALIZE = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "raw", version: "1.0.0" },
  },
});

export function mcpHeaders(
  token: string | undefined,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...extra,
  };
}
