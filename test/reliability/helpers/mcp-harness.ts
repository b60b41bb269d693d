import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import { type ClientOptions, DigiCertClient } from "../../../src/client/client.js";
import type { Credentials } from "../../../src/client/credentials.js";
import { createLogger, type Logger } from "../../../src/logging.js";
import { createMcpServer, type McpServerOptions } from "../../../src/mcp/index.js";

export interface McpHarnessOptions {
  baseUrl: string;
  credentials: Credentials;
  /** default "disabled" so fuzzed destructive calls reach the upstream */
  confirmation?: "required" | "disabled";
  /** pino level; default "trace" */
  level?: string;
  /** what the logger scrubs; default: every configured key */
  loggerSecrets?: string[];
  client?: Partial<ClientOptions>;
  server?: Partial<Omit<McpServerOptions, "client" | "logger" | "version" | "confirmation">>;
}

export interface McpHarness {
  digicert: DigiCertClient;
  server: McpServer;
  mcp: Client;
  tools: Tool[];
  logger: Logger;
  /** everything the logger wrote */
  logs: string[];
  call(
    name: string,
    args: unknown,
    options?: { signal?: AbortSignal; timeout?: number },
  ): Promise<CallToolResult>;
  close(): Promise<void>;
}

export function configuredSecrets(c: Credentials): string[] {
  return [c.parentKey, c.subaccountKey, c.devkey, ...Object.values(c.subaccountKeys ?? {})].filter(
    (s): s is string => typeof s === "string",
  );
}

/** createMcpServer + SDK Client over InMemoryTransport, with a trace logger writing to memory. */
export async function startMcp(options: McpHarnessOptions): Promise<McpHarness> {
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const logger = createLogger({
    level: options.level ?? "trace",
    secrets: options.loggerSecrets ?? configuredSecrets(options.credentials),
    destination,
  });
  const digicert = new DigiCertClient({
    baseUrl: options.baseUrl,
    credentials: options.credentials,
    retry: { retries: 0 },
    logger,
    ...options.client,
  });
  const server = createMcpServer({
    client: digicert,
    logger,
    version: "0.0.0-reliability",
    confirmation: { mode: options.confirmation ?? "disabled", secret: randomBytes(32).toString("base64url") },
    ...options.server,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const mcp = new Client({ name: "reliability", version: "0.0.0" });
  await mcp.connect(clientSide);
  const { tools } = await mcp.listTools();
  return {
    digicert,
    server,
    mcp,
    tools,
    logger,
    logs,
    async call(name, args, callOptions = {}) {
      return (await mcp.callTool(
        { name, arguments: args as Record<string, unknown> },
        undefined,
        callOptions,
      )) as CallToolResult;
    },
    async close() {
      await mcp.close();
      await server.close();
      await digicert.close();
    },
  };
}

export function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
}
