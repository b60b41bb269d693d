import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  FileSnapshotStore,
  PgSnapshotStore,
  type RetentionPolicy,
  type SnapshotStore,
} from "../../src/reporting/index.js";
import { Database } from "../../src/state/database.js";
import { startPostgres, type TestPostgres } from "../helpers/postgres.js";
import { clone, contract, report, SEED_REPORT } from "./fixtures.js";

/**
 * One suite, both snapshot stores: what the reporting tools rely on must hold for files (the default) and for
 * PostgreSQL (DATABASE_URL) alike. Each `open()` is a new store object, as after a restart or on another replica.
 */
const ORIGIN = "http://127.0.0.1:4010";
const T0 = Date.parse("2026-06-01T10:00:00Z");
const HOUR = 3_600_000;

interface OpenOptions {
  origin?: string;
  accountKey?: string;
  retention?: RetentionPolicy;
}

interface Backend {
  name: string;
  setUp(): Promise<void>;
  /** a fresh, empty place for one test */
  reset(): Promise<void>;
  open(now: () => number, options?: OpenOptions): SnapshotStore;
  tearDown(): Promise<void>;
}

function filesBackend(): Backend {
  let root = "";
  return {
    name: "files",
    async setUp() {},
    async reset() {
      if (root) await rm(root, { recursive: true, force: true });
      root = await mkdtemp(join(tmpdir(), "dc-contract-"));
    },
    open: (now, o = {}) =>
      new FileSnapshotStore({
        dataDir: root,
        origin: o.origin ?? ORIGIN,
        accountKey: o.accountKey ?? "parent-key",
        retention: o.retention,
        now,
      }),
    async tearDown() {
      if (root) await rm(root, { recursive: true, force: true });
    },
  };
}

function postgresBackend(): Backend {
  let server: TestPostgres | undefined;
  let db: Database | undefined;
  const stores: SnapshotStore[] = [];
  return {
    name: "postgres",
    async setUp() {
      server = await startPostgres();
      db = await Database.open(await server.createDatabase());
    },
    async reset() {
      for (const s of stores.splice(0)) await s.close();
      await db?.query("TRUNCATE dcpm_snapshots");
    },
    open: (now, o = {}) => {
      const store = new PgSnapshotStore({
        db: db as Database,
        origin: o.origin ?? ORIGIN,
        accountKey: o.accountKey ?? "parent-key",
        retention: o.retention,
        now,
      });
      stores.push(store);
      return store;
    },
    async tearDown() {
      for (const s of stores.splice(0)) await s.close();
      await db?.close();
      await server?.stop();
    },
  };
}

