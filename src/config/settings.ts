import { TOOLSETS } from "../operations/index.js";

/**
 * The settings table: one entry per setting drives parsing, `--help` and the README's configuration table.
 * Secrets are read from the environment only, never from argv (argv is visible to every local user in `ps`
 * and ends up in shell history).
 */

export type SettingGroup = "DigiCert" | "Tools" | "Confirmation" | "HTTP" | "General";

export interface Setting {
  id: SettingId;
  group: SettingGroup;
  /** environment variable, when the setting can be set there */
  env?: string;
  /** command-line flag, when the setting can be set there (never for secrets) */
  flag?: string;
  /** name of the flag's argument; absent for a switch */
  arg?: string;
  /** a secret: environment only, scrubbed from logs */
  secret?: boolean;
  /** default, as shown in --help and the README */
  default?: string;
  description: string;
}

export type SettingId =
  | "parentKey"
  | "subaccountKey"
  | "subaccountKeys"
  | "devkey"
  | "profiles"
  | "baseUrl"
  | "sandbox"
  | "timeoutMs"
  | "connectTimeoutMs"
  | "headersTimeoutMs"
  | "bodyTimeoutMs"
  | "readOnly"
  | "toolsets"
  | "tools"
  | "excludeTools"
  | "confirmation"
  | "confirmationSecret"
  | "confirmationBinding"
  | "confirmationTtlMs"
  | "dataDir"
  | "http"
  | "httpToken"
  | "httpTokensFile"
  | "rateLimit"
  | "rateBurst"
  | "host"
  | "port"
  | "stateless"
  | "allowedOrigins"
  | "allowedHosts"
  | "maxBodyBytes"
  | "sessionIdleMs"
  | "maxSessions"
  | "oauthIssuer"
  | "resourceUrl"
  | "oauthAudience"
  | "oauthAlgorithms"
  | "oauthGrantsFile"
  | "oauthIntrospectionUrl"
  | "oauthClientId"
  | "oauthClientSecret"
  | "maxSessionsPerToken"
  | "auditLog"
  | "databaseUrl"
  | "logLevel"
  | "resultText"
  | "mcpb"
  | "help"
  | "version";

export { TOOLSETS };

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_HTTP_PORT = 3000;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_SESSION_IDLE_MS = 30 * 60_000;
export const DEFAULT_MAX_SESSIONS = 100;
/** well under DEFAULT_MAX_SESSIONS: one token cannot hold every session and lock the others out */
export const DEFAULT_MAX_SESSIONS_PER_TOKEN = 10;
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;
export const DEFAULT_RATE_BURST = 120;
export const MIN_HTTP_TOKEN_LENGTH = 16;
export const MIN_CONFIRMATION_SECRET_LENGTH = 32;
/** asymmetric algorithms only: a shared-secret (HS*) key would let anyone holding it mint tokens */
export const OAUTH_DEFAULT_ALGORITHMS = ["RS256", "PS256", "ES256", "EdDSA"] as const;

