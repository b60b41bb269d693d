import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Notification } from "@modelcontextprotocol/sdk/types.js";
import pino from "pino";
import { type Sandbox, startSandbox } from "../../sandbox/index.js";
import { DigiCertClient } from "../../src/client/client.js";
import { type ReportingDeps, registerReporting } from "../../src/mcp/reporting/index.js";
import { SnapshotStore } from "../../src/reporting/index.js";

export interface Harness {
  sandbox: Sandbox;
  dataDir: string;
  digicert: DigiCertClient;
  store: SnapshotStore;
  mcp: Client;
  server: McpServer;
  /** every notification the client received, in order */
  notifications: Notification[];
  /** resolves with the first notification of `method` received after the call (or already pending) */
  next(method: string, timeoutMs?: number): Promise<Notification>;
  close(): Promise<void>;
}

/** Sandbox + DigiCertClient + McpServer with registerReporting + a real SDK Client over an in-memory pair. */
export async function startHarness(extra: Partial<ReportingDeps> = {}, sandbox?: Sandbox): Promise<Harness> {
  const sb = sandbox ?? (await startSandbox());
  const dataDir = await mkdtemp(join(tmpdir(), "dc-reporting-mcp-"));
  const subaccountKeys = Object.fromEntries(
    Object.entries(sb.keys.subaccounts).map(([id, key]) => [id, key]),
  );
  const digicert = new DigiCertClient({
    baseUrl: sb.url,
    credentials: { parentKey: sb.keys.parent, devkey: sb.keys.devkey, subaccountKeys },
    retry: { retries: 0 },
  });
  const logger = pino({ level: "silent" });
  const store = new SnapshotStore({ dataDir, origin: sb.url, accountKey: sb.keys.parent, logger });
  const server = new McpServer({ name: "reporting-test", version: "0.0.0" });
  registerReporting(server, { client: digicert, logger, store, hasDevkey: true, ...extra });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const mcp = new Client({ name: "reporting-test-client", version: "0.0.0" });
  const notifications: Notification[] = [];
  const waiters: { method: string; resolve: (n: Notification) => void }[] = [];
  mcp.fallbackNotificationHandler = async (n) => {
    notifications.push(n);
    for (const w of waiters.filter((w) => w.method === n.method)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(n);
    }
  };
  await mcp.connect(clientSide);
  return {
    sandbox: sb,
    dataDir,
    digicert,
    store,
    mcp,
    server,
    notifications,
    next(method, timeoutMs = 3000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${method} within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          method,
          resolve: (n) => {
            clearTimeout(timer);
            resolve(n);
          },
        });
      });
    },
    async close() {
      await mcp.close();
      await server.close();
      await digicert.close();
      if (!sandbox) await sb.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The text of the first content item of a resource read. */
export function textOf(result: { contents: { uri: string; text?: unknown; blob?: unknown }[] }): string {
  const first = result.contents[0];
  if (!first || typeof first.text !== "string") throw new Error("no text content");
  return first.text;
}
