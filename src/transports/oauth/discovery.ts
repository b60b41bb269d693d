/**
 * The authorization server's metadata (RFC 8414, else OpenID Connect Discovery), read once and kept: it names the
 * JWKS that signs access tokens. A failed look-up is retried, but at most every RETRY_MS, so a down authorization
 * server is not asked on every request.
 */

const TIMEOUT_MS = 5_000;
const RETRY_MS = 10_000;

export interface AuthorizationServerMetadata {
  issuer: string;
  jwks_uri?: string;
  introspection_endpoint?: string;
}

/**
 * Where the metadata may be, in the order the MCP authorization spec (2025-11-25) tries them: RFC 8414's
 * well-known segment inserted before the issuer's path, then OpenID Connect's inserted and appended.
 */
export function metadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, "");
  const at = (p: string) => `${url.origin}${p}`;
  if (path === "") {
    return [at("/.well-known/oauth-authorization-server"), at("/.well-known/openid-configuration")];
  }
  return [
    at(`/.well-known/oauth-authorization-server${path}`),
    at(`/.well-known/openid-configuration${path}`),
    at(`${path}/.well-known/openid-configuration`),
  ];
}

export class MetadataCache {
  private metadata: AuthorizationServerMetadata | undefined;
  private failedAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<AuthorizationServerMetadata> | undefined;

  constructor(
    private readonly issuer: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The metadata, or an Error saying why it cannot be had (the caller then answers 401: nothing can be checked). */
  async get(): Promise<AuthorizationServerMetadata> {
    if (this.metadata) return this.metadata;
    if (this.now() - this.failedAt < RETRY_MS) {
      throw new Error("the authorization server's metadata could not be read a moment ago");
    }
    this.pending ??= this.discover().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async discover(): Promise<AuthorizationServerMetadata> {
    const problems: string[] = [];
    for (const url of metadataUrls(this.issuer)) {
      try {
        const res = await fetch(url, {
          headers: { accept: "application/json" },
          signal: AbortSignal.timeout(TIMEOUT_MS),
          redirect: "error",
        });
        if (!res.ok) {
          await res.body?.cancel();
          problems.push(`${url}: ${res.status}`);
          continue;
        }
        const body = (await res.json()) as Partial<AuthorizationServerMetadata>;
        // RFC 8414 §3.3: metadata naming another issuer is not this issuer's (mix-up attacks)
        if (body.issuer !== this.issuer) {
          problems.push(`${url}: names issuer ${JSON.stringify(body.issuer)}`);
          continue;
        }
        this.metadata = body as AuthorizationServerMetadata;
        return this.metadata;
      } catch (err) {
        problems.push(`${url}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    this.failedAt = this.now();
    throw new Error(`no authorization server metadata for ${this.issuer} (${problems.join("; ")})`);
  }
}
