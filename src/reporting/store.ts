import { createHash } from "node:crypto";
import { once } from "node:events";
import { mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Logger } from "pino";
import { z } from "zod";
import { lazy } from "../schemas/lazy.js";
import { canonicalReportPieces, sha256Hex } from "./canonical.js";
import { defaultDataDir, TEMP_PREFIX, writeFileAtomic } from "./files.js";
import {
  countReport,
  DAY_MS,
  isSnapshotId,
  orderReport,
  type Reporting,
  type Snapshot,
  type SnapshotMeta,
  snapshotId,
} from "./model.js";
import {
  accountIds,
  accountReport,
  type DomainPage,
  type DomainQuery,
  domainPage,
  type ExpiringPage,
  type ExpiringQuery,
  expiringPage,
  type SnapshotDiff,
  type SnapshotSummary,
  snapshotDiff,
  snapshotSummary,
} from "./queries.js";

/**
 * node:zlib, loaded on the first snapshot written or read: a server that only starts and lists its tools (the
 * client's first spawn) never needs it, and loading it was ~2 ms of every start (BENCHMARKS.md, issue 16).
 */
function zlib(): typeof import("node:zlib") {
  return process.getBuiltinModule("node:zlib");
}

let gunzipPromise: ((buffer: Buffer) => Promise<Buffer>) | undefined;
/** promisified gunzip, made on first use */
export function gunzipAsync(buffer: Buffer): Promise<Buffer> {
  gunzipPromise ??= promisify(zlib().gunzip);
  return gunzipPromise(buffer);
}

export interface RetentionPolicy {
  /** keep at most this many snapshots (default 50; 0 or undefined with maxAgeDays set = no count limit) */
  keepLast?: number;
  /** delete snapshots taken more than this many days ago (default 180) */
  maxAgeDays?: number;
}

export const DEFAULT_RETENTION: Required<RetentionPolicy> = { keepLast: 50, maxAgeDays: 180 };

export interface SnapshotStoreOptions {
  /** root data directory; default $XDG_STATE_HOME/digicert-partner-mcp or ~/.local/state/digicert-partner-mcp */
  dataDir?: string;
  /** DigiCert origin the snapshots come from (DigiCertClient.baseUrl) */
  origin: string;
  /**
   * The parent account's key. Only a truncated hash of it (with the origin) names the store folder, so two
   * accounts, or the sandbox and production, never share snapshots.
   */
  accountKey?: string;
  retention?: RetentionPolicy;
  logger?: Logger;
  now?: () => number;
  /** parsed reports kept in memory (default 2: the latest and one other) */
  cacheSize?: number;
}

export interface RecordResult {
  meta: SnapshotMeta;
  /** false when the report equalled the latest snapshot: only its checked_at moved */
  created: boolean;
  /** the snapshot that was latest before this one, if any */
  previous?: SnapshotMeta;
}

export type StoreListener = (event: RecordResult) => void;

/**
 * Where reporting snapshots live: files (the default, FileSnapshotStore) or PostgreSQL (PgSnapshotStore, with
 * DATABASE_URL, shared by replicas). Both pass test/reporting/store-contract.test.ts. The expiry, domain and
 * summary queries and the diff are the store's own (PostgreSQL answers them from per-contract rows, without a
 * report); the list holds descriptions only.
 */
