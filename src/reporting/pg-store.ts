import { randomUUID } from "node:crypto";
import { once } from "node:events";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import type { Client, Notification, PoolClient } from "pg";
import copyStreams from "pg-copy-streams";
import type { Logger } from "pino";
import type { Database } from "../state/database.js";
import {
  compareContracts,
  contractBrief,
  type DiffContract,
  emptyDiff,
  finishDiff,
  limitDiff,
} from "./diff.js";
import {
  comparableName,
  type DomainMatch,
  domainMatch,
  domainTargets,
  sanCovering,
  sortMatches,
} from "./domain.js";
import type { ExpiringContract } from "./expiring.js";
import type { Reporting, ReportingContract, Snapshot, SnapshotMeta } from "./model.js";
import { DAY_MS, daysUntil, forEachContract, ownerOf, snapshotId, timeOf } from "./model.js";
import {
  accountIds,
  type DomainPage,
  type DomainQuery,
  domainPage,
  type ExpiringPage,
  type ExpiringQuery,
  expiringPage,
  pageOfMatches,
  accountReport as reportOfAccount,
  type SnapshotDiff,
  type SnapshotSummary,
  snapshotDiff,
  snapshotSummary,
  subaccountChanges,
} from "./queries.js";
import {
  DEFAULT_RETENTION,
  gunzipAsync,
  parseStoredReport,
  prepareReport,
  type RecordResult,
  type RetentionPolicy,
  retentionCutoff,
  type SnapshotStore,
  type StoreListener,
  storeScope,
} from "./store.js";
import { summarizeReport } from "./summary.js";

const copyFrom = copyStreams.from;

/** The NOTIFY channel every replica LISTENs on; the payload names the scope, so one channel serves all. */
export const SNAPSHOT_CHANNEL = "dcpm_snapshots";
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;

export interface PgSnapshotStoreOptions {
  db: Database;
  origin: string;
  accountKey?: string;
  retention?: RetentionPolicy;
  logger?: Logger;
  now?: () => number;
  /** parsed reports kept in memory (default 2) */
  cacheSize?: number;
}

/** What diff reads of each snapshot's row; diff_kept only when it is the diff from the `from` asked for. */
interface DiffSides {
  id: string;
  accounts: string[] | null;
  contract_ids_unique: boolean | null;
  diff_from: string | null;
  diff_kept: SnapshotDiff | null;
}

interface Row {
  id: string;
  taken_at: Date;
  checked_at: Date;
  hash: string;
  counts: SnapshotMeta["counts"];
  bytes: number;
}

/** What a replica tells the others when it records: the event itself, so they need no query to pass it on. */
interface Announcement {
  scope: string;
  from: string;
  event: RecordResult;
}

const META_COLUMNS = "id, taken_at, checked_at, hash, counts, bytes";
/**
 * What the snapshot row keeps besides the report: its summary without a previous (JSON text), its subaccount
 * ids, sorted, and whether no contract id repeats; `takenAt` is the row's taken_at, the instant the summary
 * measures from.
 */
function derived(
  report: Reporting,
  takenAt: string,
): { summary: string; accounts: number[]; unique: boolean } {
  const accounts = new Set<number>();
  const ids = new Set<number>();
  let contracts = 0;
  forEachContract(report, (c, owner) => {
    accounts.add(owner);
    ids.add(c.acme_contract_id);
    contracts++;
  });
  return {
    summary: JSON.stringify(summarizeReport(report, { nowMs: Date.parse(takenAt) })),
    accounts: [...accounts].sort((a, b) => a - b),
    unique: ids.size === contracts,
  };
}

/**
 * Items per list of the diff from its previous snapshot kept on a snapshot's row: one more than any tool asks for
 * (compare_reporting_snapshots' limit is at most 100), so cutting the kept diff to a tool's limit gives exactly
 * what cutting the full diff gives, `truncated` included. The full diff (the diff resource) is still computed.
 */
const KEPT_DIFF_ITEMS = 101;

/** contracts written per COPY: each is one query, so each has the pool's query timeout to itself */
const COPY_ROWS = 100_000;
/** COPY text sent to the server in pieces of about this many characters */
const COPY_PIECE = 1 << 20;
const ROW_COLUMNS =
  "scope, snapshot_id, ord, account_id, contract_id, product_name_id, valid_till, till_ms, date_canceled, canceled, created_at, sans, names";

/** A value in COPY's text format: backslash, tab, newline and carriage return escaped. */
function copyField(value: string): string {
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (ch) =>
        ch === "\\" ? "\\\\" : ch === "\t" ? "\\t" : ch === "\n" ? "\\n" : "\\r",
      )
    : value;
}

