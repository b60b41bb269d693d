import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultDataDir, SnapshotStore, storeScope } from "../../src/reporting/index.js";
import { clone, contract, report, SEED_REPORT } from "./fixtures.js";

const ORIGIN = "http://127.0.0.1:4010";
const T0 = Date.parse("2026-06-01T10:00:00Z");
const HOUR = 3_600_000;

/** A logger that keeps warnings in memory, so tests can see what was reported. */
function memoryLogger() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: "debug" }, { write: (s: string) => lines.push(JSON.parse(s)) });
  return { logger, warnings: () => lines.filter((l) => l.level === 40).map((l) => l.msg) };
}

let root: string;
let clock: number;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "dc-reporting-"));
  clock = T0;
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function open(extra: Partial<ConstructorParameters<typeof SnapshotStore>[0]> = {}) {
  return new SnapshotStore({
    dataDir: root,
    origin: ORIGIN,
    accountKey: "parent-key",
    now: () => clock,
    ...extra,
  });
}

describe("SnapshotStore", () => {
  it("stores, lists and survives a restart", async () => {
    const store = open();
    const first = await store.record(SEED_REPORT);
    expect(first.created).toBe(true);
    expect(first.meta.counts).toEqual({
      subaccounts: 2,
      contracts: 3,
      active: 3,
      expired: 0,
      canceled: 0,
      sans: 5,
    });
    expect(first.meta.id).toMatch(/^20260601T100000Z-[0-9a-f]{8}$/);

    const again = open();
    expect((await again.list()).map((m) => m.id)).toEqual([first.meta.id]);
    const loaded = await again.read(first.meta.id);
    expect(loaded?.report.accounts.map((a) => a.account_id)).toEqual([1234, 5678]);
    expect(loaded?.meta.hash).toBe(first.meta.hash);
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
    expect(second.meta.checked_at).toBe(new Date(T0 + HOUR).toISOString());
    expect(await store.list()).toHaveLength(1);
    expect((await open().latest())?.checked_at).toBe(new Date(T0 + HOUR).toISOString());
  });

  it("keeps stores apart per origin and per parent key", async () => {
    await open().record(SEED_REPORT);
    expect(await open({ accountKey: "other-parent" }).list()).toEqual([]);
    expect(await open({ origin: "https://www.digicert.com" }).list()).toEqual([]);
    expect(storeScope(ORIGIN, "parent-key")).toMatch(/^[0-9a-f]{16}$/);
    // The key itself is never written anywhere.
    const dir = join(root, "reporting", storeScope(ORIGIN, "parent-key"));
    for (const name of await readdir(dir)) {
      if (name.endsWith(".json")) expect(await readFile(join(dir, name), "utf8")).not.toContain("parent-key");
    }
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
    // only the live snapshot's two files (plus store.json) remain on disk
    expect((await readdir(store.dir)).sort()).toEqual([
      `${ids[4]}.json.gz`,
      `${ids[4]}.meta.json`,
      "store.json",
    ]);
  });

  it("ignores a torn temp file and skips a corrupt snapshot with a warning", async () => {
    const { logger, warnings } = memoryLogger();
    const store = open({ logger });
    const good = await store.record(SEED_REPORT);
    clock += HOUR;
    const bad = await store.record(report([contract({ acme_contract_id: 77 })]));
    // a crash mid-write: half a temp file next to the real ones
    await writeFile(join(store.dir, `.tmp-${bad.meta.id}.meta.json.123.abcd`), '{"id": "2026');
    const torn = {
      ...bad.meta,
      id: "20260601T120000Z-0badf00d",
      taken_at: new Date(T0 + 2 * HOUR).toISOString(),
    };
    await writeFile(join(store.dir, `.tmp-${torn.id}.meta.json`), JSON.stringify(torn));
    await writeFile(join(store.dir, `.tmp-${torn.id}.json.gz`), gzipSync("{").subarray(0, 5));
    // the newest snapshot's data is damaged on disk
    await writeFile(join(store.dir, `${bad.meta.id}.json.gz`), gzipSync('{"accounts": [tampered'));

    const restarted = open({ logger });
    expect((await restarted.list()).map((m) => m.id)).toEqual([bad.meta.id, good.meta.id]);
    expect(await restarted.read(bad.meta.id)).toBeUndefined();
    expect(warnings()).toContain("damaged reporting snapshot skipped");
    // the damaged one no longer counts: latest is the previous good snapshot, and it still reads
    expect((await restarted.latest())?.id).toBe(good.meta.id);
    expect((await restarted.read(good.meta.id))?.report.accounts).toHaveLength(2);

    // a meta file that is not JSON is skipped too
    await writeFile(join(store.dir, "20260101T000000Z-deadbeef.meta.json"), "{oops");
    const third = open({ logger });
    expect((await third.list()).map((m) => m.id)).toEqual([bad.meta.id, good.meta.id]);
  });

  it("shares one fetch among concurrent takes and tells listeners", async () => {
    const store = open();
    const events: boolean[] = [];
    store.onRecord((e) => events.push(e.created));
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
  });

  it("defaults the data directory per XDG", () => {
    expect(defaultDataDir({ XDG_STATE_HOME: "/x/state" }, "linux")).toBe("/x/state/digicert-partner-mcp");
    expect(defaultDataDir({ HOME: "/home/u" }, "linux")).toBe("/home/u/.local/state/digicert-partner-mcp");
  });
});
