import { randomBytes } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import {
  type CallToolResult,
  type ClientCapabilities,
  type ElicitRequest,
  ElicitRequestSchema,
  type ElicitResult,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { type Sandbox, startSandbox } from "../../sandbox/index.js";
import { DigiCertClient } from "../../src/client/client.js";
import type { Credentials } from "../../src/client/credentials.js";
import { createLogger } from "../../src/logging.js";
import { createMcpServer, type McpServerOptions } from "../../src/mcp/index.js";
import { exampleCredentials } from "../helpers/examples.js";

export interface HarnessOptions {
  server?: Partial<Omit<McpServerOptions, "client" | "logger">>;
  /** declare elicitation and answer each request with this */
  elicit?: (request: ElicitRequest) => ElicitResult | Promise<ElicitResult>;
  /** transport session id the server sees (extra.sessionId) */
  sessionId?: string;
  /** replaces the default credentials (exampleCredentials: parent, default subaccount 1001, all, devkey) */
  credentials?: (keys: Sandbox["keys"]) => Credentials;
  /** reuse a running sandbox (and its state) */
  sandbox?: Sandbox;
}

export interface Harness {
  sandbox: Sandbox;
  digicert: DigiCertClient;
  server: McpServer;
  mcp: Client;
  tools: Tool[];
  /** every log line the server wrote (JSON text) */
  logs: string[];
  /** every tool result returned so far */
  results: CallToolResult[];
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** One secret per test run; tests that need two servers sharing it pass it explicitly. */
export const TEST_SECRET = randomBytes(32).toString("base64url");

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sandbox = options.sandbox ?? (await startSandbox());
  const keys = sandbox.keys;
  const logs: string[] = [];
  const secrets = [keys.parent, keys.devkey, ...Object.values(keys.subaccounts)];
  const logger = createLogger({
    level: "debug",
    secrets,
    destination: { write: (s: string) => logs.push(s) },
  });
  const digicert = new DigiCertClient({
    baseUrl: sandbox.url,
    // by default those the sandbox handlers' example calls are written for (subaccount 1001 the default)
    credentials: options.credentials?.(keys) ?? exampleCredentials(keys),
    retry: { retries: 0 },
    logger,
  });
  const server = createMcpServer({
    client: digicert,
    logger,
    version: "0.0.0-test",
    confirmation: { mode: "required", secret: TEST_SECRET },
    ...options.server,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  if (options.sessionId) serverSide.sessionId = options.sessionId;
  await server.connect(serverSide);
  const capabilities: ClientCapabilities = options.elicit ? { elicitation: {} } : {};
  const mcp = new Client({ name: "mcp-test-client", version: "0.0.0" }, { capabilities });
  if (options.elicit) {
    const answer = options.elicit;
    mcp.setRequestHandler(ElicitRequestSchema, async (request) => answer(request));
  }
  await mcp.connect(clientSide);
  // listTools also makes the SDK client cache each tool's output validator, so every callTool below is checked
  const { tools } = await mcp.listTools();
  const results: CallToolResult[] = [];
  return {
    sandbox,
    digicert,
    server,
    mcp,
    tools,
    logs,
    results,
    async call(name, args = {}) {
      const result = (await mcp.callTool({ name, arguments: args })) as CallToolResult;
      results.push(result);
      return result;
    },
    async close() {
      await mcp.close();
      await server.close();
      await digicert.close();
      if (!options.sandbox) await sandbox.close();
    },
  };
}

/** The text of a tool result's first content block. */
export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first && first.type === "text" ? first.text : "";
}

export function structured(result: CallToolResult): Record<string, unknown> {
  return (result.structuredContent ?? {}) as Record<string, unknown>;
}