describe.each([filesBackend(), postgresBackend()])("snapshot store contract: $name", (backend) => {
  let clock = T0;
  const now = () => clock;
  const open = (o?: OpenOptions) => backend.open(now, o);

  beforeAll(() => backend.setUp(), 60_000);
  afterAll(() => backend.tearDown());
  beforeEach(async () => {
    clock = T0;
    await backend.reset();
  });

  it("stores, lists and reads back from another store object", async () => {
    const first = await open().record(SEED_REPORT);
    expect(first.created).toBe(true);
    expect(first.meta.id).toMatch(/^20260601T100000Z-[0-9a-f]{8}$/);
    expect(first.meta.counts).toEqual({
      subaccounts: 2,
      contracts: 3,
      active: 3,
      expired: 0,
      canceled: 0,
      sans: 5,
    });
    const again = open();
    expect((await again.list()).map((m) => m.id)).toEqual([first.meta.id]);
    const loaded = await again.read(first.meta.id);
    expect(loaded?.report.accounts.map((a) => a.account_id)).toEqual([1234, 5678]);
    expect(loaded?.meta).toEqual(first.meta);
    expect(await again.meta(first.meta.id)).toEqual(first.meta);
    expect(await again.read("20200101T000000Z-00000000")).toBeUndefined();
  });

  it("records only a check time for an identical report, even reordered", async () => {
    const store = open();
    const first = await store.record(SEED_REPORT);
    clock += HOUR;
    const reordered = clone(SEED_REPORT);
    reordered.accounts.reverse();
    reordered.accounts[0]?.acme[0]?.sans.reverse();
    const second = await store.record(reordered);
    expect(second.created).toBe(false);
    expect(second.meta.id).toBe(first.meta.id);
    expect(second.previous?.checked_at).toBe(first.meta.checked_at);
    expect(second.meta.checked_at).toBe(new Date(T0 + HOUR).toISOString());
    expect(await store.list()).toHaveLength(1);
    expect((await store.latest())?.checked_at).toBe(new Date(T0 + HOUR).toISOString());
    // a report read before the check moved still comes back with the new check time
    expect((await store.read(first.meta.id))?.meta.checked_at).toBe(new Date(T0 + HOUR).toISOString());
  });

  it("orders snapshots newest first and knows each one's previous", async () => {
    const store = open();
    const ids: string[] = [];
    for (let i = 1; i <= 3; i++) {
      clock += HOUR;
      ids.push((await store.record(report([contract({ acme_contract_id: i })]))).meta.id);
    }
    expect((await store.list()).map((m) => m.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect((await store.latest())?.id).toBe(ids[2]);
    expect((await store.previous(ids[2] as string))?.id).toBe(ids[1]);
    expect((await store.previous(ids[1] as string))?.id).toBe(ids[0]);
    expect(await store.previous(ids[0] as string)).toBeUndefined();
    expect(await store.previous("20200101T000000Z-00000000")).toBeUndefined();
  });

  it("gives two different reports of the same instant two ids", async () => {
    const store = open();
    const a = await store.record(report([contract({ acme_contract_id: 1 })]));
    const b = await store.record(report([contract({ acme_contract_id: 2 })]));
    expect(a.meta.id).not.toBe(b.meta.id);
    expect(a.meta.taken_at).toBe(b.meta.taken_at);
    expect((await store.list()).map((m) => m.id).sort()).toEqual([a.meta.id, b.meta.id].sort());
  });

  it("keeps stores apart per origin and per parent key", async () => {
    await open().record(SEED_REPORT);
    expect(await open({ accountKey: "other-parent" }).list()).toEqual([]);
    expect(await open({ origin: "https://www.digicert.com" }).list()).toEqual([]);
    expect(await open({ accountKey: "other-parent" }).latest()).toBeUndefined();
  });

  it("applies retention by count and by age, never deleting the newest", async () => {
    const store = open({ retention: { keepLast: 3, maxAgeDays: 2 } });
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) {
      clock += HOUR;
      ids.push((await store.record(report([contract({ acme_contract_id: i })]))).meta.id);
    }
    expect((await store.list()).map((m) => m.id)).toEqual([ids[4], ids[3], ids[2]]);
    clock += 10 * 24 * HOUR;
    expect(await store.prune()).toEqual([ids[3], ids[2]]);
    expect((await store.list()).map((m) => m.id)).toEqual([ids[4]]);
    expect(await store.read(ids[3] as string)).toBeUndefined();
    expect(await store.prune()).toEqual([]);
  });

  it("shares one fetch among concurrent takes and tells its listeners", async () => {
    const store = open();
    const events: boolean[] = [];
    const off = store.onRecord((e) => events.push(e.created));
    let fetches = 0;
    const fetch = async () => {
      fetches++;
      await new Promise((r) => setTimeout(r, 20));
      return SEED_REPORT;
    };
    const [a, b] = await Promise.all([store.take(fetch), store.take(fetch)]);
    expect(fetches).toBe(1);
    expect(a.meta.id).toBe(b.meta.id);
    await store.take(fetch);
    expect(events).toEqual([true, false]);
    off();
    await store.take(fetch);
    expect(events).toEqual([true, false]);
  });

  it("passes a failed fetch to every waiting taker and records nothing", async () => {
    const store = open();
    const failing = async () => {
      throw new Error("DigiCert said no");
    };
    const results = await Promise.allSettled([store.take(failing), store.take(failing)]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(await store.list()).toEqual([]);
  });
});
