import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from "jose";
import type { OAuthConfig } from "../../config/index.js";
import { sha256 } from "../auth.js";
import type { OAuthIdentity } from "../types.js";
import { MetadataCache } from "./discovery.js";
import { scopesOf } from "./scopes.js";

/** Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds. */
export const CLOCK_TOLERANCE_S = 30;
/** jose refetches the JWKS on an unknown `kid`, but not more often than this (a flood of made-up kids). */
export const JWKS_COOLDOWN_MS = 30_000;
/** and at least this often, so a removed key stops working */
const JWKS_MAX_AGE_MS = 10 * 60_000;
const TIMEOUT_MS = 5_000;
/** how long an introspection answer is reused (at most until the token expires) */
const INTROSPECTION_TTL_MS = 60_000;
const INTROSPECTION_CACHE_MAX = 1_000;

/** What a valid access token says. The token itself is not kept. */
export interface VerifiedToken {
  identity: OAuthIdentity;
  scopes: string[];
  claims: Record<string, unknown>;
}

/**
 * `reason` is for the log and error_description: which check failed, never the token. `unavailable`: the token
 * could not be checked (authorization server unreachable), which says nothing about the token.
 */
export type Verification =
  | { ok: true; token: VerifiedToken }
  | { ok: false; reason: string; unavailable?: true };

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Checks access tokens for this resource: JWTs locally against the issuer's JWKS (jose: signature, `iss`, `aud`
 * = the resource URL or one of MCP_OAUTH_AUDIENCE, `exp`/`nbf`, allowed algorithms), anything else through RFC 7662 introspection when it is
 * configured.
 */
export class TokenVerifier {
  private readonly metadata: MetadataCache;
  private jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  private readonly introspected = new Map<string, { token: VerifiedToken; until: number }>();

  constructor(
    private readonly config: OAuthConfig,
    private readonly now: () => number = Date.now,
    private readonly jwksCooldownMs = JWKS_COOLDOWN_MS,
  ) {
    this.metadata = new MetadataCache(config.issuer, now);
  }

  async verify(token: string): Promise<Verification> {
    if (JWT_SHAPE.test(token)) return this.verifyJwt(token);
    if (this.config.introspection) return this.introspect(token);
    return { ok: false, reason: "not a JWT, and no introspection endpoint is configured" };
  }

  private async keys(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (this.jwks) return this.jwks;
    const { jwks_uri } = await this.metadata.get();
    if (!jwks_uri) throw new Error("the authorization server's metadata has no jwks_uri");
    this.jwks = createRemoteJWKSet(new URL(jwks_uri), {
      timeoutDuration: TIMEOUT_MS,
      cooldownDuration: this.jwksCooldownMs,
      cacheMaxAge: JWKS_MAX_AGE_MS,
    });
    return this.jwks;
  }