export interface SnapshotStore {
  /** for messages and logs: the folder, or PostgreSQL's host:port/database */
  readonly location: string;
  /** Snapshots, newest first (descriptions only, no reports). */
  list(): Promise<SnapshotMeta[]>;
  latest(): Promise<SnapshotMeta | undefined>;
  meta(id: string): Promise<SnapshotMeta | undefined>;
  /** The snapshot taken just before `id`. */
  previous(id: string): Promise<SnapshotMeta | undefined>;
  /**
   * One snapshot with its report; undefined when unknown or damaged (with a warning). A report still cached from
   * its record has its keys as DigiCert sent them, one read back has them sorted: the same content, and the
   * same canonicalText.
   */
  read(id: string): Promise<Snapshot | undefined>;
  /**
   * list_expiring_contracts' page of snapshot `id`: exactly expiringPage over its report; undefined when the
   * snapshot is unknown or damaged. PostgreSQL answers from its per-contract rows, without the report.
   */
  expiring(id: string, query: ExpiringQuery): Promise<ExpiringPage | undefined>;
  /**
   * find_contracts_for_domain's answer for snapshot `id`: exactly domainPage over its report (it throws the same
   * way for a domain that is not a DNS name); undefined when the snapshot is unknown or damaged.
   */
  findDomain(id: string, domain: string, query: DomainQuery): Promise<DomainPage | undefined>;
  /**
   * The summary of snapshot `id`: exactly snapshotSummary over its report and the previous snapshot's (when that
   * one still exists and reads); undefined when `id` is unknown or damaged. PostgreSQL stores it at record time.
   */
  summary(id: string): Promise<SnapshotSummary | undefined>;
  /** accountReport of snapshot `id` (one subaccount's contracts); undefined when unknown or damaged. */
  accountReport(id: string, accountId: number): Promise<Reporting | undefined>;
  /** accountIds of snapshot `id` (for completion); undefined when unknown or damaged. PostgreSQL keeps them. */
  accountIds(id: string): Promise<number[] | undefined>;
  /**
   * What changed from snapshot `fromId` to `toId`: exactly snapshotDiff over their reports (every list cut to
   * `limit` when given, counts exact); undefined when either is unknown or damaged. PostgreSQL compares the two
   * snapshots' rows in SQL and reads only the contracts that differ.
   */
  diff(fromId: string, toId: string, limit?: number): Promise<SnapshotDiff | undefined>;
  /** Fetches with `fetch` and records; concurrent calls in one process share one fetch. */
  take(fetch: () => Promise<Reporting>): Promise<RecordResult>;
  /**
   * A new snapshot unless the report equals the latest one (then only its checked_at moves); then retention.
   * Orders the report's lists in place and may keep it in the cache: the caller must not change it afterwards.
   */
  record(report: Reporting, fetchedAtMs?: number): Promise<RecordResult>;
  /** Deletes snapshots beyond the retention policy (never the newest); returns the deleted ids. */
  prune(): Promise<string[]>;
  /**
   * Called after every recorded report, by this process or (PostgreSQL) by any replica sharing the store.
   * Returns an unsubscribe.
   */
  onRecord(listener: StoreListener): () => void;
  /**
   * Resolves when work a record started and did not wait for is done (PostgreSQL: the contract rows written
   * after the snapshot's commit); the files store has none.
   */
  settled(): Promise<void>;
  /** Releases what the store holds open (the PostgreSQL listener); the files store holds nothing. */
  close(): Promise<void>;
}

/** A report ready to store: the gzip of its canonical JSON, that text's hash and size, and the report's counts. */
export interface PreparedReport {
  /** gzip of the canonical JSON (keys sorted, lists ordered) as UTF-8: what a read gunzips and parses back */
  gz: Buffer;
  /** UTF-8 bytes of the canonical JSON */
  bytes: number;
  hash: string;
  at: string;
  counts: SnapshotMeta["counts"];
}

/**
 * gzip level of stored snapshots. Only the stored bytes depend on it (ids and hashes are of the canonical text),
 * and any level reads back; 1 is 3-6x faster than zlib's default 6 for about a third more bytes (BENCHMARKS.md).
 */
export const SNAPSHOT_GZIP_LEVEL = 1;
/** canonical text is hashed and gzipped in UTF-8 slices of about this size */
const SLICE = 1 << 20;
/** UTF-8 waiting for gzip beyond which writing the text pauses */
const IN_FLIGHT = 8 * SLICE;

/**
 * Hash, gzip and counts of a fetched report's canonical JSON. Orders the report's lists in place (subaccounts,
 * contracts, SANs; DigiCert documents no order) and builds neither a copy of it nor its whole text: the canonical
 * text is written from the report itself a subaccount at a time (canonicalReportPieces), each slice hashed and gzipped
 * as it comes. The stores then keep the report as given (so it must not be changed afterwards): its content is
 * the snapshot's, only its keys may be in DigiCert's order rather than sorted, which no result depends on (the
 * report resources write canonicalText).
 */