export const SETTINGS: readonly Setting[] = [
  {
    id: "parentKey",
    group: "DigiCert",
    env: "DIGICERT_PARTNER_API_KEY",
    secret: true,
    description: "Partner API key of the parent account (subaccounts, API keys, reporting, finance).",
  },
  {
    id: "subaccountKey",
    group: "DigiCert",
    env: "DIGICERT_SUBACCOUNT_API_KEY",
    secret: true,
    description: "Partner API key of the default subaccount (ACME contracts refuse the parent key).",
  },
  {
    id: "subaccountKeys",
    group: "DigiCert",
    env: "DIGICERT_SUBACCOUNT_API_KEYS",
    secret: true,
    description:
      'Further subaccount keys as a JSON object of subaccount id to key, e.g. `{"1234":"…"}`; tools pick one with `account_id`.',
  },
  {
    id: "devkey",
    group: "DigiCert",
    env: "DIGICERT_DEVKEY",
    secret: true,
    description: "CertCentral API key (X-DC-DEVKEY), for the subaccount cost report and billing link.",
  },
  {
    id: "profiles",
    group: "DigiCert",
    env: "DIGICERT_PROFILES",
    description:
      'Further key profiles for HTTP tokens (see `MCP_HTTP_TOKENS_FILE`): a JSON object of profile name to the names of the environment variables holding its keys, e.g. `{"team-a":{"subaccount_keys_env":"TEAM_A_KEYS"}}` (fields `parent_key_env`, `subaccount_key_env`, `subaccount_keys_env`, `devkey_env`). The keys above form the profile `default`.',
  },
  {
    id: "baseUrl",
    group: "DigiCert",
    env: "DIGICERT_BASE_URL",
    flag: "--base-url",
    arg: "URL",
    default: "https://www.digicert.com",
    description: "DigiCert origin (scheme, host, optional port; no path).",
  },
  {
    id: "sandbox",
    group: "DigiCert",
    env: "DIGICERT_SANDBOX",
    flag: "--sandbox",
    default: "on when no key and no base URL is set",
    description:
      "Run against the built-in sandbox (a local emulator of the API, started in-process) with its demo keys; configured keys are ignored.",
  },
  {
    id: "timeoutMs",
    group: "DigiCert",
    env: "DIGICERT_TIMEOUT_MS",
    default: "30000",
    description: "Time limit of one tool call to DigiCert, retries included, in ms.",
  },
  {
    id: "connectTimeoutMs",
    group: "DigiCert",
    env: "DIGICERT_CONNECT_TIMEOUT_MS",
    default: "5000",
    description: "Time limit to open a connection to DigiCert, in ms.",
  },
  {
    id: "headersTimeoutMs",
    group: "DigiCert",
    env: "DIGICERT_HEADERS_TIMEOUT_MS",
    default: "20000",
    description: "Time limit until DigiCert's response headers arrive, in ms.",
  },
  {
    id: "bodyTimeoutMs",
    group: "DigiCert",
    env: "DIGICERT_BODY_TIMEOUT_MS",
    default: "20000",
    description: "Time limit between two chunks of DigiCert's response body, in ms.",
  },
  {
    id: "readOnly",
    group: "Tools",
    env: "DIGICERT_READ_ONLY",
    flag: "--read-only",
    default: "false",
    description: "Offer only tools that change nothing.",
  },
  {
    id: "toolsets",
    group: "Tools",
    env: "DIGICERT_TOOLSETS",
    flag: "--toolsets",
    arg: "LIST",
    default: "all",
    description: `Comma-separated toolsets to offer: ${TOOLSETS.join(", ")} (or \`all\`).`,
  },
  {
    id: "tools",
    group: "Tools",
    env: "DIGICERT_TOOLS",
    flag: "--tools",
    arg: "LIST",
    description: "Comma-separated tool names to offer (in addition to the selected toolsets).",
  },
  {
    id: "excludeTools",
    group: "Tools",
    env: "DIGICERT_EXCLUDE_TOOLS",
    flag: "--exclude-tools",
    arg: "LIST",
    description: "Comma-separated tool names never to offer.",
  },
  {
    id: "dataDir",
    group: "Tools",
    env: "DIGICERT_DATA_DIR",
    default: "$XDG_STATE_HOME/digicert-partner-mcp, else ~/.local/state/digicert-partner-mcp",
    description: "Directory where reporting snapshots are stored.",
  },
  {
    id: "confirmation",
    group: "Confirmation",
    env: "MCP_CONFIRMATION",
    flag: "--no-confirmation",
    default: "required",
    description:
      "`required`: destructive tools ask for confirmation first. `disabled` (or the flag): no confirmation step, for unattended automation only.",
  },
  {
    id: "confirmationSecret",
    group: "Confirmation",
    env: "MCP_CONFIRMATION_SECRET",
    secret: true,
    default: "random per process",
    description: `HMAC secret of confirmation tokens (at least ${MIN_CONFIRMATION_SECRET_LENGTH} characters); set the same value on every HTTP replica.`,
  },
  {
    id: "confirmationBinding",
    group: "Confirmation",
    env: "MCP_CONFIRMATION_BINDING",
    default: "session",
    description:
      "`session`: a confirmation token works only in the HTTP session that got the preview (and for the same caller). `caller` (HTTP only): for the same caller in any session, for clients that open a session per call such as the MCP Inspector CLI. Single use either way.",
  },
  {
    id: "confirmationTtlMs",
    group: "Confirmation",
    env: "MCP_CONFIRMATION_TTL_MS",
    description: "How long a confirmation token stays valid, in ms (default: the server's).",
  },
  {
    id: "http",
    group: "HTTP",
    env: "MCP_TRANSPORT",
    flag: "--http",
    default: "stdio",
    description: "Serve Streamable HTTP at `/mcp` instead of stdio (`MCP_TRANSPORT=http`).",
  },
  {
    id: "httpToken",
    group: "HTTP",
    env: "MCP_HTTP_TOKEN",
    secret: true,
    description: `Bearer token every \`/mcp\` request must carry (at least ${MIN_HTTP_TOKEN_LENGTH} characters), with full access on the default key profile; --http needs it or MCP_HTTP_TOKENS_FILE. Several tokens may be given comma-separated (rotation, one per client).`,
  },
  {
    id: "httpTokensFile",
    group: "HTTP",
    env: "MCP_HTTP_TOKENS_FILE",
    description:
      "JSON file of named bearer tokens, stored as SHA-256 hashes (`digicert-partner-mcp hash-token`), each with its own access: `read_only`, `toolsets`, `tools`, `exclude_tools`, key `profile`, `rate_limit`, `max_body_bytes`, `max_sessions`. Read again on SIGHUP. See docs/reliability.md.",
  },
  {
    id: "rateLimit",
    group: "HTTP",
    env: "MCP_HTTP_RATE_LIMIT",
    default: String(DEFAULT_RATE_LIMIT_PER_MINUTE),
    description:
      "Requests per minute each token may make to `/mcp` (0: no limit); beyond it 429 with Retry-After. A token's `rate_limit` in the tokens file wins.",
  },
  {
    id: "rateBurst",
    group: "HTTP",
    env: "MCP_HTTP_RATE_BURST",
    default: String(DEFAULT_RATE_BURST),
    description: "Requests a token may make at once before MCP_HTTP_RATE_LIMIT paces it.",
  },
  {
    id: "host",
    group: "HTTP",
    env: "MCP_HTTP_HOST",
    flag: "--host",
    arg: "HOST",
    default: "127.0.0.1",
    description: "Address the HTTP server binds to.",
  },
  {
    id: "port",
    group: "HTTP",
    env: "MCP_HTTP_PORT",
    flag: "--port",
    arg: "N",
    default: String(DEFAULT_HTTP_PORT),
    description: "Port the HTTP server listens on (0: any free port).",
  },
  {
    id: "stateless",
    group: "HTTP",
    env: "MCP_HTTP_STATELESS",
    flag: "--stateless",
    default: "false",
    description:
      "No sessions: each request on its own (for load-balanced replicas; no elicitation, confirmations use tokens).",
  },
  {
    id: "allowedOrigins",
    group: "HTTP",
    env: "MCP_ALLOWED_ORIGINS",
    default: "http://localhost:PORT, http://127.0.0.1:PORT, http://[::1]:PORT",
    description: "Comma-separated browser origins allowed to call `/mcp`; any other `Origin` gets 403.",
  },
  {
    id: "allowedHosts",
    group: "HTTP",
    env: "MCP_ALLOWED_HOSTS",
    default: "localhost:PORT, 127.0.0.1:PORT, [::1]:PORT",
    description:
      "Comma-separated `Host` header values accepted (an entry without port accepts any port); stops DNS rebinding.",
  },
  {
    id: "maxBodyBytes",
    group: "HTTP",
    env: "MCP_HTTP_MAX_BODY_BYTES",
    default: String(DEFAULT_MAX_BODY_BYTES),
    description: "Largest request body accepted, in bytes (larger: 413).",
  },
  {
    id: "sessionIdleMs",
    group: "HTTP",
    env: "MCP_HTTP_SESSION_IDLE_MS",
    default: String(DEFAULT_SESSION_IDLE_MS),
    description: "An HTTP session unused this long (ms) is closed.",
  },
  {
    id: "maxSessions",
    group: "HTTP",
    env: "MCP_HTTP_MAX_SESSIONS",
    default: String(DEFAULT_MAX_SESSIONS),
    description: "Most HTTP sessions open at once (more: 503).",
  },
  {
    id: "oauthIssuer",
    group: "HTTP",
    env: "MCP_OAUTH_ISSUER",
    description:
      "Issuer URL of your OAuth 2.1 authorization server (Keycloak realm, Entra ID tenant, Auth0 tenant…). With `MCP_RESOURCE_URL` it turns on OAuth: `/mcp` then also accepts its access tokens, scopes `digicert:read` / `digicert:write`. See docs/oauth.md.",
  },
  {
    id: "resourceUrl",
    group: "HTTP",
    env: "MCP_RESOURCE_URL",
    description:
      "Canonical public URL of this server's `/mcp` (e.g. `https://mcp.example.com/mcp`): the audience access tokens must name (RFC 8707), and the resource of `/.well-known/oauth-protected-resource`.",
  },
  {
    id: "oauthAudience",
    group: "HTTP",
    env: "MCP_OAUTH_AUDIENCE",
    description:
      "Comma-separated further `aud` values access tokens may carry instead of `MCP_RESOURCE_URL` (Entra ID: the API's client id or App ID URI); exact values, no wildcards. See docs/oauth.md.",
  },
  {
    id: "oauthAlgorithms",
    group: "HTTP",
    env: "MCP_OAUTH_ALGORITHMS",
    default: OAUTH_DEFAULT_ALGORITHMS.join(","),
    description:
      "Comma-separated JWS algorithms accepted on JWT access tokens (asymmetric only; never `none`).",
  },
  {
    id: "oauthGrantsFile",
    group: "HTTP",
    env: "MCP_OAUTH_GRANTS_FILE",
    description:
      "JSON file mapping OAuth scopes or claims to access in the tokens-file style (`toolsets`, `tools`, `exclude_tools`, key `profile`, `read_only`, `rate_limit`, `max_body_bytes`); first match wins. Without it every caller with `digicert:read` gets the default profile. See docs/oauth.md.",
  },
  {
    id: "oauthIntrospectionUrl",
    group: "HTTP",
    env: "MCP_OAUTH_INTROSPECTION_URL",
    description:
      "RFC 7662 token introspection endpoint, for authorization servers that issue opaque (non-JWT) access tokens; needs `MCP_OAUTH_CLIENT_ID` and `MCP_OAUTH_CLIENT_SECRET`.",
  },
  {
    id: "oauthClientId",
    group: "HTTP",
    env: "MCP_OAUTH_CLIENT_ID",
    description: "Client id this server authenticates with at the introspection endpoint.",
  },
  {
    id: "oauthClientSecret",
    group: "HTTP",
    env: "MCP_OAUTH_CLIENT_SECRET",
    secret: true,
    description: "Client secret for the introspection endpoint (HTTP Basic).",
  },
  {
    id: "maxSessionsPerToken",
    group: "HTTP",
    env: "MCP_HTTP_MAX_SESSIONS_PER_TOKEN",
    default: String(DEFAULT_MAX_SESSIONS_PER_TOKEN),
    description:
      "Most HTTP sessions one bearer token may hold open at once; at the cap its least recently used idle session is closed to make room, 429 (that token only) when all are busy. A token's `max_sessions` in the tokens file wins.",
  },
  {
    id: "databaseUrl",
    group: "General",
    env: "DATABASE_URL",
    secret: true,
    description:
      "`postgres://user:password@host:5432/db`: keep shared state (reporting snapshots, used confirmation tokens, rate limits) in PostgreSQL so several HTTP replicas behind a load balancer act as one. Unset: files and memory, for one process. See docs/deployment.md.",
  },
  {
    id: "auditLog",
    group: "General",
    env: "MCP_AUDIT_LOG",
    default: "stderr with --http, off with stdio",
    description:
      "Audit log of every write and destructive tool call (JSON lines: time, token name, session, tool, target ids, confirmation, outcome; never secrets): a file path (appended), `stderr`, or `off`.",
  },
  {
    id: "resultText",
    group: "General",
    env: "MCP_RESULT_TEXT",
    default: "readable",
    description:
      "How tool results show DigiCert's data in their text: `readable` (one line per field or record, a list of records with the same fields as a table naming them once; the data is also in `structuredContent`) or `json` (compact JSON, for a client that parses the text).",
  },
  {
    id: "logLevel",
    group: "General",
    env: "LOG_LEVEL",
    flag: "--log-level",
    arg: "LEVEL",
    default: "info",
    description: `Log level (${LOG_LEVELS.join(", ")}); logs go to stderr, secrets scrubbed.`,
  },
  {
    id: "mcpb",
    group: "General",
    flag: "--mcpb",
    description:
      "Set by the Claude Desktop extension (MCP Bundle): a setting left blank there arrives as an empty value or an unexpanded `$" +
      "{user_config.…}` and then counts as unset instead of being refused.",
  },
  { id: "help", group: "General", flag: "--help", description: "Print this help and exit." },
  { id: "version", group: "General", flag: "--version", description: "Print the version and exit." },
];

const byFlag = new Map(SETTINGS.filter((s) => s.flag).map((s) => [s.flag as string, s]));
const byId = new Map(SETTINGS.map((s) => [s.id, s]));

export function settingByFlag(flag: string): Setting | undefined {
  return byFlag.get(flag);
}

export function setting(id: SettingId): Setting {
  return byId.get(id) as Setting;
}
