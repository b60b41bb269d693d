import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const VERSION = "v1";
/** Domain separation: this key signs nothing else. */
const CONTEXT = "digicert-partner-mcp/confirmation/v1";

/** What a confirmation token binds. Hashes only: the token never carries arguments or state. */
export interface TokenClaims {
  /** tool name */
  tool: string;
  /** hash of the canonical arguments (without the token) */
  args: string;
  /** hash of the inspected state shown in the preview */
  state: string;
  /** HTTP session id, "" for stdio */
  session: string;
  /** expiry, epoch ms */
  exp: number;
  nonce: string;
}

export type Verification = { ok: true; claims: TokenClaims } | { ok: false; reason: string };

export interface TokenOptions {
  secret: string;
  ttlMs: number;
  now: () => number;
  /**
   * How many used tokens one caller may have remembered at once (each until it expires) to refuse replays;
   * beyond it that caller's confirmations are refused until some expire. Per caller, so a caller flooding the
   * ledger refuses only itself. Default 10,000 (what the whole process used to share): under the default HTTP
   * rate limit (600 a minute, burst 120) a token redeems at most ~1,560 in a 5-minute lifetime, so only a
   * caller with the rate limit off can reach it, and its ~1.5 MB.
   */
  maxUsedPerCaller?: number;
  /**
   * Where used tokens are recorded: this process's memory (default), or a ledger every replica shares (the
   * PostgreSQL one with DATABASE_URL), so a token redeemed on one replica is refused on all.
   */
  ledger?: UsedTokenLedger;
}

/** What recording a redemption found: first use, a replay, or the owner's ledger at its bound. */
export type Redemption = "recorded" | "used" | "full";

/**
 * The single-use memory of confirmation tokens: insert-if-absent of a nonce, kept until the token's expiry,
 * bounded per owner. `redeem` throws when it cannot record (a database away): the gate then refuses, since a
 * token whose use was not recorded could be used again.
 */
export interface UsedTokenLedger {
  redeem(entry: { owner: string; nonce: string; exp: number; now: number; max: number }): Promise<Redemption>;
  /** used tokens remembered now, all owners together (tests, diagnostics) */
  usedCount(now: number): Promise<number>;
}

/** Whose ledger a used token goes to: the HTTP token's name, else the session (stdio: ""). */
export interface Redeemer {
  tool: string;
  args: string;
  session: string;
  owner: string;
}

export const DEFAULT_MAX_USED_PER_CALLER = 10_000;

/** Short keys: the agent reads and repeats the token, so every character costs context. */
interface Wire {
  t: string;
  a: string;
  s: string;
  k: string;
  e: number;
  n: string;
}

function toWire(c: TokenClaims): Wire {
  return { t: c.tool, a: c.args, s: c.state, k: c.session, e: c.exp, n: c.nonce };
}

function fromWire(w: Wire): TokenClaims {
  if (typeof w.t !== "string" || typeof w.e !== "number" || typeof w.n !== "string")
    throw new Error("bad token");
  return { tool: w.t, args: w.a, state: w.s, session: w.k, exp: w.e, nonce: w.n };
}

/** The used-token ledger in this process's memory: per owner, pruned as tokens expire. */
export class MemoryLedger implements UsedTokenLedger {
  /** owner -> (nonce -> expiry); an owner's entry goes once its last nonce expired */
  private readonly used = new Map<string, Map<string, number>>();
  private sweptAt = 0;

  constructor(private readonly ttlMs: number) {}

  async redeem(entry: {
    owner: string;
    nonce: string;
    exp: number;
    now: number;
    max: number;
  }): Promise<Redemption> {
    const { owner, nonce, exp, now, max } = entry;
    this.sweep(now);
    // A token is bound to its session and caller, so it can only ever be redeemed by this owner: its ledger is
    // the only one that needs to know it was used.
    const ledger = this.used.get(owner) ?? new Map<string, number>();
    prune(ledger, now);
    if (ledger.has(nonce)) return "used";
    // refusing is safe; forgetting a used nonce early would allow a replay
    if (ledger.size >= max) return "full";
    ledger.set(nonce, exp);
    this.used.set(owner, ledger);
    return "recorded";
  }

  async usedCount(): Promise<number> {
    let n = 0;
    for (const ledger of this.used.values()) n += ledger.size;
    return n;
  }