/** A text[] literal, every element quoted ({"a","b"}), as a COPY field. */
function copyArray(list: readonly string[]): string {
  let out = "{";
  for (let i = 0; i < list.length; i++) {
    if (i > 0) out += ",";
    out += `"${(list[i] as string).replace(/["\\]/g, "\\$&")}"`;
  }
  return copyField(`${out}}`);
}

const copyNullable = (value: string | null): string => (value === null ? "\\N" : copyField(value));

/**
 * Writes a report's contracts as rows of snapshot `id`, in report order (`ord`), in the caller's transaction
 * (which holds the snapshot's row), with COPY ... FROM STDIN: about a third faster than INSERTs of
 * json_to_recordset or unnest batches (bench/pg-rows.mjs).
 */
async function insertContracts(
  client: PoolClient,
  scope: string,
  id: string,
  report: Reporting,
): Promise<void> {
  const head = `${copyField(scope)}\t${copyField(id)}\t`;
  let stream: Writable | undefined;
  let ended: Promise<void> = Promise.resolve();
  let rows = 0;
  let text = "";
  const send = async (target: Writable) => {
    if (text.length === 0) return;
    const ok = target.write(text);
    text = "";
    // ended rejects when the server refuses the COPY (then no drain would come)
    if (!ok) await Promise.race([once(target, "drain"), ended]);
  };
  const finish = async (target: Writable) => {
    await send(target);
    target.end();
    await ended;
    stream = undefined;
    rows = 0;
  };
  try {
    let ord = 0;
    for (const account of report.accounts) {
      for (const c of account.acme) {
        if (!stream) {
          const opened = client.query(copyFrom(`COPY dcpm_snapshot_contracts (${ROW_COLUMNS}) FROM STDIN`));
          stream = opened;
          ended = finished(opened);
          ended.catch(() => undefined);
        }
        const till = timeOf(c.valid_till);
        const createdAt = typeof c.created_at === "string" ? c.created_at : null;
        const owner = ownerOf(c, account.account_id);
        // till_ms: null when unreadable (NaN: never expiring, never expired, as in model.ts)
        text += `${head}${ord++}\t${owner}\t${c.acme_contract_id}\t${copyField(c.product_name_id)}\t${copyField(
          c.valid_till,
        )}\t${Number.isNaN(till) ? "\\N" : till}\t${copyNullable(c.date_canceled ?? null)}\t${
          c.date_canceled ? "t" : "f"
        }\t${copyNullable(createdAt)}\t${copyArray(c.sans)}\t${copyArray(c.sans.map(comparableName))}\n`;
        if (text.length >= COPY_PIECE) await send(stream);
        if (++rows >= COPY_ROWS) await finish(stream);
      }
    }
    if (stream) await finish(stream);
  } catch (err) {
    // a COPY still open would hold the connection: abort it (CopyFail), so the ROLLBACK that follows can run
    if (stream && !stream.destroyed) stream.destroy(err instanceof Error ? err : new Error(String(err)));
    await ended.catch(() => undefined);
    throw err;
  }
}

/** Both sides of one contract in a diff of rows (null: not in that snapshot); ids as pg gives bigint, text. */
interface DiffRow {
  f_id: string | null;
  f_account: string | null;
  f_product: string;
  f_till: string;
  f_canceled: string | null;
  f_sans: string[];
  t_id: string | null;
  t_account: string | null;
  t_product: string;
  t_till: string;
  t_canceled: string | null;
  t_sans: string[];
}

function diffContract(
  id: string,
  product: string,
  validTill: string,
  canceled: string | null,
  sans: string[],
): DiffContract {
  return {
    acme_contract_id: Number(id),
    product_name_id: product,
    valid_till: validTill,
    date_canceled: canceled,
    sans,
  };
}

function toMeta(row: Row): SnapshotMeta {
  return {
    id: row.id,
    taken_at: row.taken_at.toISOString(),
    checked_at: row.checked_at.toISOString(),
    hash: row.hash,
    counts: row.counts,
    bytes: row.bytes,
  };
}

/**
 * Reporting snapshots in PostgreSQL (table dcpm_snapshots), shared by every replica on the database: one row per
 * snapshot, its report gzipped canonical JSON, so listing and choosing snapshots reads descriptions only and a
 * query loads just the report(s) it needs. A record takes a per-scope advisory lock, so two replicas recording
 * at once still agree on what is new. Each record is announced with NOTIFY; every replica LISTENs and passes
 * other replicas' records to its own listeners (resource subscribers).
 */
