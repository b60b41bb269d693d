import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  accountIds,
  accountReport,
  type DomainQuery,
  domainPage,
  type ExpiringQuery,
  expiringPage,
  FileSnapshotStore,
  normaliseReport,
  PgSnapshotStore,
  type Reporting,
  type ReportingContract,
  type RetentionPolicy,
  type SnapshotStore,
  snapshotDiff,
  snapshotSummary,
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
  /** the PostgreSQL backend's database, for checks of its tables */
  db?: () => Database;
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
      await db?.query("TRUNCATE dcpm_snapshots, dcpm_snapshot_contracts");
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
    db: () => db as Database,
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

  describe("queries", () => {
    const at = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
    const DAY = 24 * HOUR;
    const QUERY_NOW = T0 + HOUR;
    /** exact, wildcard, IDN, upper case and trailing-dot SANs; canceled, expired, boundary and tied contracts */
    const queryReport = (): Reporting => {
      const paged = Array.from({ length: 60 }, (_, i) =>
        contract({
          acme_contract_id: 100 + i,
          account_id: i % 2 === 0 ? 10 : 20,
          valid_till: at(T0 + (i + 2) * 12 * HOUR),
          date_canceled: i % 7 === 3 ? at(T0 - DAY) : null,
          sans: [`host${i}.paged.example.org`, ...(i % 5 === 0 ? ["*.paged.example.org"] : [])],
        }),
      );
      return report([
        contract({
          acme_contract_id: 7,
          account_id: 10,
          sans: ["*.Example.com", "example.com"],
          valid_till: at(T0 + 5 * DAY),
        }),
        contract({
          acme_contract_id: 2,
          account_id: 10,
          sans: ["shop.example.com"],
          valid_till: at(T0 + 5 * DAY),
        }),
        contract({
          acme_contract_id: 3,
          account_id: 20,
          sans: ["*.example.com."],
          valid_till: at(T0 + 10 * DAY),
          date_canceled: at(T0 - 3 * DAY),
        }),
        contract({
          acme_contract_id: 4,
          account_id: 20,
          sans: ["bücher.example.com", "a.b.example.com"],
          valid_till: at(T0 + 40 * DAY),
        }),
        contract({
          acme_contract_id: 5,
          account_id: 30,
          sans: ["SHOP.example.com"],
          valid_till: at(T0 - 2 * DAY),
        }),
        contract({
          acme_contract_id: 6,
          account_id: 30,
          sans: ["a.example.net", "b.example.net", "c.example.net", "d.example.net", "e.example.net"],
          valid_till: at(QUERY_NOW + 30 * DAY),
        }),
        contract({
          acme_contract_id: 8,
          account_id: 30,
          sans: ["now.example.net"],
          valid_till: at(QUERY_NOW),
        }),
        contract({
          acme_contract_id: 9,
          account_id: 10,
          sans: ["late.example.net"],
          valid_till: at(T0 + 400 * DAY),
        }),
        ...paged,
      ]);
    };
    const windows: ExpiringQuery[] = [
      { days: 1, nowMs: QUERY_NOW, offset: 0, limit: 50 },
      { days: 7, nowMs: QUERY_NOW, offset: 0, limit: 50 },
      { days: 30, nowMs: QUERY_NOW, offset: 0, limit: 50 },
      { days: 30, nowMs: QUERY_NOW, offset: 0, limit: 50, accountId: 20 },
      { days: 30, nowMs: QUERY_NOW, offset: 10, limit: 7, sanPreview: 1 },
      { days: 365, nowMs: QUERY_NOW, offset: 0, limit: 200 },
      { days: 3650, nowMs: QUERY_NOW, offset: 45, limit: 10, sanPreview: 5 },
      { days: 30, nowMs: QUERY_NOW, offset: 500, limit: 10 },
      { days: 30, nowMs: QUERY_NOW, offset: 0, limit: 50, accountId: 99 },
    ];
    const domains: [string, DomainQuery][] = [
      ["example.com", { nowMs: QUERY_NOW, limit: 50 }],
      ["shop.example.com", { nowMs: QUERY_NOW, limit: 50 }],
      ["SHOP.Example.com.", { nowMs: QUERY_NOW, limit: 1 }],
      ["a.example.com", { nowMs: QUERY_NOW, limit: 50 }],
      ["a.example.com", { nowMs: QUERY_NOW, limit: 50, includeCanceled: false }],
      ["*.example.com", { nowMs: QUERY_NOW, limit: 50 }],
      ["xn--bcher-kva.example.com", { nowMs: QUERY_NOW, limit: 50 }],
      ["bücher.example.com", { nowMs: QUERY_NOW, limit: 50 }],
      ["a.b.example.com", { nowMs: QUERY_NOW, limit: 50 }],
      ["x.a.b.example.com", { nowMs: QUERY_NOW, limit: 50 }],
      ["host3.paged.example.org", { nowMs: QUERY_NOW, limit: 50, includeCanceled: false }],
      ["other.paged.example.org", { nowMs: T0 + 20 * DAY, limit: 5 }],
      ["nothing.example.org", { nowMs: QUERY_NOW, limit: 50 }],
    ];

    it("answers the expiry query exactly as expiringPage over the report", async () => {
      const given = queryReport();
      const { meta } = await open().record(clone(given));
      const stored = normaliseReport(given);
      const store = open();
      for (const query of windows) {
        expect(await store.expiring(meta.id, query), JSON.stringify(query)).toEqual(
          expiringPage(stored, query),
        );
      }
      // the reference itself, on a few points: the boundary, ties by id, the canceled and the expired left out
      const month = await store.expiring(meta.id, { days: 30, nowMs: QUERY_NOW, offset: 0, limit: 200 });
      expect(month?.contracts.slice(0, 3).map((c) => c.acme_contract_id)).toEqual([100, 101, 102]);
      expect(month?.contracts.map((c) => c.acme_contract_id)).toContain(6);
      expect(month?.contracts.map((c) => c.acme_contract_id)).not.toContain(103);
      expect(month?.contracts.map((c) => c.acme_contract_id)).not.toContain(8);
      const week = await store.expiring(meta.id, windows[1] as ExpiringQuery);
      expect(week?.contracts.filter((c) => c.days_left === 4).map((c) => c.acme_contract_id)).toEqual([
        107, 2, 7, 108,
      ]);
      expect((await store.expiring(meta.id, windows[4] as ExpiringQuery))?.contracts[0]?.sans).toHaveLength(
        1,
      );
      expect(await store.expiring("20200101T000000Z-00000000", windows[0] as ExpiringQuery)).toBeUndefined();
    });

    it("answers the domain query exactly as domainPage over the report", async () => {
      const given = queryReport();
      const { meta } = await open().record(clone(given));
      const stored = normaliseReport(given);
      const store = open();
      for (const [domain, query] of domains) {
        expect(await store.findDomain(meta.id, domain, query), domain).toEqual(
          domainPage(stored, domain, query),
        );
      }
      const wildcard = await store.findDomain(meta.id, "a.example.com", { nowMs: QUERY_NOW, limit: 50 });
      expect(wildcard?.matches.map((m) => [m.acme_contract_id, m.san, m.match, m.status])).toEqual([
        [7, "*.Example.com", "wildcard", "active"],
        [3, "*.example.com.", "wildcard", "canceled"],
      ]);
      const shop = await store.findDomain(meta.id, "SHOP.Example.com.", { nowMs: QUERY_NOW, limit: 1 });
      expect(shop).toMatchObject({ domain: "shop.example.com", total: 4 });
      expect(shop?.matches.map((m) => [m.acme_contract_id, m.match])).toEqual([[2, "exact"]]);
      const idn = await store.findDomain(meta.id, "bücher.example.com", { nowMs: QUERY_NOW, limit: 50 });
      expect(idn?.matches.map((m) => [m.acme_contract_id, m.match])).toEqual([
        [4, "exact"],
        [7, "wildcard"],
        [3, "wildcard"],
      ]);
      await expect(
        store.findDomain(meta.id, "not a domain", { nowMs: QUERY_NOW, limit: 5 }),
      ).rejects.toThrow();
      expect(
        await store.findDomain("20200101T000000Z-00000000", "example.com", { nowMs: QUERY_NOW, limit: 5 }),
      ).toBeUndefined();
    });

    it("answers the summary and one subaccount's contracts exactly as over the reports", async () => {
      const store = open();
      const firstReport = queryReport();
      const first = await store.record(clone(firstReport));
      expect(await open().summary(first.meta.id)).toEqual(
        snapshotSummary(normaliseReport(firstReport), first.meta.taken_at),
      );
      clock += HOUR;
      // subaccount 30 goes, 40 and 50 come; a contract is canceled
      const secondReport = report([
        ...firstReport.accounts.flatMap((a) => a.acme).filter((c) => c.account_id !== 30),
        contract({ acme_contract_id: 500, account_id: 40, valid_till: at(T0 + 3 * DAY) }),
        contract({ acme_contract_id: 501, account_id: 50, date_canceled: at(T0) }),
      ]);
      const second = await store.record(clone(secondReport));
      const fresh = open();
      const answer = await fresh.summary(second.meta.id);
      expect(answer).toEqual(
        snapshotSummary(normaliseReport(secondReport), second.meta.taken_at, {
          id: first.meta.id,
          report: normaliseReport(firstReport),
        }),
      );
      expect(answer?.previous_id).toBe(first.meta.id);
      expect(answer?.summary.subaccount_changes).toEqual({
        appeared_count: 2,
        appeared: [40, 50],
        disappeared_count: 1,
        disappeared: [30],
      });
      expect(answer?.summary.totals.contracts).toBe(67);
      for (const accountId of [10, 20, 40, 30, 99]) {
        expect(await fresh.accountReport(second.meta.id, accountId), String(accountId)).toEqual(
          accountReport(normaliseReport(secondReport), accountId),
        );
      }
      expect((await fresh.accountReport(second.meta.id, 20))?.accounts[0]?.acme).toHaveLength(32);
      expect(await fresh.accountIds(second.meta.id)).toEqual(accountIds(normaliseReport(secondReport)));
      expect(await fresh.accountIds(second.meta.id)).toEqual([10, 20, 40, 50]);
      expect(await fresh.accountIds("20200101T000000Z-00000000")).toBeUndefined();
      expect(await fresh.summary("20200101T000000Z-00000000")).toBeUndefined();
      expect(await fresh.accountReport("20200101T000000Z-00000000", 10)).toBeUndefined();
      // once the previous one is gone, the summary has no subaccount changes
      clock += HOUR;
      const pruning = open({ retention: { keepLast: 1 } });
      const third = await pruning.record(clone(firstReport));
      expect(await open().summary(third.meta.id)).toEqual(
        snapshotSummary(normaliseReport(firstReport), third.meta.taken_at),
      );
    });

    /** queryReport changed in every way diffReports tells apart, and in ways it must not count */
    const changedReport = (): Reporting => {
      const changed = queryReport()
        .accounts.flatMap((a) => a.acme)
        .filter((c) => c.acme_contract_id !== 101 && c.acme_contract_id !== 5)
        .map((c) => {
          const id = c.acme_contract_id;
          if (id === 7) return { ...c, sans: ["*.EXAMPLE.com.", "example.com"] }; // same names: no change
          if (id === 2)
            return { ...c, sans: ["shop.example.com", "new.example.com"], product_name_id: "ssl_ev_basic" };
          if (id === 3) return { ...c, date_canceled: null }; // reinstated
          if (id === 4) return { ...c, date_canceled: at(T0), valid_till: at(T0 + 41 * DAY) };
          if (id === 6) return { ...c, valid_till: c.valid_till.replace("Z", ".000Z") }; // same instant
          if (id === 9) return { ...c, account_id: 60 }; // moves to a new subaccount
          if (id === 103) return { ...c, date_canceled: null, sans: [] }; // was canceled
          if (id === 110) return { ...c, sans: [...c.sans, "extra.paged.example.org"] }; // only a SAN more
          if (id >= 140) return { ...c, valid_till: at(T0 + 500 * DAY) };
          return c;
        });
      return report([
        ...changed,
        contract({ acme_contract_id: 900, account_id: 70, sans: ["fresh.example.org"] }),
        contract({ acme_contract_id: 1, account_id: 10, date_canceled: at(T0) }),
      ]);
    };

    it("answers the diff exactly as snapshotDiff over the reports, in both directions, cut or not", async () => {
      const store = open();
      const firstReport = queryReport();
      const first = await store.record(clone(firstReport));
      clock += HOUR;
      const secondReport = changedReport();
      const second = await store.record(clone(secondReport));
      clock += HOUR;
      // a contract listed twice (two subaccounts): compared as diffReports pairs them, whatever the store
      const twiceReport = report([
        ...secondReport.accounts.flatMap((a) => a.acme),
        contract({ acme_contract_id: 2, account_id: 80, sans: ["twice.example.com"] }),
      ]);
      const twice = await store.record(clone(twiceReport));
      const reports = new Map([
        [first.meta.id, normaliseReport(firstReport)],
        [second.meta.id, normaliseReport(secondReport)],
        [twice.meta.id, normaliseReport(twiceReport)],
      ]);
      const fresh = open();
      const pairs: [string, string][] = [
        [first.meta.id, second.meta.id],
        [second.meta.id, first.meta.id],
        [first.meta.id, first.meta.id],
        [second.meta.id, twice.meta.id],
        [twice.meta.id, first.meta.id],
      ];
      for (const [from, to] of pairs) {
        for (const limit of [undefined, 0, 1, 3, 100]) {
          const expected = snapshotDiff(reports.get(from) as Reporting, reports.get(to) as Reporting, limit);
          expect(await fresh.diff(from, to, limit), `${from} → ${to}, limit ${limit}`).toEqual(expected);
        }
      }
      // the recording store may still hold both reports: the same answer
      expect(await store.diff(second.meta.id, twice.meta.id, 3)).toEqual(
        snapshotDiff(reports.get(second.meta.id) as Reporting, reports.get(twice.meta.id) as Reporting, 3),
      );
      // the reference itself, on a few points
      const diff = await fresh.diff(first.meta.id, second.meta.id);
      expect(diff?.counts).toMatchObject({
        added: 2,
        removed: 2,
        canceled: 1,
        reinstated: 2,
        sans_changed: 3,
        sans_added: 2,
        product_changed: 1,
        subaccounts_appeared: 2,
        subaccounts_disappeared: 0,
      });
      expect(diff?.added.map((c) => c.acme_contract_id)).toEqual([1, 900]);
      expect(diff?.expiry_moved.map((c) => c.acme_contract_id)).toContain(4);
      expect(diff?.expiry_moved.map((c) => c.acme_contract_id)).not.toContain(6);
      expect(diff?.sans_changed.map((c) => c.acme_contract_id)).toEqual([2, 103, 110]);
      expect((await fresh.diff(first.meta.id, second.meta.id, 1))?.truncated).toBe(true);
      expect((await fresh.diff(first.meta.id, first.meta.id))?.unchanged).toBe(true);
      expect(await fresh.diff(first.meta.id, "20200101T000000Z-00000000")).toBeUndefined();
      expect(await fresh.diff("20200101T000000Z-00000000", first.meta.id)).toBeUndefined();
    });

    it("answers diffs with lists longer than any tool's cut, whoever recorded the two snapshots", async () => {
      const base = queryReport();
      const contracts = base.accounts.flatMap((a) => a.acme);
      const many = (from: number, n: number, extra: Partial<ReportingContract> = {}) =>
        Array.from({ length: n }, (_, i) =>
          contract({
            acme_contract_id: from + i,
            account_id: 60,
            sans: [`n${from + i}.example.com`],
            ...extra,
          }),
        );
      const aReport = report([...contracts, ...many(5000, 130)]);
      // 150 added, the 130 of a canceled, one contract's SANs changed
      const bReport = report([
        ...contracts.map((c, i) => (i === 0 ? { ...c, sans: ["changed.example.com"] } : c)),
        ...many(5000, 130, { date_canceled: at(T0) }),
        ...many(7000, 150),
      ]);
      // 102 of those added ones removed again
      const cReport = report(
        bReport.accounts
          .flatMap((a) => a.acme)
          .filter((c) => c.acme_contract_id < 7000 || c.acme_contract_id >= 7102),
      );
      const recorder = open();
      const a = await recorder.record(clone(aReport));
      clock += HOUR;
      // recorded by the process that still holds the previous report
      const b = await recorder.record(clone(bReport));
      clock += HOUR;
      // recorded by another process, which holds no previous report
      const c = await open().record(clone(cReport));
      const reports = new Map([
        [a.meta.id, normaliseReport(aReport)],
        [b.meta.id, normaliseReport(bReport)],
        [c.meta.id, normaliseReport(cReport)],
      ]);
      const pairs: [string, string][] = [
        [a.meta.id, b.meta.id],
        [b.meta.id, c.meta.id],
        [a.meta.id, c.meta.id],
        [c.meta.id, b.meta.id],
      ];
      const keptFrom = async (id: string) =>
        (
          await (backend.db as () => Database)().query<{ diff_from: string | null }>(
            "SELECT diff_from FROM dcpm_snapshots WHERE id = $1",
            [id],
          )
        )[0]?.diff_from;
      if (backend.db) {
        // PostgreSQL keeps the diff from the previous snapshot: at record time when it held that report, else later
        expect(await keptFrom(b.meta.id)).toBe(a.meta.id);
        expect(await keptFrom(c.meta.id)).toBeNull();
      }
      // twice: the first ask may keep the diff for the next one, which must give the same
      for (const round of [1, 2]) {
        const fresh = open();
        for (const [from, to] of pairs) {
          for (const limit of [undefined, 0, 1, 100]) {
            const expected = snapshotDiff(
              reports.get(from) as Reporting,
              reports.get(to) as Reporting,
              limit,
            );
            expect(
              await fresh.diff(from, to, limit),
              `round ${round}: ${from} → ${to}, limit ${limit}`,
            ).toEqual(expected);
          }
        }
      }
      if (backend.db) expect(await keptFrom(c.meta.id)).toBe(b.meta.id);
      const ab = await open().diff(a.meta.id, b.meta.id, 100);
      expect(ab?.counts).toMatchObject({ added: 150, canceled: 130, sans_changed: 1 });
      expect(ab?.added).toHaveLength(100);
      expect(ab?.truncated).toBe(true);
      const bc = await open().diff(b.meta.id, c.meta.id, 100);
      expect(bc?.counts.removed).toBe(102);
      expect(bc?.removed).toHaveLength(100);
      expect(bc?.truncated).toBe(true);
    });

    it.runIf(backend.db !== undefined)(
      "writes contract rows with the snapshot, deletes them with it, backfills older ones",
      async () => {
        const db = (backend.db as () => Database)();
        const rowsOf = async (id: string) =>
          Number(
            (
              await db.query<{ n: string }>(
                "SELECT count(*) AS n FROM dcpm_snapshot_contracts WHERE snapshot_id = $1",
                [id],
              )
            )[0]?.n,
          );
        const store = open({ retention: { keepLast: 1 } });
        const first = await store.record(clone(SEED_REPORT));
        // written right after the snapshot's commit, which the record does not wait for
        await store.settled();
        expect(await rowsOf(first.meta.id)).toBe(3);
        clock += HOUR;
        const given = queryReport();
        const second = await store.record(clone(given));
        expect(await rowsOf(first.meta.id)).toBe(0);
        await store.settled();
        expect(await rowsOf(second.meta.id)).toBe(68);
        // as recorded before migration 4 (or by an older replica): no rows, not indexed
        await db.query("DELETE FROM dcpm_snapshot_contracts WHERE snapshot_id = $1", [second.meta.id]);
        await db.query(
          "UPDATE dcpm_snapshots SET contracts_indexed = false, summary = NULL, accounts = NULL WHERE id = $1",
          [second.meta.id],
        );
        const stored = normaliseReport(given);
        const fresh = open();
        const [a, b] = await Promise.all([
          fresh.expiring(second.meta.id, windows[5] as ExpiringQuery),
          fresh.findDomain(second.meta.id, "a.example.com", { nowMs: QUERY_NOW, limit: 50 }),
        ]);
        expect(a).toEqual(expiringPage(stored, windows[5] as ExpiringQuery));
        expect(b).toEqual(domainPage(stored, "a.example.com", { nowMs: QUERY_NOW, limit: 50 }));
        expect(await rowsOf(second.meta.id)).toBe(68);
        // nor whether its contract ids are unique: worked out, then the diff is from rows as for any other
        await db.query("UPDATE dcpm_snapshots SET contract_ids_unique = NULL WHERE id = $1", [
          second.meta.id,
        ]);
        const third = await open().record(report([contract({ acme_contract_id: 7, account_id: 10 })]));
        expect(await fresh.diff(second.meta.id, third.meta.id)).toEqual(
          snapshotDiff(stored, normaliseReport(report([contract({ acme_contract_id: 7, account_id: 10 })]))),
        );
        const flag = await db.query<{ contract_ids_unique: boolean | null }>(
          "SELECT contract_ids_unique FROM dcpm_snapshots WHERE id = $1",
          [second.meta.id],
        );
        expect(flag[0]?.contract_ids_unique).toBe(true);
        const secrets = await db.query(
          "SELECT 1 FROM dcpm_snapshot_contracts WHERE sans::text LIKE '%parent-key%'",
        );
        expect(secrets).toEqual([]);
        // an older replica's retention deletes the snapshot row only: its rows go with it
        await db.query("DELETE FROM dcpm_snapshots WHERE id = $1", [second.meta.id]);
        expect(await rowsOf(second.meta.id)).toBe(0);
      },
    );

    it.runIf(backend.db !== undefined)(
      "writes rows of any text as it was given, and answers from the report when PostgreSQL refuses a value",
      async () => {
        const db = (backend.db as () => Database)();
        // what COPY's text format and array literals escape: backslash, tab, newline, return, quotes, braces
        const odd = report([
          contract({
            acme_contract_id: 1,
            account_id: 10,
            product_name_id: 'ssl\\dv\t"x"\n{y}',
            sans: ['a"b.example.com', "back\\slash.example", "tab\there", "new\nline\r", "{b,c}", "NULL", ""],
            valid_till: "not a date\\N",
            created_at: "\\N",
          }),
          contract({ acme_contract_id: 2, account_id: 10, sans: [], date_canceled: "" }),
        ]);
        const store = open();
        const { meta } = await store.record(clone(odd));
        expect(await open().accountReport(meta.id, 10)).toEqual(accountReport(normaliseReport(odd), 10));
        const [row] = await db.query<{ names: string[]; till_ms: number | null; canceled: boolean }>(
          "SELECT names, till_ms, canceled FROM dcpm_snapshot_contracts WHERE snapshot_id = $1 AND contract_id = 1",
          [meta.id],
        );
        expect(row?.till_ms).toBeNull();
        expect(row?.names).toContain("null");
        // a NUL is valid JSON text but never PostgreSQL text: the snapshot is stored (its report is bytes), none
        // of its rows are, and its questions are answered from its report, exactly, by this process and another
        clock += HOUR;
        const nulReport = report([
          contract({
            acme_contract_id: 3,
            account_id: 10,
            sans: ["nul\u0000.example.com", "ok.example.com"],
          }),
        ]);
        const nul = await store.record(clone(nulReport));
        await store.settled();
        expect((await store.list()).map((m) => m.id)).toEqual([nul.meta.id, meta.id]);
        const left = await db.query<{ n: string }>(
          "SELECT count(*) AS n FROM dcpm_snapshot_contracts WHERE snapshot_id = $1",
          [nul.meta.id],
        );
        expect(Number(left[0]?.n)).toBe(0);
        const stored = normaliseReport(nulReport);
        for (const asked of [store, open()]) {
          expect(
            await asked.findDomain(nul.meta.id, "ok.example.com", { nowMs: QUERY_NOW, limit: 5 }),
          ).toEqual(domainPage(stored, "ok.example.com", { nowMs: QUERY_NOW, limit: 5 }));
          expect(await asked.expiring(nul.meta.id, windows[5] as ExpiringQuery)).toEqual(
            expiringPage(stored, windows[5] as ExpiringQuery),
          );
          expect(await asked.accountReport(nul.meta.id, 10)).toEqual(accountReport(stored, 10));
          expect(await asked.diff(meta.id, nul.meta.id)).toEqual(snapshotDiff(normaliseReport(odd), stored));
        }
        clock += HOUR;
        const next = await store.record(report([contract({ acme_contract_id: 4 })]));
        expect(next.created).toBe(true);
        expect((await store.latest())?.id).toBe(next.meta.id);
      },
    );
  });
});
