import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEMO, DEMO_KEYS, startSandbox } from "../../sandbox/index.js";
import type { ExtensionContext } from "../../src/mcp/index.js";
import { registerReporting } from "../../src/mcp/reporting/index.js";
import { canonicalJson, type Reporting, SnapshotStore } from "../../src/reporting/index.js";
import { startMcp, textOf } from "./helpers/mcp-harness.js";

// A failing snapshot write (disk full half-way through a file, a read-only directory, a failed rename) must not
// lose or damage the snapshots already stored: they stay listed, readable and byte-identical, and the store
// works again once the disk does.

type Fault = (step: "open" | "write" | "rename", path: string) => NodeJS.ErrnoException | undefined;
const injected = vi.hoisted(() => ({ fault: undefined as Fault | undefined }));

function errno(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  const open: typeof real.open = async (path, flags, mode) => {
    const where = String(path);
    const refused = flags === "wx" ? injected.fault?.("open", where) : undefined;
    if (refused) throw refused;
    const handle = await real.open(path, flags, mode);
    const failure = flags === "wx" ? injected.fault?.("write", where) : undefined;
    if (failure) {
      // disk full part-way: half of the bytes land, then the write fails
      const writeHalf = async (data: string | Uint8Array) => {
        const bytes = typeof data === "string" ? Buffer.from(data) : Buffer.from(data);
        await handle.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
        throw failure;
      };
      Object.defineProperty(handle, "writeFile", { value: writeHalf });
    }
    return handle;
  };
  const rename: typeof real.rename = async (from, to) => {
    const failure = injected.fault?.("rename", String(to));
    if (failure) throw failure;
    return real.rename(from, to);
  };
  return { ...real, open, rename, default: { ...real, open, rename } };
});

function report(n: number): Reporting {
  return {
    accounts: [
      {
        account_id: 1001,
        acme: Array.from({ length: n }, (_, i) => ({
          product_name_id: "ssl_dv_rapidssl",
          account_id: 1001,
          sans: [`host${i}.example.com`],
          acme_contract_id: 10_000 + i,
          valid_till: "2027-01-01T00:00:00Z",
          created_at: "2026-01-01T00:00:00Z",
          date_canceled: null,
        })),
      },
    ],
  };
}