  private async verifyJwt(token: string): Promise<Verification> {
    let keys: ReturnType<typeof createRemoteJWKSet>;
    try {
      keys = await this.keys();
    } catch (err) {
      return { ok: false, reason: err instanceof Error ? err.message : String(err), unavailable: true };
    }
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: this.config.issuer,
        audience: audiencesOf(this.config),
        algorithms: this.config.algorithms,
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ["exp", "sub"],
        currentDate: new Date(this.now()),
      });
      return { ok: true, token: fromClaims(this.config.issuer, payload) };
    } catch (err) {
      // a JWKS that cannot be fetched (timeout, network) is jose's JWKSTimeout or no JOSEError at all
      if (err instanceof errors.JWKSTimeout || !(err instanceof errors.JOSEError)) {
        return { ok: false, reason: `the JWKS could not be fetched: ${jwtProblem(err)}`, unavailable: true };
      }
      return { ok: false, reason: jwtProblem(err) };
    }
  }

  private async introspect(token: string): Promise<Verification> {
    const key = sha256(token).toString("hex");
    const cached = this.introspected.get(key);
    if (cached && cached.until > this.now()) return { ok: true, token: cached.token };
    this.introspected.delete(key);
    const answer = await this.askIntrospection(token);
    // the endpoint not answering properly says nothing about the token (an inactive one is `active: false`)
    if (!answer.ok) return { ...answer, unavailable: true };
    const claims = answer.claims;
    const reason = introspectionProblem(claims, this.config, this.now());
    if (reason) return { ok: false, reason };
    const verified = fromClaims(this.config.issuer, claims);
    const exp = typeof claims.exp === "number" ? claims.exp * 1000 : Number.POSITIVE_INFINITY;
    if (this.introspected.size >= INTROSPECTION_CACHE_MAX) {
      this.introspected.delete(this.introspected.keys().next().value as string);
    }
    this.introspected.set(key, { token: verified, until: Math.min(this.now() + INTROSPECTION_TTL_MS, exp) });
    return { ok: true, token: verified };
  }

  private async askIntrospection(
    token: string,
  ): Promise<{ ok: true; claims: Record<string, unknown> } | { ok: false; reason: string }> {
    const { url, clientId, clientSecret } = this.config.introspection as NonNullable<
      OAuthConfig["introspection"]
    >;
    // RFC 6749 §2.3.1: both parts form-encoded before Basic
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString(
      "base64",
    );
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: {
          authorization: `Basic ${basic}`,
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
        },
        body: new URLSearchParams({ token, token_type_hint: "access_token" }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: "error",
      });
      if (!res.ok) {
        await res.body?.cancel();
        return { ok: false, reason: `introspection answered ${res.status}` };
      }
      const claims = (await res.json()) as unknown;
      if (typeof claims !== "object" || claims === null)
        return { ok: false, reason: "bad introspection answer" };
      return { ok: true, claims: claims as Record<string, unknown> };
    } catch (err) {
      return {
        ok: false,
        reason: `introspection failed: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  }
}

/** What `aud` must contain one of: the resource URL, and MCP_OAUTH_AUDIENCE's values (Entra ID's client id…). */
function audiencesOf(config: OAuthConfig): string[] {
  return [config.resource, ...(config.audiences ?? [])];
}

function fromClaims(issuer: string, claims: JWTPayload | Record<string, unknown>): VerifiedToken {
  // client_id: RFC 9068 and RFC 7662; azp: OpenID-style servers (Keycloak); appid: Entra ID v1 tokens
  const client = [claims.client_id, claims.azp, claims.appid].find((c) => typeof c === "string");
  return {
    identity: { issuer, subject: claims.sub as string, clientId: client as string | undefined },
    scopes: scopesOf(claims),
    claims: { ...claims },
  };
}

/** The checks jose does on a JWT, done on an introspection answer (RFC 7662 leaves them to the resource server). */
function introspectionProblem(
  claims: Record<string, unknown>,
  config: OAuthConfig,
  now: number,
): string | undefined {
  if (claims.active !== true) return "the token is not active";
  if (claims.iss !== undefined && claims.iss !== config.issuer) return "issued by another issuer";
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiencesOf(config).some((a) => aud.includes(a))) return "issued for another audience (resource)";
  const at = now / 1000;
  if (typeof claims.exp === "number" && claims.exp + CLOCK_TOLERANCE_S <= at) return "expired";
  if (typeof claims.nbf === "number" && claims.nbf - CLOCK_TOLERANCE_S > at) return "not valid yet";
  if (typeof claims.sub !== "string" || claims.sub === "") return "names no subject (sub)";
  return undefined;
}

function jwtProblem(err: unknown): string {
  // JWTExpired is a JWTClaimValidationFailed: asked first
  if (err instanceof errors.JWTExpired) return "expired";
  if (err instanceof errors.JWTClaimValidationFailed) return `claim ${err.claim} ${err.reason}`;
  if (err instanceof errors.JOSEAlgNotAllowed) return "signed with an algorithm that is not allowed";
  if (err instanceof errors.JWKSNoMatchingKey) return "signed with a key the issuer does not publish";
  if (err instanceof errors.JWSSignatureVerificationFailed) return "bad signature";
  if (err instanceof errors.JOSEError) return err.code;
  return err instanceof Error ? err.message : String(err);
}
