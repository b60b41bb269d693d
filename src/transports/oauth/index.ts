import type { ServerResponse } from "node:http";
import type { OAuthConfig } from "../../config/index.js";
import type { Logger } from "../../logging.js";
import { PACKAGE_NAME } from "../../version.js";
import { type KnownToken, sha256 } from "../auth.js";
import { grantFor } from "./grants.js";
import { callsChangingTool, mayRead, READ_SCOPE, SCOPES_SUPPORTED, WRITE_SCOPE } from "./scopes.js";
import { TokenVerifier } from "./verify.js";

export { READ_SCOPE, WRITE_SCOPE } from "./scopes.js";

const WELL_KNOWN = "/.well-known/oauth-protected-resource";

/** A request the OAuth layer turns away, with the challenge that tells the client what to do. */
export interface OAuthRefusal {
  status: 401 | 403 | 503;
  /** WWW-Authenticate (and Retry-After for 503) */
  headers: Record<string, string>;
  message: string;
}

export type OAuthAuthentication =
  | { ok: true; caller: KnownToken; scopes: string[] }
  | ({ ok: false } & OAuthRefusal);

/**
 * This server as an OAuth 2.1 resource server (MCP authorization spec 2025-11-25): protected resource metadata
 * (RFC 9728), access tokens of one authorization server for one audience (RFC 8707), scopes mapped onto the
 * grants tokens-file entries have. The token is checked and forgotten: only the caller's claims travel on, and
 * nothing of it reaches DigiCert (the DigiCert client uses the key profile's API keys).
 */
export class OAuthResourceServer {
  private readonly verifier: TokenVerifier;
  private readonly paths: ReadonlySet<string>;
  readonly metadataUrl: string;

  constructor(
    private readonly config: OAuthConfig,
    private readonly logger: Logger,
    mcpPath: string,
    now: () => number = Date.now,
  ) {
    this.verifier = new TokenVerifier(config, now);
    const resource = new URL(config.resource);
    const suffix = resource.pathname === "/" ? "" : resource.pathname;
    this.metadataUrl = `${resource.origin}${WELL_KNOWN}${suffix}`;
    // the bare form, the form for the public path, and the form for our own path (a proxy may map one onto the other)
    this.paths = new Set([WELL_KNOWN, `${WELL_KNOWN}${suffix}`, `${WELL_KNOWN}${mcpPath}`]);
  }

  isMetadataPath(path: string): boolean {
    return this.paths.has(path);
  }

  /** RFC 9728 §3: the document, readable by anyone (browsers included: it names nothing secret). */
  serveMetadata(method: string | undefined, res: ServerResponse): void {
    const cors = { "access-control-allow-origin": "*" };
    if (method === "OPTIONS") {
      res.writeHead(204, {
        ...cors,
        "access-control-allow-methods": "GET",
        "access-control-max-age": "86400",
      });
      res.end();
      return;
    }
    if (method !== "GET" && method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD, OPTIONS" });
      res.end();
      return;
    }
    const text = JSON.stringify({
      resource: this.config.resource,
      authorization_servers: [this.config.issuer],
      scopes_supported: SCOPES_SUPPORTED,
      bearer_methods_supported: ["header"],
      resource_name: PACKAGE_NAME,
    });
    res.writeHead(200, {
      ...cors,
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
      "cache-control": "public, max-age=3600",
    });
    res.end(method === "HEAD" ? undefined : text);
  }

  /** The 401 challenge for a request without a token. */
  private missingToken(): { ok: false } & OAuthRefusal {
    return {
      ok: false,
      status: 401,
      headers: this.challenge({}),
      message: "Unauthorized: send an OAuth access token (Authorization: Bearer <token>)",
    };
  }

  /** Checks a bearer token that is none of the static ones ("": none was sent). */
  async authenticate(bearer: string): Promise<OAuthAuthentication> {
    if (bearer === "") return this.missingToken();
    const verified = await this.verifier.verify(bearer);
    if (!verified.ok && verified.unavailable) {
      // not the token's fault: a 401 would make the client throw a good token away
      this.logger.warn({ why: verified.reason }, "cannot check OAuth access tokens");
      return {
        ok: false,
        status: 503,
        headers: { "www-authenticate": this.header({}), "retry-after": "10" },
        message: "The authorization server cannot be reached to check the access token; try again later",
      };
    }
    if (!verified.ok) {
      this.logger.debug({ why: verified.reason }, "OAuth access token refused");
      return {
        ok: false,
        status: 401,
        headers: this.challenge({
          error: "invalid_token",
          error_description: `the access token is ${verified.reason}`,
        }),
        message: "Unauthorized: the access token is not valid for this server",
      };
    }
    const { token } = verified;
    if (!mayRead(token.scopes)) return { ok: false, ...this.insufficient([READ_SCOPE]) };
    const grant = grantFor(token, this.config.grants);
    if (!grant) {
      return {
        ok: false,
        status: 403,
        headers: this.challenge({
          error: "insufficient_scope",
          error_description: "no rule of MCP_OAUTH_GRANTS_FILE gives this caller access",
        }),
        message: "Forbidden: this caller has no access to this server",
      };
    }
    const { identity } = token;
    // the session binding: same caller (issuer, subject, client) and same grant. A token with other scopes is
    // another caller to an open session, which keeps the grant it was built with.
    const digest = sha256(
      JSON.stringify([identity.issuer, identity.subject, identity.clientId ?? null, grant]),
    );
    return { ok: true, caller: { name: grant.name, grant, identity, digest }, scopes: token.scopes };
  }

  /** A 403 when the body calls a tool that changes something and the token cannot write. */
  authorize(scopes: readonly string[], body: unknown): OAuthRefusal | undefined {
    if (scopes.includes(WRITE_SCOPE) || !callsChangingTool(body)) return undefined;
    return this.insufficient([READ_SCOPE, WRITE_SCOPE]);
  }

  private insufficient(needed: readonly string[]): OAuthRefusal {
    const scope = needed.join(" ");
    return {
      status: 403,
      headers: this.challenge({
        error: "insufficient_scope",
        scope,
        error_description: `this request needs the scope ${needed.at(-1)}`,
      }),
      message: `Forbidden: this request needs an access token with the scope ${needed.at(-1)}`,
    };
  }

  private challenge(params: Record<string, string>): Record<string, string> {
    return { "www-authenticate": this.header(params) };
  }

  private header(params: Record<string, string>): string {
    const all = { realm: PACKAGE_NAME, ...params, resource_metadata: this.metadataUrl };
    // quoted-string values: no quote or backslash may break out (RFC 6750 §3 limits them to these characters)
    const quoted = Object.entries(all).map(
      ([k, v]) => `${k}="${v.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, "")}"`,
    );
    return `Bearer ${quoted.join(", ")}`;
  }
}