let dataDir: string;
let clock = Date.parse("2026-06-01T00:00:00Z");
const now = () => clock;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "dcp-store-"));
  injected.fault = undefined;
});
afterEach(async () => {
  injected.fault = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

async function storeWithThree() {
  const store = new SnapshotStore({ dataDir, origin: "https://www.digicert.com", accountKey: "k", now });
  const ids: string[] = [];
  for (const n of [1, 2, 3]) {
    clock += 60_000;
    ids.push((await store.record(report(n))).meta.id);
  }
  // compared as canonical JSON: a report just recorded is cached with its keys as DigiCert sent them, one read
  // back from disk has them sorted; the content is what must not change
  const contents = await Promise.all(ids.map(async (id) => canonicalJson((await store.read(id))?.report)));
  return { store, ids, contents };
}

/** The earlier snapshots are listed, readable and unchanged, also for a fresh store reading the disk. */
async function expectIntact(ids: string[], contents: string[], store: SnapshotStore) {
  for (const s of [
    store,
    new SnapshotStore({ dataDir, origin: "https://www.digicert.com", accountKey: "k", now }),
  ]) {
    const listed = (await s.list()).map((m) => m.id);
    for (const id of ids) expect(listed).toContain(id);
    for (const [i, id] of ids.entries()) {
      const snap = await s.read(id);
      expect(snap, id).toBeDefined();
      expect(canonicalJson(snap?.report)).toBe(contents[i]);
    }
  }
}

/** `meta`: whether the fault also hits the meta-only rewrite of an unchanged report (checked_at). */
const FAULTS: { label: string; fault: Fault; code: string; meta: boolean }[] = [
  {
    label: "disk full half-way through the data file",
    fault: (step, path) =>
      step === "write" && path.includes(".json.gz") ? errno("ENOSPC", "no space left") : undefined,
    code: "ENOSPC",
    meta: false,
  },
  {
    label: "disk full half-way through the meta file (data file already written)",
    fault: (step, path) =>
      step === "write" && path.includes(".meta.json") ? errno("ENOSPC", "no space left") : undefined,
    code: "ENOSPC",
    meta: true,
  },
  {
    label: "a read-only data directory",
    fault: (step) => (step === "open" ? errno("EACCES", "permission denied") : undefined),
    code: "EACCES",
    meta: true,
  },
  {
    label: "a failing rename",
    fault: (step) => (step === "rename" ? errno("EIO", "i/o error") : undefined),
    code: "EIO",
    meta: true,
  },
];

describe("snapshot store: a failing write keeps the earlier snapshots", () => {
  it.each(FAULTS)("$label", async ({ fault, code, meta }) => {
    const { store, ids, contents } = await storeWithThree();
    injected.fault = fault;
    clock += 60_000;
    await expect(store.record(report(4))).rejects.toMatchObject({ code });
    // an unchanged report only moves checked_at: that rewrite failing must not damage the latest either
    const checkedBefore = (await store.latest())?.checked_at;
    clock += 60_000;
    if (meta) {
      await expect(store.record(report(3))).rejects.toMatchObject({ code });
      expect((await store.latest())?.checked_at).toBe(checkedBefore);
    } else {
      expect((await store.record(report(3))).created).toBe(false);
    }
    injected.fault = undefined;
    await expectIntact(ids, contents, store);
    expect((await store.latest())?.id).toBe(ids[2]);
    expect((await store.list()).map((m) => m.id)).toEqual([...ids].reverse());
    // no temp file is left behind, and nothing half-written is listed
    const files = await readdir(store.dir);
    expect(files.filter((f) => f.startsWith(".tmp-"))).toEqual([]);
    // the disk works again: the next snapshot is stored normally
    clock += 60_000;
    const next = await store.record(report(4));
    expect(next.created).toBe(true);
    expect(next.previous?.id).toBe(ids[2]);
    await expectIntact(
      [...ids, next.meta.id],
      [...contents, canonicalJson((await store.read(next.meta.id))?.report)],
      store,
    );
  });
});

describe("snapshot store through MCP: the reporting tools and resources survive a full disk", () => {
  it("take_reporting_snapshot reports the failure; the latest snapshot is still served", async () => {
    const sandbox = await startSandbox({ seed: "demo" });
    let store: SnapshotStore | undefined;
    const extend = (server: McpServer, ctx: ExtensionContext) => {
      store = new SnapshotStore({ dataDir, origin: sandbox.url, accountKey: DEMO_KEYS.parent });
      registerReporting(server, {
        client: ctx.client,
        logger: ctx.logger,
        store,
        hasDevkey: true,
        pollWhileSubscribed: false,
        maxAgeMs: 0, // every read of latest refetches, so each one meets the full disk
      });
    };
    const h = await startMcp({
      baseUrl: sandbox.url,
      credentials: {
        parentKey: DEMO_KEYS.parent,
        subaccountKey: DEMO_KEYS.subFull,
        devkey: DEMO_KEYS.devkey,
      },
      server: { extend },
    });
    try {
      const first = await h.call("take_reporting_snapshot", {});
      expect(first.isError).toBeFalsy();
      const firstId = (first.structuredContent as { snapshot?: { id?: string } }).snapshot?.id;
      expect(firstId).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{8}$/);
      // change the data so the next snapshot would be a new one, then fill the disk
      sandbox.store.contracts.get(DEMO.contracts.dv)?.sans.push("added.example.com");
      injected.fault = (step) => (step === "write" ? errno("ENOSPC", "no space left on device") : undefined);
      const failed = await h.call("take_reporting_snapshot", {});
      expect(failed.isError).toBe(true);
      expect(textOf(failed)).toMatch(/ENOSPC|no space left/);
      const summary = await h.call("reporting_summary", {});
      expect(summary.isError, textOf(summary)).toBeFalsy();
      expect(textOf(summary)).toContain(firstId as string);
      const latest = await h.mcp.readResource({ uri: "digicert://reporting/latest" });
      const body = JSON.parse(String((latest.contents[0] as { text?: string }).text)) as {
        meta?: { id?: string };
        id?: string;
        refresh_error?: string;
      };
      expect(JSON.stringify(body)).toContain(firstId as string);
      expect(JSON.stringify(body)).toMatch(/no space left/);
      injected.fault = undefined;
      const after = await h.call("take_reporting_snapshot", {});
      expect(after.isError).toBeFalsy();
      expect((await store?.list())?.length).toBe(2);
    } finally {
      await h.close();
      await sandbox.close();
    }
  });
});
