import { gunzipSync } from "node:zlib";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../sandbox/index.js";
import { DigiCertClient } from "../../src/client/client.js";
import { ConfirmationTokens } from "../../src/mcp/confirmation/token.js";
import { registerReporting } from "../../src/mcp/reporting/index.js";
import { createMcpServer } from "../../src/mcp/server.js";
import { PgSnapshotStore } from "../../src/reporting/index.js";
import { PgConfirmationLedger } from "../../src/state/confirmations.js";
import { Database } from "../../src/state/database.js";
import { PgRateLimiter } from "../../src/state/rate-limits.js";
import { RateLimiter } from "../../src/transports/rate-limit.js";
import { startPostgres, type TestPostgres } from "../helpers/postgres.js";

/**
 * Two "replicas" in one process, each with its own pool, stores and MCP server, on one real PostgreSQL: change
 * notifications across them (LISTEN/NOTIFY), rate limits shared, and what happens when the database goes away
 * while serving and comes back.
 */

const SECRET = "s".repeat(32);
const logger = pino({ level: "silent" });

let pg: TestPostgres;
let url = "";
let sandbox: Sandbox;

interface Replica {
  db: Database;
  store: PgSnapshotStore;
  mcp: Client;
  updates: string[];
  close(): Promise<void>;
}

