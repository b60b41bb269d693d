import { createHash } from "node:crypto";
import type { Logger } from "../logging.js";
import type { Database } from "./database.js";

/** Takes one request from a token's bucket: 0 when allowed, else the seconds to wait (at least 1). */
export interface RateLimitStore {
  take(name: string, perMinute: number, burst: number): Promise<number>;
}

/** What the in-memory limiter (src/transports/rate-limit.ts) offers; the fallback while the database is away. */
export interface LocalLimiter {
  take(name: string, perMinute: number, burst: number): number;
}

/** Bucket keys are hashes of the token's name: the table says nothing about who the callers are. */
function bucketKey(name: string): string {
  return createHash("sha256").update(`digicert-partner-mcp/rate-limit\0${name}`).digest("hex");
}

/**
 * Token buckets in PostgreSQL (table dcpm_rate_limits), so every replica draws on one bucket per token: N
 * replicas allow what one would, not N times as much. One statement refills and takes, under the row's lock,
 * with the database's clock (replicas' clocks may differ). While the database cannot be reached each replica
 * falls back to its own in-memory bucket: requests stay limited (per replica) instead of all being refused or
 * all let through.
 */
export class PgRateLimiter implements RateLimitStore {
  private degraded = false;

  constructor(
    private readonly db: Database,
    private readonly fallback: LocalLimiter,
    private readonly logger?: Logger,
  ) {}

  async take(name: string, perMinute: number, burst: number): Promise<number> {
    if (perMinute <= 0) return 0;
    try {
      const refilled =
        "LEAST($3::float8, b.level + EXTRACT(EPOCH FROM (now() - b.updated_at)) * $2::float8 / 60.0)";
      const rows = await this.db.query<{ level: number; allowed: boolean }>(
        `INSERT INTO dcpm_rate_limits AS b (name_hash, level, updated_at, allowed)
         VALUES ($1, GREATEST($3::float8 - 1, 0), now(), $3::float8 >= 1)
         ON CONFLICT (name_hash) DO UPDATE SET
           level = CASE WHEN ${refilled} >= 1 THEN ${refilled} - 1 ELSE ${refilled} END,
           allowed = ${refilled} >= 1,
           updated_at = now()
         RETURNING level, allowed`,
        [bucketKey(name), perMinute, burst],
      );
      if (this.degraded) {
        this.degraded = false;
        this.logger?.info("rate limits are shared through the database again");
      }
      const row = rows[0];
      if (!row || row.allowed) return 0;
      return Math.max(1, Math.ceil(((1 - row.level) * 60) / perMinute));
    } catch (err) {
      if (!this.degraded) {
        this.degraded = true;
        this.logger?.warn(
          { err: err instanceof Error ? err.message : String(err) },
          "rate limits fall back to this replica's own buckets until the database answers",
        );
      }
      return this.fallback.take(name, perMinute, burst);
    }
  }
}