export class PgSnapshotStore implements SnapshotStore {
  readonly location: string;
  private readonly db: Database;
  private readonly scope: string;
  private readonly retention: RetentionPolicy;
  private readonly logger: Logger | undefined;
  private readonly now: () => number;
  private readonly cacheSize: number;
  /** tells this process's own announcements from other replicas' */
  private readonly instance = randomUUID();
  private readonly cache = new Map<string, Reporting>();
  /** snapshots whose contract rows PostgreSQL refused (see answeredBy): not tried again by this process */
  private readonly refused = new Set<string>();
  /** contract rows being written after their snapshot's commit (see record) */
  private readonly writing = new Set<Promise<void>>();
  private readonly listeners = new Set<StoreListener>();
  private inflightTake: Promise<RecordResult> | undefined;
  private listener: Client | undefined;
  private listening: Promise<void> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelay = RECONNECT_MIN_MS;
  /** the newest id this process has seen, to notice records missed while the listener was down */
  private lastLatest: string | undefined;
  private closed = false;

  constructor(options: PgSnapshotStoreOptions) {
    this.db = options.db;
    this.scope = storeScope(options.origin, options.accountKey);
    this.location = `PostgreSQL ${options.db.where} (scope ${this.scope})`;
    this.retention = options.retention ?? DEFAULT_RETENTION;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.cacheSize = Math.max(0, options.cacheSize ?? 2);
  }

  async list(): Promise<SnapshotMeta[]> {
    const rows = await this.db.query<Row>(
      `SELECT ${META_COLUMNS} FROM dcpm_snapshots WHERE scope = $1 ORDER BY taken_at DESC, id DESC`,
      [this.scope],
    );
    return rows.map(toMeta);
  }

  async latest(): Promise<SnapshotMeta | undefined> {
    const rows = await this.db.query<Row>(
      `SELECT ${META_COLUMNS} FROM dcpm_snapshots WHERE scope = $1 ORDER BY taken_at DESC, id DESC LIMIT 1`,
      [this.scope],
    );
    return rows[0] && toMeta(rows[0]);
  }

  async meta(id: string): Promise<SnapshotMeta | undefined> {
    const rows = await this.db.query<Row>(
      `SELECT ${META_COLUMNS} FROM dcpm_snapshots WHERE scope = $1 AND id = $2`,
      [this.scope, id],
    );
    return rows[0] && toMeta(rows[0]);
  }

  async previous(id: string): Promise<SnapshotMeta | undefined> {
    const rows = await this.db.query<Row>(
      `SELECT ${META_COLUMNS} FROM dcpm_snapshots s
        WHERE s.scope = $1 AND (s.taken_at, s.id) < (SELECT taken_at, id FROM dcpm_snapshots WHERE scope = $1 AND id = $2)
        ORDER BY s.taken_at DESC, s.id DESC LIMIT 1`,
      [this.scope, id],
    );
    return rows[0] && toMeta(rows[0]);
  }

  async read(id: string): Promise<Snapshot | undefined> {
    const cached = this.cache.get(id);
    // the report of an id never changes, so a cached one skips its bytes; the meta (checked_at) is always fresh
    const rows = await this.db.query<Row & { data: Buffer | null }>(
      `SELECT ${META_COLUMNS}, CASE WHEN $3 THEN NULL ELSE data END AS data
         FROM dcpm_snapshots WHERE scope = $1 AND id = $2`,
      [this.scope, id, cached !== undefined],
    );
    const row = rows[0];
    if (!row) {
      this.cache.delete(id);
      return undefined;
    }
    const meta = toMeta(row);
    if (cached) {
      this.remember(id, cached);
      return { meta, report: cached };
    }
    let report: Reporting;
    try {
      report = parseStoredReport(await gunzipAsync(row.data as Buffer), meta.hash);
    } catch (err) {
      this.logger?.warn({ snapshot: id, err: String(err) }, "damaged reporting snapshot skipped");
      return undefined;
    }
    this.remember(id, report);
    return { meta, report };
  }