async function replica(): Promise<Replica> {
  const db = await Database.open(url, { max: 4 });
  const digicert = new DigiCertClient({
    baseUrl: sandbox.url,
    credentials: { parentKey: sandbox.keys.parent, subaccountKeys: { ...sandbox.keys.subaccounts } },
    retry: { retries: 0 },
  });
  const store = new PgSnapshotStore({ db, origin: sandbox.url, accountKey: sandbox.keys.parent, logger });
  const tokens = new ConfirmationTokens({
    secret: SECRET,
    ttlMs: 60_000,
    now: Date.now,
    ledger: new PgConfirmationLedger(db, 60_000),
  });
  const server = createMcpServer({
    client: digicert,
    logger,
    version: "0.0.0",
    confirmation: { mode: "required", secret: SECRET },
    confirmationTokens: tokens,
    caller: "ops",
    extend: (s, extension) =>
      registerReporting(s, {
        client: digicert,
        logger,
        store,
        hasDevkey: false,
        access: extension.access,
        pollWhileSubscribed: false,
      }),
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const mcp = new Client({ name: "shared-state-test", version: "0.0.0" });
  const updates: string[] = [];
  mcp.setNotificationHandler(ResourceUpdatedNotificationSchema, async (n) => {
    updates.push(n.params.uri);
  });
  await mcp.connect(clientSide);
  return {
    db,
    store,
    mcp,
    updates,
    async close() {
      await mcp.close();
      await server.close();
      await store.close();
      await digicert.close();
      await db.close();
    },
  };
}

async function until(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

type ToolResult = {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: unknown;
};
const textOf = (r: ToolResult) => r.content.map((c) => c.text ?? "").join("\n");

let a: Replica;
let b: Replica;

beforeAll(async () => {
  pg = await startPostgres();
  url = await pg.createDatabase();
  sandbox = await startSandbox();
  [a, b] = await Promise.all([replica(), replica()]);
}, 60_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await sandbox?.close();
  await pg?.stop();
});

describe("shared state on one PostgreSQL", () => {
  it("migrates once however many replicas start together", async () => {
    const many = await Promise.all(Array.from({ length: 4 }, () => Database.open(url, { max: 1 })));
    const rows = await a.db.query<{ version: number }>(
      "SELECT version FROM dcpm_migrations ORDER BY version",
    );
    expect(rows.map((r) => r.version)).toEqual([1, 2, 3, 4, 5, 6]);
    await Promise.all(many.map((d) => d.close()));
  });

  it("tells a subscriber on one replica of a snapshot recorded on another", async () => {
    await a.mcp.subscribeResource({ uri: "digicert://reporting/latest" });
    // the listener connects in the background: wait until it is there before recording
    await until(() => (a.store as unknown as { listener?: unknown }).listener !== undefined, 5_000, "LISTEN");
    const taken = (await b.mcp.callTool({ name: "take_reporting_snapshot", arguments: {} })) as ToolResult;
    expect(taken.isError).toBeFalsy();
    await until(() => a.updates.includes("digicert://reporting/latest"), 5_000, "resources/updated on A");
    // and what B recorded, A lists
    const listed = await a.mcp.listResources();
    const latest = await b.store.latest();
    expect(listed.resources.map((r) => r.uri)).toContain(`digicert://reporting/snapshots/${latest?.id}`);
  });

  it("shares one rate-limit bucket per token among replicas", async () => {
    const limiters = [a, b].map((r) => new PgRateLimiter(r.db, new RateLimiter()));
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) waits.push(await (limiters[i % 2] as PgRateLimiter).take("ci-token", 1, 4));
    // burst 4 in all, not 4 per replica
    expect(waits.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(waits[4]).toBeGreaterThan(0);
    expect(waits[5]).toBeGreaterThan(0);
    expect(await (limiters[0] as PgRateLimiter).take("another-token", 1, 4)).toBe(0);
    const rows = await a.db.query("SELECT * FROM dcpm_rate_limits");
    expect(JSON.stringify(rows)).not.toContain("ci-token");
  });

  it("keeps no secret in any table", async () => {
    const tables = await a.db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    const secrets = [
      sandbox.keys.parent,
      ...Object.values(sandbox.keys.subaccounts),
      SECRET,
      ...[...sandbox.store.contracts.values()].flatMap((c) => c.credentials.map((k) => k.hmacKey)),
    ].filter((s): s is string => typeof s === "string" && s.length >= 8);
    expect(tables.length).toBeGreaterThanOrEqual(4);
    for (const { table_name } of tables) {
      const rows = await a.db.query<Record<string, unknown>>(`SELECT * FROM ${table_name}`);
      // bytea columns (the snapshots' gzipped reports) are read as their unzipped text
      const readable = (v: { type?: string; data?: number[] } | unknown) => {
        const o = v as { type?: string; data?: number[] };
        if (o?.type !== "Buffer" || !o.data) return v;
        const raw = Buffer.from(o.data);
        try {
          return gunzipSync(raw).toString("utf8");
        } catch {
          return raw.toString("latin1");
        }
      };
      const text = rows.map((r) => JSON.stringify(r, (_k, v) => readable(v))).join("\n");
      for (const secret of secrets) expect(text, `${table_name} holds a secret`).not.toContain(secret);
    }
  });

  it("while the database is away: DigiCert reads work, reporting says why it cannot, confirmations fail closed; then it recovers", async () => {
    const args = { acme_contract_id: 10001, account_id: 1001, sans: ["www.example.com"] };
    const preview = (await a.mcp.callTool({ name: "remove_sans", arguments: args })) as ToolResult;
    const token = (preview.structuredContent as { confirmation_token: string }).confirmation_token;
    expect(token).toBeTruthy();
    sandbox.stats.clear();

    await pg.pause();
    try {
      const read = (await a.mcp.callTool({
        name: "get_acme_contract",
        arguments: { acme_contract_id: 10001, account_id: 1001 },
      })) as ToolResult;
      expect(read.isError).toBeFalsy();

      const report = (await a.mcp.callTool({ name: "take_reporting_snapshot", arguments: {} })) as ToolResult;
      expect(report.isError).toBe(true);
      expect(textOf(report)).toMatch(/database \(PostgreSQL at 127\.0\.0\.1:\d+\/\w+\) is unavailable/);

      const confirmed = (await b.mcp.callTool({
        name: "remove_sans",
        arguments: { ...args, confirmation_token: token },
      })) as ToolResult;
      expect(confirmed.isError).toBe(true);
      expect(textOf(confirmed)).toMatch(/could not be recorded/);
      expect(sandbox.stats.count("remove_sans")).toBe(0);
      expect(sandbox.store.contracts.get(10001)?.sans).toContain("www.example.com");
      expect(await a.db.reachable()).toBe(false);
    } finally {
      await pg.start();
    }

    expect(await a.db.reachable()).toBe(true);
    // the refused token was never recorded: it still works, once
    const confirmed = (await b.mcp.callTool({
      name: "remove_sans",
      arguments: { ...args, confirmation_token: token },
    })) as ToolResult;
    expect(confirmed.isError).toBeFalsy();
    expect(sandbox.stats.count("remove_sans")).toBe(1);

    // the listener reconnects by itself: a snapshot on B reaches A's subscriber again
    await until(
      () => (a.store as unknown as { listener?: unknown }).listener !== undefined,
      10_000,
      "LISTEN again",
    );
    a.updates.length = 0;
    const taken = (await b.mcp.callTool({ name: "take_reporting_snapshot", arguments: {} })) as ToolResult;
    expect(taken.isError).toBeFalsy();
    await until(() => a.updates.length > 0, 5_000, "resources/updated after recovery");
  }, 60_000);
});