  /** Forgets expired nonces of every caller, at most once per token lifetime, so idle callers free theirs. */
  private sweep(now: number): void {
    if (now - this.sweptAt < this.ttlMs) return;
    this.sweptAt = now;
    for (const [owner, ledger] of this.used) {
      prune(ledger, now);
      if (ledger.size === 0) this.used.delete(owner);
    }
  }
}

/**
 * Issues and checks HMAC-SHA256 signed, single-use confirmation tokens. Stateless except for the used nonces,
 * kept per caller only until each token's expiry, and bounded per caller, in the ledger.
 */
export class ConfirmationTokens {
  private readonly key: Buffer;
  private readonly maxUsedPerCaller: number;
  private readonly ledger: UsedTokenLedger;

  constructor(private readonly options: TokenOptions) {
    if (Buffer.byteLength(options.secret) < 32) {
      throw new Error("confirmation.secret must have at least 32 bytes (e.g. 32 random bytes, base64)");
    }
    this.key = createHmac("sha256", options.secret).update(CONTEXT).digest();
    this.maxUsedPerCaller = options.maxUsedPerCaller ?? DEFAULT_MAX_USED_PER_CALLER;
    this.ledger = options.ledger ?? new MemoryLedger(options.ttlMs);
  }

  get ttlMs(): number {
    return this.options.ttlMs;
  }

  issue(claims: Omit<TokenClaims, "exp" | "nonce">): { token: string; expiresAt: number } {
    const exp = this.options.now() + this.options.ttlMs;
    const full: TokenClaims = { ...claims, exp, nonce: randomBytes(12).toString("base64url") };
    const payload = Buffer.from(JSON.stringify(toWire(full))).toString("base64url");
    return { token: `${VERSION}.${payload}.${this.mac(payload)}`, expiresAt: exp };
  }

  /**
   * Checks signature, binding and expiry, and on success records the token used, so it works exactly once even
   * if the action then fails. Refuses (fails closed) when the use cannot be recorded.
   */
  async verifyAndConsume(token: string, expected: Redeemer): Promise<Verification> {
    const parts = token.split(".");
    if (parts.length !== 3 || parts[0] !== VERSION)
      return { ok: false, reason: "it is not a confirmation token" };
    const [, payload, mac] = parts as [string, string, string];
    const want = Buffer.from(this.mac(payload));
    const got = Buffer.from(mac);
    if (want.length !== got.length || !timingSafeEqual(want, got)) {
      return { ok: false, reason: "it was not issued by this server (or was altered)" };
    }
    let claims: TokenClaims;
    try {
      claims = fromWire(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Wire);
    } catch {
      return { ok: false, reason: "it is not a confirmation token" };
    }
    if (claims.tool !== expected.tool) return { ok: false, reason: `it was issued for ${claims.tool}` };
    if (claims.session !== expected.session) return { ok: false, reason: "it was issued in another session" };
    if (claims.args !== expected.args) {
      return { ok: false, reason: "the arguments differ from the ones that were previewed" };
    }
    const now = this.options.now();
    if (now >= claims.exp) return { ok: false, reason: "it has expired" };
    let redemption: Redemption;
    try {
      redemption = await this.ledger.redeem({
        owner: expected.owner,
        nonce: claims.nonce,
        exp: claims.exp,
        now,
        max: this.maxUsedPerCaller,
      });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return {
        ok: false,
        reason: `its use could not be recorded (${why}), and a confirmation is never acted on unrecorded; try again once the database answers`,
      };
    }
    if (redemption === "used") return { ok: false, reason: "it has already been used" };
    if (redemption === "full") {
      return {
        ok: false,
        reason: `this caller has ${this.maxUsedPerCaller} confirmations in flight, the most it may have; try again once some have expired (${Math.ceil(this.options.ttlMs / 60_000)} min at most)`,
      };
    }
    return { ok: true, claims };
  }

  /** Used tokens remembered now, all callers together (tests, diagnostics). */
  usedCount(): Promise<number> {
    return this.ledger.usedCount(this.options.now());
  }

  private mac(payload: string): string {
    return createHmac("sha256", this.key).update(`${VERSION}.${payload}`).digest("base64url");
  }
}

function prune(ledger: Map<string, number>, now: number): void {
  for (const [nonce, exp] of ledger) if (exp <= now) ledger.delete(nonce);
}
