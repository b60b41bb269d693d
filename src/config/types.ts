import type { Timeouts } from "../client/client.js";
import type { Credentials } from "../client/credentials.js";
import type { Toolset } from "../operations/index.js";
import type { LogLevel } from "./settings.js";

/** What loadConfig returns. */

/** What one HTTP bearer token may do. */
export interface TokenGrant {
  /** shown in logs and the audit log instead of the token */
  name: string;
  /** only read tools exist in this token's sessions */
  readOnly: boolean;
  /** further narrows the operator's tool selection (undefined: no narrowing) */
  toolsets?: Toolset[];
  tools?: string[];
  excludeTools?: string[];
  /** key profile its DigiCert calls use ("default": the DIGICERT_* keys) */
  profile: string;
  /** requests per minute (0: no limit); undefined: MCP_HTTP_RATE_LIMIT */
  rateLimit?: number;
  /** largest request body in bytes; undefined: MCP_HTTP_MAX_BODY_BYTES */
  maxBodyBytes?: number;
  /** sessions it may hold open at once; undefined: MCP_HTTP_MAX_SESSIONS_PER_TOKEN */
  maxSessions?: number;
}

/** A token from MCP_HTTP_TOKENS_FILE: only its SHA-256 is known, never the token. */
export interface HashedToken extends TokenGrant {
  /** lower-case hex SHA-256 of the token */
  sha256: string;
}

export interface RateLimitConfig {
  /** requests per minute per token; 0: no limit */
  perMinute: number;
  /** requests allowed at once before the rate paces them */
  burst: number;
}

/** MCP_HTTP_TOKENS_FILE as configured, and the key profiles its tokens may name. */
export interface TokensFileSource {
  /** the variable or flag that named it, for messages */
  setting: string;
  path: string;
  /** "default" and the names DIGICERT_PROFILES defines */
  profiles: string[];
}

/** OAuth resource-server mode (MCP_OAUTH_ISSUER + MCP_RESOURCE_URL); see docs/oauth.md. */
export interface OAuthConfig {
  /** the authorization server's issuer identifier, exactly as its metadata and tokens state it */
  issuer: string;
  /** canonical URL of this server's /mcp: the audience tokens must carry */
  resource: string;
  /**
   * MCP_OAUTH_AUDIENCE: further `aud` values accepted beside `resource` (Entra ID names its API by client id or
   * App ID URI); undefined: only `resource`. Never part of the protected-resource metadata.
   */
  audiences?: string[];
  /** JWS algorithms accepted on JWT access tokens */
  algorithms: string[];
  /** RFC 7662 introspection for opaque tokens; undefined: only JWT access tokens are accepted */
  introspection?: { url: string; clientId: string; clientSecret: string };
  /** MCP_OAUTH_GRANTS_FILE's rules in order; undefined: digicert:read/write on the default profile */
  grants?: OAuthGrantRule[];
}

/** One rule of MCP_OAUTH_GRANTS_FILE: who it matches, and the access it gives (tokens-file fields). */
export interface OAuthGrantRule extends Omit<TokenGrant, "name"> {
  /** shown in logs */
  name: string;
  /** undefined: matches every caller (a catch-all, usually last) */
  when?: { scope: string } | { claim: string; value: string };
}

export interface HttpConfig {
  host: string;
  port: number;
  /** bearer tokens from MCP_HTTP_TOKEN: full access on the default profile */
  tokens: string[];
  /** named tokens from MCP_HTTP_TOKENS_FILE (optional so older callers compile) */
  hashedTokens?: HashedToken[];
  /** where they came from, to read them again on SIGHUP; undefined without a tokens file */
  tokensFile?: TokensFileSource;
  /** per-token rate limit; undefined: none */
  rateLimit?: RateLimitConfig;
  stateless: boolean;
  /** undefined: the loopback defaults for the bound port */
  allowedOrigins: string[] | undefined;
  /** undefined: the loopback defaults for the bound port */
  allowedHosts: string[] | undefined;
  maxBodyBytes: number;
  sessionIdleMs: number;
  maxSessions: number;
  /** OAuth access tokens besides the static ones; undefined: off */
  oauth?: OAuthConfig;
  /** sessions one token may hold open at once (undefined: DEFAULT_MAX_SESSIONS_PER_TOKEN); never above maxSessions */
  maxSessionsPerToken?: number;
}

export interface ConfirmationConfig {
  mode: "required" | "disabled";
  secret: string;
  /** whether the secret came from MCP_CONFIRMATION_SECRET (else random for this process) */
  secretFromEnv: boolean;
  ttlMs: number | undefined;
  /**
   * What a token is bound to besides tool, arguments and state: the HTTP `session` and the caller (default), or
   * the `caller` alone (HTTP only), so a client that opens a new session per call (the MCP Inspector CLI) can
   * finish a confirmation. Single use holds either way: the process keeps one registry of used tokens.
   */
  binding: "session" | "caller";
}

/** Where audit lines go. */
export type AuditTarget = { kind: "off" } | { kind: "stderr" } | { kind: "file"; path: string };

export interface Config {
  /** keys from the environment (empty when the sandbox is used): the profile "default" */
  credentials: Credentials;
  /** further key profiles (DIGICERT_PROFILES), by name; never "default" */
  profiles: Record<string, Credentials>;
  /** DigiCert origin; undefined: production (or the sandbox's URL when `sandbox` is set) */
  baseUrl: string | undefined;
  /** why the in-process sandbox is used, or false */
  sandbox: false | "forced" | "no-keys";
  timeouts: Partial<Timeouts>;
  logLevel: LogLevel;
  /** how tool results show the data in their text (MCP_RESULT_TEXT) */
  resultText: "readable" | "json";
  readOnly: boolean;
  toolsets: Toolset[] | undefined;
  tools: string[] | undefined;
  excludeTools: string[] | undefined;
  confirmation: ConfirmationConfig;
  dataDir: string | undefined;
  transport: "stdio" | "http";
  /** HTTP settings; meaningful when transport is "http" (tokens is then non-empty) */
  http: HttpConfig;
  audit: AuditTarget;
  /** DATABASE_URL: shared state in PostgreSQL; undefined: files and memory (one process) */
  databaseUrl: string | undefined;
  /** every secret value configured (keys, HTTP tokens, confirmation secret), for log scrubbing */
  secrets: string[];
  /** non-fatal remarks to log at start-up */
  warnings: string[];
}

export type Env = Readonly<Record<string, string | undefined>>;
