import { createHash } from "node:crypto";
import type { Database } from "./database.js";

/** Hashes only: the table holds neither the token, nor its nonce, nor the caller's name. */
function hashOf(kind: string, value: string): string {
  return createHash("sha256")
    .update(`digicert-partner-mcp/confirmation-ledger/${kind}\0${value}`)
    .digest("hex");
}

const at = (ms: number) => new Date(ms).toISOString();

/**
 * The single-use ledger of confirmation tokens in PostgreSQL (table dcpm_confirmations), shared by every
 * replica: a redemption is an insert-if-absent of the token's nonce (primary key), so of two replicas redeeming
 * one token at once exactly one succeeds, and a redemption anywhere is final everywhere. Rows live until the
 * token expires. Bounded per owner as the memory ledger is; a per-owner advisory lock keeps the count exact.
 * Structurally a UsedTokenLedger (src/mcp/confirmation/token.ts); every failure throws, so the gate refuses.
 */
export class PgConfirmationLedger {
  private sweptAt = 0;

  constructor(
    private readonly db: Database,
    private readonly ttlMs: number,
  ) {}

  async redeem(entry: {
    owner: string;
    nonce: string;
    exp: number;
    now: number;
    max: number;
  }): Promise<"recorded" | "used" | "full"> {
    const owner = hashOf("owner", entry.owner);
    const nonce = hashOf("nonce", entry.nonce);
    const outcome = await this.db.transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`dcpm_confirmations:${owner}`]);
      await client.query("DELETE FROM dcpm_confirmations WHERE owner_hash = $1 AND expires_at <= $2", [
        owner,
        at(entry.now),
      ]);
      const inserted = await client.query(
        `INSERT INTO dcpm_confirmations (nonce_hash, owner_hash, expires_at)
         SELECT $1, $2, $3 WHERE (SELECT count(*) FROM dcpm_confirmations WHERE owner_hash = $2) < $4
         ON CONFLICT (nonce_hash) DO NOTHING`,
        [nonce, owner, at(entry.exp), entry.max],
      );
      if (inserted.rowCount === 1) return "recorded" as const;
      const { rowCount } = await client.query("SELECT 1 FROM dcpm_confirmations WHERE nonce_hash = $1", [
        nonce,
      ]);
      return rowCount ? ("used" as const) : ("full" as const);
    });
    await this.sweep(entry.now);
    return outcome;
  }

  async usedCount(now: number): Promise<number> {
    const rows = await this.db.query<{ n: string }>(
      "SELECT count(*) AS n FROM dcpm_confirmations WHERE expires_at > $1",
      [at(now)],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Every owner's expired rows, at most once per token lifetime per replica. Best effort: a later one retries. */
  private async sweep(now: number): Promise<void> {
    if (now - this.sweptAt < this.ttlMs) return;
    this.sweptAt = now;
    await this.db
      .query("DELETE FROM dcpm_confirmations WHERE expires_at <= $1", [at(now)])
      .catch(() => undefined);
  }
}
