import type { Logger } from "../logging.js";
import { PgSnapshotStore, type SnapshotStore } from "../reporting/index.js";
import { PgConfirmationLedger } from "../state/confirmations.js";
import { Database } from "../state/database.js";
import { PgRateLimiter } from "../state/rate-limits.js";
import { RateLimiter } from "../transports/rate-limit.js";

/** What DATABASE_URL gives the server: stores every replica shares, and a health probe. */
export interface SharedState {
  /** host:port/database (never the password) */
  where: string;
  createStore(scope: { origin: string; accountKey: string | undefined }): SnapshotStore;
  ledger(ttlMs: number): PgConfirmationLedger;
  rateLimits: PgRateLimiter;
  health(): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * Connects to PostgreSQL and runs the migrations; throws (the CLI exits with its message) when it cannot. The
 * pool reconnects by itself once the database is back, so nothing here needs restarting after an outage.
 */
export async function openSharedState(url: string, logger: Logger): Promise<SharedState> {
  let db: Database;
  try {
    db = await Database.open(url, { logger });
  } catch (err) {
    throw new Error(`DATABASE_URL: ${err instanceof Error ? err.message : String(err)}`);
  }
  logger.info({ where: db.where }, "shared state in PostgreSQL");
  return {
    where: db.where,
    createStore: ({ origin, accountKey }) => new PgSnapshotStore({ db, origin, accountKey, logger }),
    ledger: (ttlMs) => new PgConfirmationLedger(db, ttlMs),
    rateLimits: new PgRateLimiter(db, new RateLimiter(), logger),
    health: async () => ({ database: (await db.reachable()) ? "reachable" : "unreachable" }),
    close: () => db.close(),
  };
}