  async expiring(id: string, query: ExpiringQuery): Promise<ExpiringPage | undefined> {
    const by = await this.answeredBy(id);
    if (by !== "rows") return by ? this.fromReport(id, (r) => expiringPage(r, query)) : undefined;
    const { nowMs } = query;
    const values = [this.scope, id, nowMs, nowMs + query.days * DAY_MS, query.accountId ?? null];
    // as expiringContracts: not canceled, nowMs < till <= nowMs + days; soonest first, then by id, then report order
    const where = `scope = $1 AND snapshot_id = $2 AND NOT canceled AND till_ms > $3 AND till_ms <= $4
                   AND ($5::bigint IS NULL OR account_id = $5::bigint)`;
    const [count, rows] = await Promise.all([
      this.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM dcpm_snapshot_contracts WHERE ${where}`,
        values,
      ),
      this.db.query<{
        account_id: string;
        contract_id: string;
        product_name_id: string;
        valid_till: string;
        till_ms: number;
        san_count: number;
        sans: string[];
      }>(
        `SELECT account_id, contract_id, product_name_id, valid_till, till_ms, cardinality(sans) AS san_count,
                sans[1:$6::int] AS sans
           FROM dcpm_snapshot_contracts WHERE ${where}
          ORDER BY till_ms, contract_id, ord OFFSET $7 LIMIT $8`,
        [...values, query.sanPreview ?? 3, query.offset, query.limit],
      ),
    ]);
    const contracts: ExpiringContract[] = rows.map((r) => ({
      acme_contract_id: Number(r.contract_id),
      account_id: Number(r.account_id),
      product_name_id: r.product_name_id,
      valid_till: r.valid_till,
      days_left: daysUntil(r.till_ms, nowMs),
      san_count: r.san_count,
      sans: r.sans ?? [],
    }));
    return { total: Number(count[0]?.n ?? 0), contracts };
  }

  async findDomain(id: string, domain: string, query: DomainQuery): Promise<DomainPage | undefined> {
    const targets = domainTargets(domain);
    const by = await this.answeredBy(id);
    if (by !== "rows") return by ? this.fromReport(id, (r) => domainPage(r, domain, query)) : undefined;
    const names = targets.wildcardTarget ? [targets.target, targets.wildcardTarget] : [targets.target];
    // the GIN index on names narrows to contracts with a SAN equal to either form; which SAN covers, the
    // status and the order are then decided exactly as findContractsForDomain does
    const rows = await this.db.query<{
      account_id: string;
      contract_id: string;
      product_name_id: string;
      valid_till: string;
      date_canceled: string | null;
      sans: string[];
    }>(
      // MATERIALIZED: the names index first (a few rows in every snapshot), never the snapshot's whole key range,
      // which the planner prefers when its statistics are stale (300k contracts: 6 ms against 175 ms)
      `WITH named AS MATERIALIZED (
         SELECT scope, snapshot_id, ord, account_id, contract_id, product_name_id, valid_till, date_canceled, sans
           FROM dcpm_snapshot_contracts WHERE names && $3::text[])
       SELECT account_id, contract_id, product_name_id, valid_till, date_canceled, sans
         FROM named WHERE scope = $1 AND snapshot_id = $2 ORDER BY ord`,
      [this.scope, id, names],
    );
    const matches: DomainMatch[] = [];
    for (const r of rows) {
      const found = sanCovering(r.sans, targets);
      if (!found) continue;
      const contract = {
        acme_contract_id: Number(r.contract_id),
        product_name_id: r.product_name_id,
        valid_till: r.valid_till,
        date_canceled: r.date_canceled,
      };
      matches.push(domainMatch(contract, Number(r.account_id), found, query.nowMs));
    }
    return pageOfMatches(targets.target, sortMatches(matches), query);
  }

  async summary(id: string): Promise<SnapshotSummary | undefined> {
    const row = await this.derivedOf(id);
    if (row === undefined) return undefined;
    const before = await this.previous(id);
    const previous = before && (await this.derivedOf(before.id));
    if (row === "report" || previous === "report") {
      const snapshot = await this.read(id);
      const earlier = before && (await this.read(before.id));
      return (
        snapshot &&
        snapshotSummary(
          snapshot.report,
          snapshot.meta.taken_at,
          earlier && { id: earlier.meta.id, report: earlier.report },
        )
      );
    }
    if (!before || !previous) return { summary: row.summary };
    const changes = subaccountChanges(row.accounts.map(Number), previous.accounts.map(Number));
    return { summary: { ...row.summary, subaccount_changes: changes }, previous_id: before.id };
  }

  async accountIds(id: string): Promise<number[] | undefined> {
    const row = await this.derivedOf(id);
    if (row === "report") return this.fromReport(id, accountIds);
    return row?.accounts.map(Number);
  }

  /**
   * What the snapshot's row keeps from its report (summary, subaccount ids): written with the row since
   * migration 4; for an older snapshot, written now with its contract rows. "report" when PostgreSQL refused
   * those rows; undefined when the snapshot is unknown or damaged.
   */
  private async derivedOf(
    id: string,
  ): Promise<{ summary: SnapshotSummary["summary"]; accounts: string[] } | "report" | undefined> {
    const stored = () =>
      this.db.query<{ summary: SnapshotSummary["summary"]; accounts: string[] }>(
        `SELECT summary, accounts FROM dcpm_snapshots
          WHERE scope = $1 AND id = $2 AND summary IS NOT NULL AND accounts IS NOT NULL`,
        [this.scope, id],
      );
    const [row] = await stored();
    if (row) return row;
    const by = await this.answeredBy(id);
    if (by === "report") return "report";
    return by ? (await stored())[0] : undefined;
  }

  async accountReport(id: string, accountId: number): Promise<Reporting | undefined> {
    const by = await this.answeredBy(id);
    if (by !== "rows") return by ? this.fromReport(id, (r) => reportOfAccount(r, accountId)) : undefined;
    const rows = await this.db.query<{
      contract_id: string;
      product_name_id: string;
      valid_till: string;
      date_canceled: string | null;
      created_at: string | null;
      sans: string[];
    }>(
      `SELECT contract_id, product_name_id, valid_till, date_canceled, created_at, sans
         FROM dcpm_snapshot_contracts WHERE scope = $1 AND snapshot_id = $2 AND account_id = $3 ORDER BY ord`,
      [this.scope, id, accountId],
    );
    const acme: ReportingContract[] = rows.map((r) => ({
      product_name_id: r.product_name_id,
      account_id: accountId,
      sans: r.sans,
      acme_contract_id: Number(r.contract_id),
      valid_till: r.valid_till,
      created_at: r.created_at as string,
      date_canceled: r.date_canceled,
    }));
    return { accounts: acme.length ? [{ account_id: accountId, acme }] : [] };
  }

  async diff(fromId: string, toId: string, limit?: number): Promise<SnapshotDiff | undefined> {
    const both = await this.db.query<DiffSides>(
      `SELECT id, accounts, contract_ids_unique, diff_from, CASE WHEN diff_from = $3 THEN diff_kept END AS diff_kept
         FROM dcpm_snapshots WHERE scope = $1 AND id = ANY($2::text[])`,
      [this.scope, [fromId, toId], fromId],
    );
    const from = both.find((r) => r.id === fromId);
    const to = both.find((r) => r.id === toId);
    if (!from || !to) return undefined;
    // both reports still in memory (the process that just recorded one): comparing them costs no query
    const cachedFrom = this.cache.get(fromId);
    const cachedTo = this.cache.get(toId);
    if (cachedFrom && cachedTo) return snapshotDiff(cachedFrom, cachedTo, limit);
    // the diff from its previous snapshot, kept on the row, answers any tool's cut of it
    if (limit !== undefined && limit < KEPT_DIFF_ITEMS && to.diff_kept) return limitDiff(to.diff_kept, limit);
    const [byFrom, byTo] = [await this.answeredBy(fromId), await this.answeredBy(toId)];
    if (!byFrom || !byTo) return undefined;
    const full =
      byFrom === "rows" && byTo === "rows"
        ? await this.diffFromRows(fromId, toId, from, to)
        : await this.diffFromReports(fromId, toId);
    if (full === undefined) return undefined;
    if (to.diff_from === null && (await this.previous(toId))?.id === fromId) {
      // kept for the next ask (snapshots recorded by another process, or before this column existed)
      await this.db.query(
        "UPDATE dcpm_snapshots SET diff_from = $3, diff_kept = $4 WHERE scope = $1 AND id = $2 AND diff_from IS NULL",
        [this.scope, toId, fromId, JSON.stringify(limitDiff(full, KEPT_DIFF_ITEMS))],
      );
    }
    return limit === undefined ? full : limitDiff(full, limit);
  }

  /** The whole diff of two indexed snapshots, from their rows (or their reports when an id repeats). */
  private async diffFromRows(
    fromId: string,
    toId: string,
    from: DiffSides,
    to: DiffSides,
  ): Promise<SnapshotDiff | undefined> {
    if (
      !(await this.uniqueIds(fromId, from.contract_ids_unique)) ||
      !(await this.uniqueIds(toId, to.contract_ids_unique))
    ) {
      // a contract id listed twice: matching rows by id would not pair them as diffReports does
      return this.diffFromReports(fromId, toId);
    }
    // every contract whose compared fields differ in any way (diffReports decides what counts: SANs compared as
    // names, times as instants); the others cannot change the diff
    const rows = await this.db.query<DiffRow>(
      `SELECT f.contract_id AS f_id, f.account_id AS f_account, f.product_name_id AS f_product,
              f.valid_till AS f_till, f.date_canceled AS f_canceled, f.sans AS f_sans,
              t.contract_id AS t_id, t.account_id AS t_account, t.product_name_id AS t_product,
              t.valid_till AS t_till, t.date_canceled AS t_canceled, t.sans AS t_sans
         FROM (SELECT contract_id, account_id, product_name_id, valid_till, date_canceled, canceled, sans
                 FROM dcpm_snapshot_contracts WHERE scope = $1 AND snapshot_id = $2) f
         FULL JOIN (SELECT contract_id, account_id, product_name_id, valid_till, date_canceled, canceled, sans
                      FROM dcpm_snapshot_contracts WHERE scope = $1 AND snapshot_id = $3) t
           ON t.contract_id = f.contract_id
        WHERE f.contract_id IS NULL OR t.contract_id IS NULL OR f.canceled <> t.canceled
           OR f.product_name_id <> t.product_name_id OR f.valid_till <> t.valid_till OR f.sans <> t.sans`,
      [this.scope, fromId, toId],
    );
    const diff = emptyDiff();
    for (const r of rows) {
      const before =
        r.f_id === null ? undefined : diffContract(r.f_id, r.f_product, r.f_till, r.f_canceled, r.f_sans);
      const after =
        r.t_id === null ? undefined : diffContract(r.t_id, r.t_product, r.t_till, r.t_canceled, r.t_sans);
      if (before && after) compareContracts(diff, before, after, Number(r.t_account));
      else if (after) diff.added.push(contractBrief(after, Number(r.t_account)));
      else if (before) diff.removed.push(contractBrief(before, Number(r.f_account)));
    }
    const owners = (ids: string[] | null) => new Set((ids ?? []).map(Number));
    return finishDiff(diff, owners(from.accounts), owners(to.accounts));
  }

  /** Whether no contract id repeats in snapshot `id` (stored at record time; worked out once for older ones). */
  private async uniqueIds(id: string, stored: boolean | null): Promise<boolean> {
    if (stored !== null) return stored;
    const rows = await this.db.query<{ unique: boolean }>(
      `SELECT count(*) = count(DISTINCT contract_id) AS unique
         FROM dcpm_snapshot_contracts WHERE scope = $1 AND snapshot_id = $2`,
      [this.scope, id],
    );
    const unique = rows[0]?.unique === true;
    await this.db.query("UPDATE dcpm_snapshots SET contract_ids_unique = $3 WHERE scope = $1 AND id = $2", [
      this.scope,
      id,
      unique,
    ]);
    return unique;
  }

  private async diffFromReports(fromId: string, toId: string): Promise<SnapshotDiff | undefined> {
    const [a, b] = [await this.read(fromId), await this.read(toId)];
    return a && b ? snapshotDiff(a.report, b.report) : undefined;
  }

  /**
   * How snapshot `id`'s questions are answered: "rows" (its contract rows are written, by now at the latest),
   * "report" when PostgreSQL refused those rows (a value it cannot store, e.g. a NUL character: its queries are
   * then answered from the report, as the files store answers them), false when it is unknown or damaged.
   */
  private async answeredBy(id: string): Promise<"rows" | "report" | false> {
    if (this.refused.has(id)) return "report";
    try {
      return (await this.indexed(id)) ? "rows" : false;
    } catch (err) {
      // SQLSTATE class 22, data exception; anything else (the connection, a timeout) is the caller's error
      if (!/^22/.test(String((err as { code?: unknown }).code))) throw err;
      this.refused.add(id);
      this.logger?.warn(
        { snapshot: id, code: (err as { code?: unknown }).code },
        "PostgreSQL refused this reporting snapshot's contract rows; its queries read the whole report",
      );
      return "report";
    }
  }

  private async fromReport<T>(id: string, answer: (report: Reporting) => T): Promise<T | undefined> {
    const snapshot = await this.read(id);
    return snapshot && answer(snapshot.report);
  }

  /**
   * Whether snapshot `id` exists with its contract rows written; a snapshot recorded before those rows existed
   * (or by an older replica) gets them now, from its stored report, once.
   */
  private async indexed(id: string): Promise<boolean> {
    const rows = await this.db.query<{ contracts_indexed: boolean }>(
      "SELECT contracts_indexed FROM dcpm_snapshots WHERE scope = $1 AND id = $2",
      [this.scope, id],
    );
    const row = rows[0];
    if (!row) return false;
    if (row.contracts_indexed) return true;
    const snapshot = await this.read(id);
    if (!snapshot) return false;
    return this.db.transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [
        `dcpm_snapshot_contracts:${this.scope}:${id}`,
      ]);
      const again = await client.query<{ contracts_indexed: boolean; has_derived: boolean }>(
        `SELECT contracts_indexed, summary IS NOT NULL AND accounts IS NOT NULL AND contract_ids_unique IS NOT NULL
                AS has_derived
           FROM dcpm_snapshots WHERE scope = $1 AND id = $2 FOR UPDATE`,
        [this.scope, id],
      );
      const current = again.rows[0];
      if (!current) return false;
      if (current.contracts_indexed) return true;
      await insertContracts(client, this.scope, id, snapshot.report);
      if (current.has_derived) {
        // recorded since migration 6 (rows written after the commit): summary and ids are on the row already
        await client.query(
          "UPDATE dcpm_snapshots SET contracts_indexed = true WHERE scope = $1 AND id = $2",
          [this.scope, id],
        );
      } else {
        const extra = derived(snapshot.report, snapshot.meta.taken_at);
        await client.query(
          `UPDATE dcpm_snapshots SET contracts_indexed = true, summary = $3, accounts = $4, contract_ids_unique = $5
            WHERE scope = $1 AND id = $2`,
          [this.scope, id, extra.summary, extra.accounts, extra.unique],
        );
      }
      this.logger?.debug({ snapshot: id }, "reporting snapshot contracts indexed");
      return true;
    });
  }

  take(fetch: () => Promise<Reporting>): Promise<RecordResult> {
    if (!this.inflightTake) {
      this.inflightTake = (async () => {
        // while a report is fetched and stored, only the latest (which it is compared with) stays in memory
        const latest = await this.latest().catch(() => undefined);
        for (const id of [...this.cache.keys()]) if (id !== latest?.id) this.cache.delete(id);
        return this.record(await fetch());
      })().finally(() => {
        this.inflightTake = undefined;
      });
    }
    return this.inflightTake;
  }

  async record(report: Reporting, fetchedAtMs: number = this.now()): Promise<RecordResult> {
    const prepared = await prepareReport(report, fetchedAtMs);
    const data = prepared.gz;
    const result = await this.db.transaction(async (client) => {
      // one recorder per scope at a time, across replicas: "is this new?" must see the other's insert
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`dcpm_snapshots:${this.scope}`]);
      const { rows } = await client.query<Row>(
        `SELECT ${META_COLUMNS} FROM dcpm_snapshots WHERE scope = $1 ORDER BY taken_at DESC, id DESC LIMIT 1`,
        [this.scope],
      );
      const previous = rows[0] && toMeta(rows[0]);
      let event: RecordResult;
      if (previous && previous.hash === prepared.hash) {
        const meta = { ...previous, checked_at: prepared.at };
        await client.query("UPDATE dcpm_snapshots SET checked_at = $3 WHERE scope = $1 AND id = $2", [
          this.scope,
          meta.id,
          prepared.at,
        ]);
        event = { meta, created: false, previous };
      } else {
        const base = snapshotId(fetchedAtMs, prepared.hash);
        const taken = await client.query<{ id: string }>(
          "SELECT id FROM dcpm_snapshots WHERE scope = $1 AND (id = $2 OR id LIKE $3)",
          [this.scope, base, `${base}-%`],
        );
        const used = new Set(taken.rows.map((r) => r.id));
        let id = base;
        for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
        const meta: SnapshotMeta = {
          id,
          taken_at: prepared.at,
          checked_at: prepared.at,
          hash: prepared.hash,
          counts: prepared.counts,
          bytes: prepared.bytes,
        };
        const extra = derived(report, meta.taken_at);
        // the previous report still in memory (this process took it): its diff costs no query now, and none later
        const previousReport = previous && this.cache.get(previous.id);
        const kept = previousReport && limitDiff(snapshotDiff(previousReport, report), KEPT_DIFF_ITEMS);
        await client.query(
          `INSERT INTO dcpm_snapshots (scope, id, taken_at, checked_at, hash, counts, bytes, data, contracts_indexed,
             summary, accounts, contract_ids_unique, diff_from, diff_kept)
           VALUES ($1, $2, $3, $3, $4, $5, $6, $7, false, $8, $9, $10, $11, $12)`,
          [
            this.scope,
            id,
            meta.taken_at,
            meta.hash,
            JSON.stringify(meta.counts),
            meta.bytes,
            data,
            extra.summary,
            extra.accounts,
            extra.unique,
            kept ? previous.id : null,
            kept ? JSON.stringify(kept) : null,
          ],
        );
        event = previous ? { meta, created: true, previous } : { meta, created: true };
        // the report as given (lists ordered, keys as DigiCert sent them; see prepareReport)
        this.remember(id, report);
        await this.applyRetention(client);
      }
      const announcement: Announcement = { scope: this.scope, from: this.instance, event };
      // delivered to the LISTENers when (and only if) this transaction commits
      await client.query("SELECT pg_notify($1, $2)", [SNAPSHOT_CHANNEL, JSON.stringify(announcement)]);
      return event;
    });
    this.lastLatest = result.meta.id;
    if (result.created) this.writeRowsSoon(result.meta.id);
    this.emit(result);
    return result;
  }

  /**
   * Writes a new snapshot's contract rows right after its commit, not in its transaction: they are 3-4 s of
   * PostgreSQL's work at 300,000 contracts (mostly the expiry and domain indexes) that the take no longer waits
   * for. The snapshot is complete without them (its report, summary, subaccount ids and the diff from its
   * previous are on its row); a query that needs them meanwhile waits for them (indexed() takes the same lock),
   * and if this process stops first, the first query anywhere writes them from the stored report.
   */
  private writeRowsSoon(id: string): void {
    const writing: Promise<void> = this.answeredBy(id)
      .then(
        () => undefined,
        (err: unknown) =>
          this.logger?.warn(
            { snapshot: id, err: String(err) },
            "reporting snapshot contract rows not written yet",
          ),
      )
      .finally(() => this.writing.delete(writing));
    this.writing.add(writing);
  }

  /** Resolves when the contract rows this process started writing after a record are written (or failed). */
  async settled(): Promise<void> {
    await Promise.all([...this.writing]);
  }

  async prune(): Promise<string[]> {
    return this.db.transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`dcpm_snapshots:${this.scope}`]);
      return this.applyRetention(client);
    });
  }

  onRecord(listener: StoreListener): () => void {
    this.listeners.add(listener);
    void this.listen();
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.settled();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.listener;
    this.listener = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Deletes all but the newest beyond keepLast or older than maxAgeDays, in the caller's transaction. */
  private async applyRetention(client: PoolClient): Promise<string[]> {
    const keepLast = this.retention.keepLast && this.retention.keepLast > 0 ? this.retention.keepLast : null;
    const cutoff = retentionCutoff(this.retention, this.now());
    const { rows } = await client.query<{ id: string }>(
      `WITH ranked AS (
         SELECT id, taken_at, row_number() OVER (ORDER BY taken_at DESC, id DESC) AS n
           FROM dcpm_snapshots WHERE scope = $1)
       DELETE FROM dcpm_snapshots d USING ranked r
        WHERE d.scope = $1 AND d.id = r.id AND r.n > 1
          AND (($2::int IS NOT NULL AND r.n > $2::int) OR ($3::timestamptz IS NOT NULL AND r.taken_at < $3::timestamptz))
        RETURNING d.id, d.taken_at`,
      [this.scope, keepLast, Number.isFinite(cutoff) ? new Date(cutoff).toISOString() : null],
    );
    const ids = (rows as { id: string; taken_at: Date }[])
      .sort((a, b) => b.taken_at.getTime() - a.taken_at.getTime() || (a.id < b.id ? 1 : -1))
      .map((r) => r.id);
    for (const id of ids) this.cache.delete(id);
    if (ids.length > 0) this.logger?.debug({ deleted: ids }, "reporting snapshots pruned");
    return ids;
  }

  private remember(id: string, report: Reporting): void {
    if (this.cacheSize === 0) return;
    this.cache.delete(id);
    this.cache.set(id, report);
    while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
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

  /** Opens the LISTEN connection once someone listens; reopens it (with backoff) whenever it is lost. */
  private listen(): Promise<void> {
    if (this.closed || this.listener || this.listening) return this.listening ?? Promise.resolve();
    this.listening = (async () => {
      let client: Client | undefined;
      try {
        client = await this.db.dedicatedClient();
        client.on("notification", (n) => this.onNotification(n));
        const lost = () => {
          if (this.listener !== client) return;
          this.listener = undefined;
          this.logger?.warn({ where: this.db.where }, "snapshot change listener lost; reconnecting");
          void client?.end().catch(() => undefined);
          this.scheduleReconnect();
        };
        client.on("error", lost);
        client.on("end", lost);
        await client.query(`LISTEN ${SNAPSHOT_CHANNEL}`);
        if (this.closed) {
          await client.end();
          return;
        }
        this.listener = client;
        this.reconnectDelay = RECONNECT_MIN_MS;
        await this.catchUp();
      } catch (err) {
        await client?.end().catch(() => undefined);
        this.logger?.debug({ err: String(err) }, "snapshot change listener could not connect");
        this.scheduleReconnect();
      } finally {
        this.listening = undefined;
      }
    })();
    return this.listening;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer || this.listeners.size === 0) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(RECONNECT_MAX_MS, delay * 2);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.listen();
    }, delay);
    this.reconnectTimer.unref();
  }

  /** After (re)connecting: a snapshot recorded while nobody listened is passed on as one event. */
  private async catchUp(): Promise<void> {
    const latest = await this.latest().catch(() => undefined);
    if (!latest) return;
    const before = this.lastLatest;
    this.lastLatest = latest.id;
    if (before !== undefined && before !== latest.id) {
      const previous = await this.previous(latest.id).catch(() => undefined);
      this.emit(previous ? { meta: latest, created: true, previous } : { meta: latest, created: true });
    }
  }

  private onNotification(n: Notification): void {
    if (n.channel !== SNAPSHOT_CHANNEL || !n.payload) return;
    let announcement: Announcement;
    try {
      announcement = JSON.parse(n.payload) as Announcement;
    } catch {
      return;
    }
    if (announcement.scope !== this.scope || announcement.from === this.instance) return;
    this.lastLatest = announcement.event.meta.id;
    this.emit(announcement.event);
  }
}