export async function prepareReport(report: Reporting, fetchedAtMs: number): Promise<PreparedReport> {
  orderReport(report);
  const hash = createHash("sha256");
  const gz = zlib().createGzip({ level: SNAPSHOT_GZIP_LEVEL });
  const parts: Buffer[] = [];
  gz.on("data", (part: Buffer) => parts.push(part));
  const ended = once(gz, "end");
  // observed here too, so an error while a write is waiting for "drain" is not also an unhandled rejection
  ended.catch(() => undefined);
  let bytes = 0;
  let pending: string[] = [];
  let pendingLength = 0;
  const flush = async () => {
    const utf8 = Buffer.from(pending.join(""), "utf8");
    pending = [];
    pendingLength = 0;
    bytes += utf8.length;
    hash.update(utf8);
    // zlib compresses on the thread pool: let a few slices queue so the next ones are written meanwhile
    if (!gz.write(utf8) && gz.writableLength > IN_FLIGHT) await once(gz, "drain");
  };
  for (const piece of canonicalReportPieces(report)) {
    pending.push(piece);
    pendingLength += piece.length;
    if (pendingLength >= SLICE) await flush();
  }
  await flush();
  gz.end();
  await ended;
  return {
    gz: Buffer.concat(parts),
    bytes,
    hash: hash.digest("hex"),
    at: new Date(fetchedAtMs).toISOString(),
    counts: countReport(report, fetchedAtMs),
  };
}

/** Parses stored canonical JSON back into a report; throws when it is not one or its hash is not `hash`. */
export function parseStoredReport(raw: Buffer, hash: string): Reporting {
  const actual = sha256Hex(raw);
  if (actual !== hash)
    throw new Error(`content hash ${actual.slice(0, 12)}… does not match the recorded one`);
  return reportOf(raw.toString("utf8"));
}

/** A report from canonical JSON text; throws when it is not one. */
export function reportOf(text: string): Reporting {
  const parsed: unknown = JSON.parse(text);
  if (!parsed || typeof parsed !== "object" || !Array.isArray((parsed as Reporting).accounts)) {
    throw new Error("not a reporting document");
  }
  return parsed as Reporting;
}

/** Retention cut-off in epoch ms (everything older goes, except the newest). */
export function retentionCutoff(retention: RetentionPolicy, nowMs: number): number {
  const { maxAgeDays } = retention;
  return maxAgeDays && maxAgeDays > 0 ? nowMs - maxAgeDays * DAY_MS : Number.NEGATIVE_INFINITY;
}

const metaSchema = lazy(() =>
  z.object({
    id: z.string().refine(isSnapshotId),
    taken_at: z.string(),
    checked_at: z.string(),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    counts: z.object({
      subaccounts: z.number().int().nonnegative(),
      contracts: z.number().int().nonnegative(),
      active: z.number().int().nonnegative(),
      expired: z.number().int().nonnegative(),
      canceled: z.number().int().nonnegative(),
      sans: z.number().int().nonnegative(),
    }),
    bytes: z.number().int().nonnegative(),
  }),
);

const META_SUFFIX = ".meta.json";
const DATA_SUFFIX = ".json.gz";
/** Temp and orphan files younger than this may belong to a writer in another process; leave them alone. */
const STALE_MS = 60 * 60 * 1000;

/** Folder name for one origin + account: 16 hex chars of a hash, so the key itself is never on disk. */
export function storeScope(origin: string, accountKey: string | undefined): string {
  const normalised = new URL(origin).origin.toLowerCase();
  return sha256Hex(`digicert-partner-mcp\0${normalised}\0${accountKey ?? "(no parent key)"}`).slice(0, 16);
}

