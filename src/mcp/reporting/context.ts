import type { DigiCertClient } from "../../client/client.js";
import { DigiCertError } from "../../client/errors.js";
import type { Logger } from "../../logging.js";
import { getReporting } from "../../operations/account.js";
import { getCostReport } from "../../operations/finance.js";
import {
  isSnapshotId,
  type RecordResult,
  type Snapshot,
  type SnapshotMeta,
  type SnapshotStore,
} from "../../reporting/index.js";
import { McpError } from "../../sdk/server.js";
import { AccessPolicy } from "../access.js";
import type { Progress } from "../progress.js";
import { LATEST_ALIAS } from "./uris.js";

export interface ReportingDeps {
  client: DigiCertClient;
  logger: Logger;
  store: SnapshotStore;
  /** `latest` is refetched when its last check is older than this (default 10 minutes) */
  maxAgeMs?: number;
  now?: () => number;
  /** a CertCentral DEVKEY is configured: offer the subaccount cost report */
  hasDevkey: boolean;
  /**
   * What this caller may use (createMcpServer's ExtensionContext.access). The reporting tools are toolset
   * "reporting", effect "read"; the reporting resources belong to get_account_reporting, the cost report to
   * get_subaccount_cost_report; each prompt to the tools it names. Default: everything.
   */
  access?: AccessPolicy;
  /**
   * Offer resources/subscribe (default true). False where updates cannot reach the client: stateless HTTP has
   * no stream to send them on.
   */
  subscriptions?: boolean;
  /** refetch every maxAgeMs (at least a minute) while a client is subscribed to `latest` (default true) */
  pollWhileSubscribed?: boolean;
}

/** A snapshot's phases as progress steps: fetch, parse, store, compare. */
export const SNAPSHOT_STEPS = 4;

export const DEFAULT_MAX_AGE_MS = 10 * 60 * 1000;
/** JSON-RPC code the MCP spec gives to "resource not found" */
export const RESOURCE_NOT_FOUND = -32002;

/** A snapshot id resolved to its description; `refreshed` when resolving it tried a take just now. */
export interface ResolvedMeta {
  meta: SnapshotMeta;
  /** set when the refetch failed and an older snapshot is served instead */
  refresh_error?: string;
  refreshed?: boolean;
}

export interface LatestSnapshot extends Snapshot {
  /** set when the refetch failed and an older snapshot is served instead */
  refresh_error?: string;
}

