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
  /** how many used tokens are remembered (until they expire) to refuse replays */
  maxUsed?: number;
}

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

/**
 * Issues and checks HMAC-SHA256 signed, single-use confirmation tokens. Stateless except for the set of used
 * nonces, which is kept only until each token's expiry and is bounded.
 */
export class ConfirmationTokens {
  private readonly key: Buffer;
  private readonly used = new Map<string, number>();
  private readonly maxUsed: number;

  constructor(private readonly options: TokenOptions) {
    if (Buffer.byteLength(options.secret) < 32) {
      throw new Error("confirmation.secret must have at least 32 bytes (e.g. 32 random bytes, base64)");
    }
    this.key = createHmac("sha256", options.secret).update(CONTEXT).digest();
    this.maxUsed = options.maxUsed ?? 10_000;
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
   * Checks signature, binding and expiry, and on success marks the token used, so it works exactly once even if
   * the action then fails.
   */
  verifyAndConsume(token: string, expected: { tool: string; args: string; session: string }): Verification {
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
    this.prune(now);
    if (this.used.has(claims.nonce)) return { ok: false, reason: "it has already been used" };
    if (this.used.size >= this.maxUsed) {
      // refusing is safe; forgetting a used nonce early would allow a replay
      return { ok: false, reason: "too many confirmations are in flight; try again in a few minutes" };
    }
    this.used.set(claims.nonce, claims.exp);
    return { ok: true, claims };
  }

  private mac(payload: string): string {
    return createHmac("sha256", this.key).update(`${VERSION}.${payload}`).digest("base64url");
  }

  private prune(now: number): void {
    for (const [nonce, exp] of this.used) if (exp <= now) this.used.delete(nonce);
  }
}