const takenAtMs = (m: SnapshotMeta) => Date.parse(m.taken_at);
const newestFirst = (a: SnapshotMeta, b: SnapshotMeta) =>
  takenAtMs(b) - takenAtMs(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * Reporting snapshots on disk, one folder per DigiCert origin + parent account. Each snapshot is two files:
 * `<id>.json.gz` (gzip of the canonical JSON of the normalised report) and `<id>.meta.json` (time, counts,
 * hash). Every write is atomic; the meta file is written last, so a snapshot exists only once both are whole.
 * Damaged files are skipped with a warning; temp files are never read.
 */
export class FileSnapshotStore implements SnapshotStore {
  /** the folder holding this origin + account's snapshots */
  readonly dir: string;
  private readonly origin: string;
  private readonly retention: RetentionPolicy;
  private readonly logger: Logger | undefined;
  private readonly now: () => number;
  private readonly cacheSize: number;
  private index: SnapshotMeta[] = [];
  private ready: Promise<void> | undefined;
  /** mutations run one at a time, in order */
  private queue: Promise<unknown> = Promise.resolve();
  private inflightTake: Promise<RecordResult> | undefined;
  private readonly cache = new Map<string, Snapshot>();
  private readonly listeners = new Set<StoreListener>();
  /** files already warned about, so a damaged file is reported once, not on every rescan */
  private readonly warned = new Set<string>();
  /** snapshots whose data failed to load: left on disk for a person to inspect, never listed again */
  private readonly damaged = new Set<string>();

  constructor(options: SnapshotStoreOptions) {
    this.origin = new URL(options.origin).origin;
    const root = options.dataDir ?? defaultDataDir();
    this.dir = join(root, "reporting", storeScope(options.origin, options.accountKey));
    this.retention = options.retention ?? DEFAULT_RETENTION;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.cacheSize = Math.max(0, options.cacheSize ?? 2);
  }

  get location(): string {
    return this.dir;
  }

  async settled(): Promise<void> {
    // a record does all its work before it resolves
  }

  async close(): Promise<void> {
    // nothing held open: every operation opens and closes its files
  }

  /** Snapshots, newest first. */
  async list(): Promise<SnapshotMeta[]> {
    await this.open();
    return [...this.index];
  }

  async latest(): Promise<SnapshotMeta | undefined> {
    await this.open();
    return this.index[0];
  }

  async meta(id: string): Promise<SnapshotMeta | undefined> {
    await this.open();
    return this.index.find((m) => m.id === id);
  }

  /** The snapshot taken just before `id`. */
  async previous(id: string): Promise<SnapshotMeta | undefined> {
    await this.open();
    const at = this.index.findIndex((m) => m.id === id);
    return at < 0 ? undefined : this.index[at + 1];
  }

  /**
   * Loads one snapshot. Undefined when unknown; when its file is damaged (unreadable, wrong hash) it is dropped
   * from the index with a warning and undefined is returned.
   */
  async read(id: string): Promise<Snapshot | undefined> {
    await this.open();
    const meta = this.index.find((m) => m.id === id);
    if (!meta) return undefined;
    const hit = this.cache.get(id);
    if (hit) {
      // refresh recency, and pick up a checked_at moved since it was cached
      this.cache.delete(id);
      const fresh = { meta, report: hit.report };
      this.cache.set(id, fresh);
      return fresh;
    }
    let report: Reporting;
    try {
      report = parseStoredReport(await gunzipAsync(await readFile(this.dataPath(id))), meta.hash);
    } catch (err) {
      this.logger?.warn(
        { snapshot: id, dir: this.dir, err: String(err) },
        "damaged reporting snapshot skipped",
      );
      this.damaged.add(id);
      this.index = this.index.filter((m) => m.id !== id);
      return undefined;
    }
    const snapshot = { meta, report };
    this.remember(snapshot);
    return snapshot;
  }

  async expiring(id: string, query: ExpiringQuery): Promise<ExpiringPage | undefined> {
    const snapshot = await this.read(id);
    return snapshot && expiringPage(snapshot.report, query);
  }

  async findDomain(id: string, domain: string, query: DomainQuery): Promise<DomainPage | undefined> {
    const snapshot = await this.read(id);
    return snapshot && domainPage(snapshot.report, domain, query);
  }

  async summary(id: string): Promise<SnapshotSummary | undefined> {
    const snapshot = await this.read(id);
    if (!snapshot) return undefined;
    const before = await this.previous(id);
    const previous = before ? await this.read(before.id) : undefined;
    return snapshotSummary(
      snapshot.report,
      snapshot.meta.taken_at,
      previous && { id: previous.meta.id, report: previous.report },
    );
  }

  async accountIds(id: string): Promise<number[] | undefined> {
    const snapshot = await this.read(id);
    return snapshot && accountIds(snapshot.report);
  }

  async accountReport(id: string, accountId: number): Promise<Reporting | undefined> {
    const snapshot = await this.read(id);
    return snapshot && accountReport(snapshot.report, accountId);
  }

  async diff(fromId: string, toId: string, limit?: number): Promise<SnapshotDiff | undefined> {
    const from = await this.read(fromId);
    const to = from && (await this.read(toId));
    return to && snapshotDiff(from.report, to.report, limit);
  }

  /**
   * Fetches the report with `fetch` and records it. Concurrent calls share one fetch, so a burst of readers
   * costs DigiCert one request.
   */
  take(fetch: () => Promise<Reporting>): Promise<RecordResult> {
    if (!this.inflightTake) {
      this.inflightTake = (async () => {
        // while a report is fetched and stored, only the latest (which it is compared with) stays in memory
        const latest = this.index[0]?.id;
        for (const id of [...this.cache.keys()]) if (id !== latest) this.cache.delete(id);
        const report = await fetch();
        return this.record(report);
      })().finally(() => {
        this.inflightTake = undefined;
      });
    }
    return this.inflightTake;
  }

  /**
   * Stores a fetched report as a new snapshot, unless it equals the latest one: then only that snapshot's
   * checked_at moves. Applies retention after a new snapshot.
   */
  record(report: Reporting, fetchedAtMs: number = this.now()): Promise<RecordResult> {
    return this.exclusive(async () => {
      await this.open();
      // Another process may share the folder: see what it wrote before deciding what is new.
      await this.rescan();
      const { gz, bytes, hash, at, counts } = await prepareReport(report, fetchedAtMs);
      const previous = this.index[0];
      let result: RecordResult;
      if (previous && previous.hash === hash) {
        const meta: SnapshotMeta = { ...previous, checked_at: at };
        await writeFileAtomic(this.metaPath(meta.id), `${JSON.stringify(meta, null, 2)}\n`);
        this.index[0] = meta;
        result = { meta, created: false, previous };
      } else {
        let id = snapshotId(fetchedAtMs, hash);
        for (let n = 2; this.index.some((m) => m.id === id); n++)
          id = `${snapshotId(fetchedAtMs, hash)}-${n}`;
        const meta: SnapshotMeta = {
          id,
          taken_at: at,
          checked_at: at,
          hash,
          counts,
          bytes,
        };
        await writeFileAtomic(this.dataPath(id), gz);
        await writeFileAtomic(this.metaPath(id), `${JSON.stringify(meta, null, 2)}\n`);
        this.index.unshift(meta);
        this.index.sort(newestFirst);
        // the report as given (lists ordered, keys as DigiCert sent them; see prepareReport)
        this.remember({ meta, report });
        result = previous ? { meta, created: true, previous } : { meta, created: true };
        await this.applyRetention();
      }
      this.emit(result);
      return result;
    });
  }

  /** Deletes snapshots beyond the retention policy (never the newest); returns the deleted ids. */
  prune(): Promise<string[]> {
    return this.exclusive(async () => {
      await this.open();
      return this.applyRetention();
    });
  }

  /** Called after every recorded report (new snapshot or just a new check time). Returns an unsubscribe. */
  onRecord(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: RecordResult): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.logger?.warn({ err: String(err) }, "reporting snapshot listener failed");
      }
    }
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private remember(snapshot: Snapshot): void {
    if (this.cacheSize === 0) return;
    this.cache.delete(snapshot.meta.id);
    this.cache.set(snapshot.meta.id, snapshot);
    while (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
    }
  }

  private dataPath(id: string): string {
    return join(this.dir, `${id}${DATA_SUFFIX}`);
  }

  private metaPath(id: string): string {
    return join(this.dir, `${id}${META_SUFFIX}`);
  }

  private open(): Promise<void> {
    if (!this.ready) {
      this.ready = (async () => {
        await mkdir(this.dir, { recursive: true, mode: 0o700 });
        // A note for people browsing the data directory; the folder name alone does not say what it holds.
        const about = join(this.dir, "store.json");
        const exists = await stat(about).then(
          () => true,
          () => false,
        );
        if (!exists) {
          await writeFileAtomic(
            about,
            `${JSON.stringify({ kind: "digicert-partner-mcp reporting snapshots", origin: this.origin, format: 1 }, null, 2)}\n`,
          );
        }
        await this.rescan();
      })();
      // A failed open (e.g. permissions) is retried by the next call instead of being remembered.
      this.ready.catch(() => {
        this.ready = undefined;
      });
    }
    return this.ready;
  }

  /** Rebuilds the index from the meta files; skips (with a warning) any that is damaged or lacks its data. */
  private async rescan(): Promise<void> {
    const names = await readdir(this.dir);
    const present = new Set(names);
    const metas: SnapshotMeta[] = [];
    for (const name of names) {
      if (name.startsWith(TEMP_PREFIX) || !name.endsWith(META_SUFFIX)) continue;
      const id = name.slice(0, -META_SUFFIX.length);
      if (this.damaged.has(id)) continue;
      const known = this.index.find((m) => m.id === id);
      try {
        const parsed = metaSchema.safeParse(JSON.parse(await readFile(join(this.dir, name), "utf8")));
        if (!parsed.success || parsed.data.id !== id || Number.isNaN(Date.parse(parsed.data.taken_at))) {
          throw new Error("not a snapshot description");
        }
        if (!present.has(`${id}${DATA_SUFFIX}`)) throw new Error("its data file is missing");
        metas.push(parsed.data);
      } catch (err) {
        if (known || !this.warned.has(name)) {
          this.warned.add(name);
          this.logger?.warn(
            { file: name, dir: this.dir, err: String(err) },
            "damaged reporting snapshot skipped",
          );
        }
      }
    }
    metas.sort(newestFirst);
    this.index = metas;
    for (const id of this.cache.keys()) if (!metas.some((m) => m.id === id)) this.cache.delete(id);
  }

  private async applyRetention(): Promise<string[]> {
    const { keepLast } = this.retention;
    const oldest = retentionCutoff(this.retention, this.now());
    const doomed = this.index.filter(
      (m, i) => i > 0 && ((keepLast !== undefined && keepLast > 0 && i >= keepLast) || takenAtMs(m) < oldest),
    );
    for (const m of doomed) {
      // Meta first: if we stop half-way, what is left is an orphan data file, which is never listed.
      await rm(this.metaPath(m.id), { force: true });
      await rm(this.dataPath(m.id), { force: true });
      this.cache.delete(m.id);
    }
    if (doomed.length > 0) {
      const gone = new Set(doomed.map((m) => m.id));
      this.index = this.index.filter((m) => !gone.has(m.id));
      this.logger?.debug({ deleted: [...gone] }, "reporting snapshots pruned");
    }
    await this.sweep();
    return doomed.map((m) => m.id);
  }

  /** Removes stale temp files (a crash mid-write) and orphan data files; young ones may be another writer's. */
  private async sweep(): Promise<void> {
    const limit = this.now() - STALE_MS;
    const listed = new Set(this.index.map((m) => m.id));
    for (const name of await readdir(this.dir)) {
      const temp = name.startsWith(TEMP_PREFIX);
      const orphan = name.endsWith(DATA_SUFFIX) && !listed.has(name.slice(0, -DATA_SUFFIX.length));
      if (!temp && !orphan) continue;
      const path = join(this.dir, name);
      const info = await stat(path).catch(() => undefined);
      if (info && info.mtimeMs < limit && !(orphan && (await this.hasMeta(name)))) {
        await rm(path, { force: true }).catch(() => undefined);
      }
    }
  }

  /** A data file whose meta exists but is damaged is kept: the user may want to recover it by hand. */
  private async hasMeta(dataName: string): Promise<boolean> {
    const id = dataName.slice(0, -DATA_SUFFIX.length);
    return stat(this.metaPath(id)).then(
      () => true,
      () => false,
    );
  }
}

/**
 * `new SnapshotStore(options)` still builds the files store, the default: code and tests written before the
 * PostgreSQL store keep working. The type SnapshotStore is the interface both implement.
 */
export const SnapshotStore = FileSnapshotStore;