/** A user-facing reason, without stack or secrets (DigiCertError messages are already scrubbed). */
export function reasonOf(err: unknown): string {
  if (err instanceof DigiCertError) return err.message;
  if (err instanceof McpError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

/** Snapshot access shared by resources, tools and prompts: freshness, aliases and readable errors. */
export class ReportingContext {
  readonly maxAgeMs: number;
  readonly now: () => number;
  readonly access: AccessPolicy;
  /** the digicert://reporting/... resources (every subaccount's contracts, read with the parent key) */
  readonly offersReportingResources: boolean;
  /** the digicert://subaccounts/{id}/cost-report template (needs a DEVKEY too) */
  readonly offersCostReport: boolean;

  constructor(readonly deps: ReportingDeps) {
    this.maxAgeMs = deps.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.now = deps.now ?? Date.now;
    this.access = deps.access ?? AccessPolicy.everything();
    this.offersReportingResources = this.access.offersResourceOf(getReporting);
    this.offersCostReport = deps.hasDevkey && this.access.offersResourceOf(getCostReport);
  }

  get store(): SnapshotStore {
    return this.deps.store;
  }

  /**
   * Fetches the report once and records it. Not tied to one request's cancellation: concurrent callers share the
   * fetch, and the client's own deadline bounds it.
   */
  take(progress?: Progress): Promise<RecordResult> {
    return this.deps.store.take(async () => {
      progress?.step("fetch: asking DigiCert for ACME reporting", SNAPSHOT_STEPS);
      const stop = progress?.heartbeat("fetch: waiting for DigiCert");
      try {
        // snapshots rely on the documented form of the report (seed S0)
        const result = await this.deps.client.callStrict(
          getReporting,
          {},
          {
            onProgress: (event) => {
              if (event.kind === "received" && event.status >= 200 && event.status < 300) {
                stop?.();
                progress?.step(`parse: ${Math.ceil(event.bytes / 1024)} KiB received, checking its form`);
              } else progress?.client(event);
            },
          },
        );
        progress?.step("store: writing the snapshot");
        return result.data;
      } finally {
        stop?.();
      }
    });
  }

  /** The newest snapshot, refetched first when older than maxAgeMs; a stale one if the refetch fails. */
  async latest(progress?: Progress): Promise<LatestSnapshot> {
    const current = await this.store.latest();
    const fresh = current && this.now() - Date.parse(current.checked_at) < this.maxAgeMs;
    if (current && fresh) {
      const loaded = await this.store.read(current.id);
      if (loaded) return loaded;
    }
    try {
      const { meta } = await this.take(progress);
      const loaded = await this.store.read(meta.id);
      if (loaded) return loaded;
      throw new Error("the snapshot just taken could not be read back");
    } catch (err) {
      const reason = reasonOf(err);
      this.deps.logger.warn({ err: reason }, "reporting refresh failed");
      const fallback = await this.store.latest();
      const loaded = fallback ? await this.store.read(fallback.id) : undefined;
      if (loaded) return { ...loaded, refresh_error: reason };
      throw new McpError(RESOURCE_NOT_FOUND, `no reporting snapshot is available: ${reason}`);
    }
  }

  /** A snapshot by id, or the latest for "latest". Throws a readable error for an unknown or damaged id. */
  async snapshot(id: string, progress?: Progress): Promise<LatestSnapshot> {
    if (id === LATEST_ALIAS) return this.latest(progress);
    if (!isSnapshotId(id)) {
      throw new McpError(
        RESOURCE_NOT_FOUND,
        // the value is not echoed: a resource error is not scrubbed, and it may be anything an agent pasted
        "that is not a snapshot id (e.g. 20260202T094518Z-1a2b3c4d, or latest)",
      );
    }
    const loaded = await this.store.read(id);
    if (!loaded) {
      throw new McpError(
        RESOURCE_NOT_FOUND,
        `no snapshot ${id}: it may have been removed by retention; see resources/list or take_reporting_snapshot`,
      );
    }
    return loaded;
  }

  /**
   * What `snapshot` resolves `id` to (freshness and errors alike), without reading the report: for queries the
   * store answers itself (expiring, findDomain, summary). A fresh `latest` costs one description; a stale one a take.
   */
  async snapshotMeta(id: string, progress?: Progress): Promise<ResolvedMeta> {
    if (id !== LATEST_ALIAS) {
      if (!isSnapshotId(id)) return this.snapshot(id, progress);
      const meta = await this.store.meta(id);
      if (!meta) return this.snapshot(id, progress);
      return { meta };
    }
    const current = await this.store.latest();
    if (current && this.now() - Date.parse(current.checked_at) < this.maxAgeMs) return { meta: current };
    return this.refreshLatest(progress);
  }

  /**
   * A store query on the snapshot `id` resolves to. When the fresh `latest` is listed but its query finds nothing
   * (damaged, or removed meanwhile), the report is taken again once, as `latest()` does for a whole read, rather
   * than failing on a snapshot the caller never named. A named snapshot that does not read is an error.
   */
  async query<T>(
    id: string,
    progress: Progress | undefined,
    ask: (meta: SnapshotMeta) => Promise<T | undefined>,
  ): Promise<ResolvedMeta & { answer: T }> {
    let resolved = await this.snapshotMeta(id, progress);
    let answer = await ask(resolved.meta);
    if (answer === undefined && id === LATEST_ALIAS && !resolved.refreshed) {
      this.deps.logger.warn(
        { snapshot: resolved.meta.id },
        "latest reporting snapshot unreadable; taking it again",
      );
      resolved = await this.refreshLatest(progress);
      answer = await ask(resolved.meta);
    }
    if (answer === undefined) throw this.unreadable(resolved.meta.id);
    return { ...resolved, answer };
  }

  /** Takes `latest` now; on failure the newest stored snapshot with the reason, else "no snapshot". */
  private async refreshLatest(progress?: Progress): Promise<ResolvedMeta> {
    try {
      return { meta: (await this.take(progress)).meta, refreshed: true };
    } catch (err) {
      const reason = reasonOf(err);
      this.deps.logger.warn({ err: reason }, "reporting refresh failed");
      const fallback = await this.store.latest();
      if (fallback) return { meta: fallback, refresh_error: reason, refreshed: true };
      throw new McpError(RESOURCE_NOT_FOUND, `no reporting snapshot is available: ${reason}`);
    }
  }

  /** The error for a snapshot that is listed but could not be read (removed meanwhile, or damaged). */
  unreadable(id: string): McpError {
    return new McpError(
      RESOURCE_NOT_FOUND,
      `snapshot ${id} could not be read: it may have been removed by retention or be damaged; see resources/list or take_reporting_snapshot`,
    );
  }

  /**
   * Which of two listed snapshots is gone (removed by retention, or found damaged) when the store could not
   * compare them: `toId` if it is, else `fromId`.
   */
  async goneOf(fromId: string, toId: string): Promise<string> {
    return (await this.store.meta(toId)) ? fromId : toId;
  }

  /** Snapshot ids for completion, newest first, "latest" included. */
  async completeIds(prefix: string): Promise<string[]> {
    const ids = [LATEST_ALIAS, ...(await this.store.list()).map((m) => m.id)];
    return ids.filter((id) => id.startsWith(prefix)).slice(0, 100);
  }

  /**
   * CertCentral subaccount ids that have answered a cost report in this process. Nothing public says a Partner
   * subaccount id (reporting) is also a CertCentral one, so only ids CertCentral itself answered are offered.
   */
  private readonly certCentralIds = new Set<string>();

  rememberCertCentralId(id: number): void {
    if (this.certCentralIds.size < 1000) this.certCentralIds.add(String(id));
  }

  /** CertCentral subaccount ids known to answer the cost report, for completion. Never calls DigiCert. */
  completeCertCentralIds(prefix: string): string[] {
    return [...this.certCentralIds].filter((id) => id.startsWith(prefix)).slice(0, 100);
  }

  /**
   * Subaccount ids of the newest stored snapshot, for completion. Never calls DigiCert; nothing for a caller the
   * reporting data is not offered to (the ids come from it).
   */
  async completeAccountIds(prefix: string): Promise<string[]> {
    if (!this.offersReportingResources) return [];
    const meta = await this.store.latest();
    // the store's list (a column in PostgreSQL), not the whole report, for a keystroke's completion
    const ids = meta ? await this.store.accountIds(meta.id) : undefined;
    return (ids ?? [])
      .map(String)
      .filter((id) => id.startsWith(prefix))
      .slice(0, 100);
  }
}
