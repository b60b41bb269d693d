import { randomBytes } from "node:crypto";
import { isAbsolute, resolve } from "node:path";
import type { Timeouts } from "./client/client.js";
import type { Credentials } from "./client/credentials.js";
import type { Toolset } from "./operations/index.js";

/**
 * Configuration: one table (SETTINGS) drives parsing, `--help` and the README's configuration table.
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
  | "confirmationTtlMs"
  | "dataDir"
  | "http"
  | "httpToken"
  | "host"
  | "port"
  | "stateless"
  | "allowedOrigins"
  | "allowedHosts"
  | "maxBodyBytes"
  | "sessionIdleMs"
  | "maxSessions"
  | "logLevel"
  | "mcpb"
  | "help"
  | "version";

export const TOOLSETS = [
  "api_keys",
  "acme",
  "account",
  "reporting",
  "finance",
] as const satisfies readonly Toolset[];
// Compile-time check that TOOLSETS lists every Toolset.
type MissingToolset = Exclude<Toolset, (typeof TOOLSETS)[number]>;
const _everyToolset: MissingToolset extends never ? true : never = true;
void _everyToolset;

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_HTTP_PORT = 3000;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_SESSION_IDLE_MS = 30 * 60_000;
export const DEFAULT_MAX_SESSIONS = 100;
const MIN_HTTP_TOKEN_LENGTH = 16;
const MIN_CONFIRMATION_SECRET_LENGTH = 32;

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
    default: "45000",
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
    description: `Bearer token every \`/mcp\` request must carry (at least ${MIN_HTTP_TOKEN_LENGTH} characters); required with --http. Several tokens may be given comma-separated (rotation, one per client).`,
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
      "No sessions: a new server per request (for load-balanced replicas; no elicitation, confirmations use tokens).",
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

/** A configuration problem: the CLI prints the message on stderr and exits with code 2. */
export class ConfigError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export interface HttpConfig {
  host: string;
  port: number;
  /** accepted bearer tokens (at least one) */
  tokens: string[];
  stateless: boolean;
  /** undefined: the loopback defaults for the bound port */
  allowedOrigins: string[] | undefined;
  /** undefined: the loopback defaults for the bound port */
  allowedHosts: string[] | undefined;
  maxBodyBytes: number;
  sessionIdleMs: number;
  maxSessions: number;
}

export interface ConfirmationConfig {
  mode: "required" | "disabled";
  secret: string;
  /** whether the secret came from MCP_CONFIRMATION_SECRET (else random for this process) */
  secretFromEnv: boolean;
  ttlMs: number | undefined;
}

export interface Config {
  /** keys from the environment (empty when the sandbox is used) */
  credentials: Credentials;
  /** DigiCert origin; undefined: production (or the sandbox's URL when `sandbox` is set) */
  baseUrl: string | undefined;
  /** why the in-process sandbox is used, or false */
  sandbox: false | "forced" | "no-keys";
  timeouts: Partial<Timeouts>;
  logLevel: LogLevel;
  readOnly: boolean;
  toolsets: Toolset[] | undefined;
  tools: string[] | undefined;
  excludeTools: string[] | undefined;
  confirmation: ConfirmationConfig;
  dataDir: string | undefined;
  transport: "stdio" | "http";
  /** HTTP settings; meaningful when transport is "http" (tokens is then non-empty) */
  http: HttpConfig;
  /** every secret value configured (keys, HTTP tokens, confirmation secret), for log scrubbing */
  secrets: string[];
  /** non-fatal remarks to log at start-up */
  warnings: string[];
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface ParsedArgs {
  command: "serve" | "help" | "version" | "sandbox";
  /** values given on the command line, by setting (switches: "true") */
  values: Partial<Record<SettingId, string>>;
  /** arguments after the `sandbox` subcommand */
  rest: string[];
}

const byFlag = new Map(SETTINGS.filter((s) => s.flag).map((s) => [s.flag as string, s]));
const byId = new Map(SETTINGS.map((s) => [s.id, s]));

function setting(id: SettingId): Setting {
  return byId.get(id) as Setting;
}

/** Flag names that look like they carry a secret. Such values must come from the environment. */
const SECRET_FLAG = /key|token|secret|passw|credential|auth/i;

function secretFlagMessage(flag: string): string {
  const envs = SETTINGS.filter((s) => s.secret && s.env)
    .map((s) => s.env)
    .join(", ");
  return (
    `${flag}: secrets are not accepted on the command line, because the command line is visible to other ` +
    `local users (ps, /proc) and kept in shell history. Set them in the environment instead: ${envs}.`
  );
}

/** Parses argv (without the node and script paths). Throws ConfigError on anything unknown. */
export function parseArgv(argv: readonly string[]): ParsedArgs {
  const values: Partial<Record<SettingId, string>> = {};
  let command: ParsedArgs["command"] = "serve";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (i === 0 && arg === "sandbox") return { command: "sandbox", values, rest: argv.slice(1) };
    if (arg === "-h") {
      command = "help";
      continue;
    }
    if (arg === "-v" || arg === "-V") {
      if (command !== "help") command = "version";
      continue;
    }
    if (!arg.startsWith("--")) {
      if (SECRET_FLAG.test(arg) && arg.startsWith("-")) throw new ConfigError(secretFlagMessage(arg));
      throw new ConfigError(
        arg === "sandbox"
          ? "the `sandbox` subcommand must come first: digicert-partner-mcp sandbox [--port N]"
          : `unexpected argument ${JSON.stringify(arg)}; see --help`,
      );
    }
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const s = byFlag.get(name);
    if (!s) {
      if (SECRET_FLAG.test(name)) throw new ConfigError(secretFlagMessage(name));
      throw new ConfigError(`unknown option ${name}; see --help`);
    }
    if (s.arg) {
      let value: string | undefined;
      if (eq !== -1) value = arg.slice(eq + 1);
      else {
        value = argv[i + 1];
        if (value === undefined || value.startsWith("--"))
          throw new ConfigError(`${name} needs a value (${s.arg})`);
        i++;
      }
      values[s.id] = value;
    } else {
      if (eq !== -1) throw new ConfigError(`${name} takes no value`);
      if (s.id === "help") command = "help";
      else if (s.id === "version") {
        if (command !== "help") command = "version";
      } else values[s.id] = "true";
    }
  }
  return { command, values, rest: [] };
}

// --- value checks -----------------------------------------------------------------------------------------

/** Values a launcher left unexpanded, or a documentation example pasted as is. */
const PLACEHOLDERS: readonly RegExp[] = [
  /\$\{[^}]*\}?/, // ${user_config.api_key}, ${VAR}
  /^__encrypted__:/i, // Claude Desktop's stored-secret marker, not decrypted
  /^<[^>]*>$/, // <your key>
  /\{\{[^}]*\}\}/, // {{ api_key }}
  /^\$[A-Za-z_][A-Za-z0-9_]*$/, // $DIGICERT_PARTNER_API_KEY
  /^%[A-Za-z_][A-Za-z0-9_]*%$/, // %DIGICERT_PARTNER_API_KEY%
  /^(your|my)[-_ ]?(partner[-_ ]?)?(api[-_ ]?)?(key|token|secret)([-_ ]?here)?$/i,
  /^(changeme|change[-_]me|replace[-_]?me|todo|xxx+|\*{3,}|undefined|null)$/i,
];

function looksLikePlaceholder(value: string): boolean {
  return PLACEHOLDERS.some((re) => re.test(value));
}

/** Checks one secret value (never echoed in the message). Returns it trimmed. */
function checkSecret(name: string, raw: string): string {
  const value = raw.trim();
  if (value === "") {
    throw new ConfigError(`${name} is set but empty; set it to the key, or unset it`);
  }
  if (looksLikePlaceholder(value)) {
    throw new ConfigError(
      `${name} looks like an unexpanded placeholder or an example value, not a real key ` +
        `(e.g. \${user_config.…}, __encrypted__:…, <your key>); set it to the actual value, or unset it`,
    );
  }
  if (!/^[\x21-\x7e]+$/.test(value)) {
    throw new ConfigError(
      `${name} contains spaces, control or non-ASCII characters, which cannot be sent in an HTTP header; check for a copy-paste error`,
    );
  }
  return value;
}

/** A plain (non-secret) environment value: empty means unset; an unexpanded placeholder is refused. */
function plain(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim();
  if (value === "") return undefined;
  if (/\$\{|^__encrypted__:|\{\{/.test(value)) {
    throw new ConfigError(
      `${name}=${JSON.stringify(value)} looks like an unexpanded placeholder; set a value`,
    );
  }
  return value;
}

function parseBool(name: string, value: string): boolean {
  const v = value.toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off"].includes(v)) return false;
  throw new ConfigError(`${name} must be true or false (got ${JSON.stringify(value)})`);
}

function parseInteger(name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value))
    throw new ConfigError(`${name} must be a whole number (got ${JSON.stringify(value)})`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be between ${min} and ${max} (got ${value})`);
  }
  return n;
}

function parseList(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

const TOOL_NAME = /^[a-z][a-z0-9_]*$/;

function parseToolNames(name: string, value: string): string[] {
  const list = parseList(value);
  for (const tool of list) {
    if (!TOOL_NAME.test(tool))
      throw new ConfigError(`${name}: ${JSON.stringify(tool)} is not a tool name (snake_case)`);
  }
  return [...new Set(list)];
}

function parseSubaccountKeys(name: string, raw: string): Record<string, string> {
  const text = raw.trim();
  if (text === "") throw new ConfigError(`${name} is set but empty; set it to a JSON object, or unset it`);
  if (looksLikePlaceholder(text) && !text.startsWith("{")) {
    throw new ConfigError(
      `${name} looks like an unexpanded placeholder, not a JSON object; set it, or unset it`,
    );
  }
  const shape = `${name} must be a JSON object of subaccount id to key, e.g. {"1234":"<key>","5678":"<key>"}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's own message quotes the input, which holds keys: never repeat it.
    throw new ConfigError(`${name} is not valid JSON. ${shape}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ConfigError(`${name} is JSON but not an object. ${shape}`);
  }
  const out: Record<string, string> = {};
  for (const [id, key] of Object.entries(parsed)) {
    if (!/^[1-9]\d{0,15}$/.test(id) || !Number.isSafeInteger(Number(id))) {
      throw new ConfigError(
        `${name}: ${JSON.stringify(id.slice(0, 40))} is not a subaccount id (a positive integer). ${shape}`,
      );
    }
    if (typeof key !== "string")
      throw new ConfigError(`${name}: the key of subaccount ${id} is not a string. ${shape}`);
    out[String(Number(id))] = checkSecret(`${name} (subaccount ${id})`, key);
  }
  if (Object.keys(out).length === 0) {
    throw new ConfigError(`${name} is an empty object; add at least one subaccount key, or unset it`);
  }
  return out;
}

function parseBaseUrl(name: string, value: string, warnings: string[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(
      `${name} is not a URL (got ${JSON.stringify(value)}); e.g. https://www.digicert.com`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(`${name} must be an http(s) URL`);
  }
  if (url.username || url.password) throw new ConfigError(`${name} must not contain credentials`);
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
    throw new ConfigError(
      `${name} is the origin only (scheme, host, port), without a path: e.g. https://www.digicert.com (the API paths are added per call)`,
    );
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    warnings.push(`${name} uses plain http to ${url.host}: API keys travel unencrypted`);
  }
  return url.origin;
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

function parseOrigins(name: string, value: string): string[] {
  return parseList(value).map((o) => {
    if (o === "*") throw new ConfigError(`${name}: "*" is not allowed; list the origins`);
    let url: URL;
    try {
      url = new URL(o);
    } catch {
      throw new ConfigError(`${name}: ${JSON.stringify(o)} is not an origin (e.g. https://app.example.com)`);
    }
    if (url.origin === "null" || url.pathname.length > 1 || url.search || url.hash) {
      throw new ConfigError(`${name}: ${JSON.stringify(o)} is not an origin (scheme://host[:port], no path)`);
    }
    return url.origin;
  });
}

function parseHosts(name: string, value: string): string[] {
  return parseList(value).map((h) => {
    const host = h.toLowerCase();
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/.test(host)) {
      throw new ConfigError(`${name}: ${JSON.stringify(h)} is not a host[:port]`);
    }
    return host;
  });
}

// --- loading ----------------------------------------------------------------------------------------------

/**
 * Reads the configuration from the environment and argv (flags win over the environment).
 * Throws ConfigError with a message fit for the user; never includes a secret value.
 */
export function loadConfig(environment: Env, argv: readonly string[]): Config {
  const args = parseArgv(argv);
  if (args.command !== "serve") {
    throw new ConfigError(`loadConfig: argv asks for ${args.command}, not to serve`);
  }
  const warnings: string[] = [];
  const flag = args.values;
  const env = flag.mcpb !== undefined ? withoutHostBlanks(environment) : environment;
  const envName = (id: SettingId): string => setting(id).env as string;
  const envValue = (id: SettingId): string | undefined => plain(envName(id), env[envName(id)]);
  /** flag value, else environment value; with the name to use in messages */
  const value = (id: SettingId): { name: string; value: string } | undefined => {
    const f = flag[id];
    if (f !== undefined) return { name: setting(id).flag as string, value: f };
    const s = setting(id);
    if (!s.env) return undefined;
    const e = envValue(id);
    return e === undefined ? undefined : { name: s.env, value: e };
  };
  const bool = (id: SettingId): boolean => {
    const v = value(id);
    return v ? parseBool(v.name, v.value) : false;
  };
  const int = (id: SettingId, min: number, max: number): number | undefined => {
    const v = value(id);
    return v ? parseInteger(v.name, v.value, min, max) : undefined;
  };
  const secret = (id: SettingId): string | undefined => {
    const name = envName(id);
    const raw = env[name];
    return raw === undefined ? undefined : checkSecret(name, raw);
  };

  // DigiCert credentials
  const credentials: Credentials = {};
  const parentKey = secret("parentKey");
  if (parentKey) credentials.parentKey = parentKey;
  const subaccountKey = secret("subaccountKey");
  if (subaccountKey) credentials.subaccountKey = subaccountKey;
  const keysRaw = env[envName("subaccountKeys")];
  if (keysRaw !== undefined)
    credentials.subaccountKeys = parseSubaccountKeys(envName("subaccountKeys"), keysRaw);
  const devkey = secret("devkey");
  if (devkey) credentials.devkey = devkey;
  const anyKey = Boolean(parentKey || subaccountKey || credentials.subaccountKeys || devkey);

  const base = value("baseUrl");
  const baseUrl = base ? parseBaseUrl(base.name, base.value, warnings) : undefined;
  let sandbox: Config["sandbox"] = false;
  if (bool("sandbox")) {
    if (baseUrl) {
      throw new ConfigError(
        "--sandbox and a base URL (--base-url / DIGICERT_BASE_URL) contradict each other; choose one",
      );
    }
    sandbox = "forced";
    if (anyKey) warnings.push("the sandbox is forced: the configured DigiCert keys are not used");
  } else if (!anyKey && !baseUrl) {
    sandbox = "no-keys";
  }

  const timeouts: Partial<Timeouts> = {};
  const ms = (id: SettingId): number | undefined => int(id, 1, 600_000);
  const total = ms("timeoutMs");
  if (total !== undefined) timeouts.totalMs = total;
  const connect = ms("connectTimeoutMs");
  if (connect !== undefined) timeouts.connectMs = connect;
  const headers = ms("headersTimeoutMs");
  if (headers !== undefined) timeouts.headersMs = headers;
  const body = ms("bodyTimeoutMs");
  if (body !== undefined) timeouts.bodyMs = body;

  // Tools
  let toolsets: Toolset[] | undefined;
  const ts = value("toolsets");
  if (ts) {
    const list = parseList(ts.value).map((t) => t.toLowerCase());
    if (list.length === 0)
      throw new ConfigError(`${ts.name} is empty; name at least one of ${TOOLSETS.join(", ")}`);
    if (!list.includes("all")) {
      const unknown = list.filter((t) => !(TOOLSETS as readonly string[]).includes(t));
      if (unknown.length) {
        throw new ConfigError(
          `${ts.name}: unknown toolset ${unknown.map((u) => JSON.stringify(u)).join(", ")}; known: ${TOOLSETS.join(", ")}, all`,
        );
      }
      toolsets = [...new Set(list)] as Toolset[];
    }
  }
  const toolsValue = value("tools");
  const tools = toolsValue ? parseToolNames(toolsValue.name, toolsValue.value) : undefined;
  const excludeValue = value("excludeTools");
  const excludeTools = excludeValue ? parseToolNames(excludeValue.name, excludeValue.value) : undefined;
  const dataDirValue = value("dataDir");
  const dataDir = dataDirValue
    ? isAbsolute(dataDirValue.value)
      ? dataDirValue.value
      : resolve(dataDirValue.value)
    : undefined;

  // Confirmation
  let mode: ConfirmationConfig["mode"] = "required";
  if (flag.confirmation !== undefined) mode = "disabled";
  else {
    const c = envValue("confirmation");
    if (c !== undefined) {
      const v = c.toLowerCase();
      if (v !== "required" && v !== "disabled") {
        throw new ConfigError(`MCP_CONFIRMATION must be "required" or "disabled" (got ${JSON.stringify(c)})`);
      }
      mode = v;
    }
  }
  if (mode === "disabled") warnings.push("confirmation of destructive tools is disabled");
  const confirmationSecretEnv = secret("confirmationSecret");
  if (confirmationSecretEnv !== undefined && confirmationSecretEnv.length < MIN_CONFIRMATION_SECRET_LENGTH) {
    throw new TooShortError("MCP_CONFIRMATION_SECRET", MIN_CONFIRMATION_SECRET_LENGTH);
  }
  const confirmation: ConfirmationConfig = {
    mode,
    secret: confirmationSecretEnv ?? randomBytes(32).toString("base64url"),
    secretFromEnv: confirmationSecretEnv !== undefined,
    ttlMs: int("confirmationTtlMs", 1_000, 24 * 3_600_000),
  };

  // Transport
  let transport: Config["transport"] = "stdio";
  if (flag.http !== undefined) transport = "http";
  else {
    const t = envValue("http");
    if (t !== undefined) {
      const v = t.toLowerCase();
      if (v !== "stdio" && v !== "http") {
        throw new ConfigError(`MCP_TRANSPORT must be "stdio" or "http" (got ${JSON.stringify(t)})`);
      }
      transport = v;
    }
  }
  const tokens: string[] = [];
  const tokenRaw = env[envName("httpToken")];
  if (tokenRaw !== undefined) {
    const name = envName("httpToken");
    if (tokenRaw.trim() === "")
      throw new ConfigError(`${name} is set but empty; set it to a token, or unset it`);
    for (const part of tokenRaw.split(",")) {
      const token = checkSecret(name, part);
      if (token.length < MIN_HTTP_TOKEN_LENGTH) throw new TooShortError(name, MIN_HTTP_TOKEN_LENGTH);
      tokens.push(token);
    }
  }
  const hostValue = value("host");
  const host = hostValue ? hostValue.value : "127.0.0.1";
  if (hostValue && !/^(\[?[0-9a-fA-F:.]+\]?|[A-Za-z0-9.-]+)$/.test(host)) {
    throw new ConfigError(`${hostValue.name}: ${JSON.stringify(host)} is not a host name or address`);
  }
  const http: HttpConfig = {
    host: host.replace(/^\[|\]$/g, ""),
    port: int("port", 0, 65_535) ?? DEFAULT_HTTP_PORT,
    tokens,
    stateless: bool("stateless"),
    allowedOrigins: value("allowedOrigins")
      ? parseOrigins(envName("allowedOrigins"), (value("allowedOrigins") as { value: string }).value)
      : undefined,
    allowedHosts: value("allowedHosts")
      ? parseHosts(envName("allowedHosts"), (value("allowedHosts") as { value: string }).value)
      : undefined,
    maxBodyBytes: int("maxBodyBytes", 1_024, 64 * 1024 * 1024) ?? DEFAULT_MAX_BODY_BYTES,
    sessionIdleMs: int("sessionIdleMs", 1_000, 7 * 24 * 3_600_000) ?? DEFAULT_SESSION_IDLE_MS,
    maxSessions: int("maxSessions", 1, 100_000) ?? DEFAULT_MAX_SESSIONS,
  };
  if (transport === "http" && tokens.length === 0) {
    throw new ConfigError(
      `--http needs MCP_HTTP_TOKEN: every /mcp request must carry "Authorization: Bearer <token>"${
        isLoopback(http.host) ? "" : `, and ${http.host} is reachable from other machines`
      }. Generate one, e.g. MCP_HTTP_TOKEN=$(openssl rand -hex 32)`,
    );
  }
  if (transport === "http" && !isLoopback(http.host) && !http.allowedHosts) {
    warnings.push(
      `binding ${http.host}: only loopback Host headers are accepted until MCP_ALLOWED_HOSTS lists the names clients use`,
    );
  }
  if (transport === "stdio") {
    for (const id of ["port", "host", "stateless"] as const) {
      if (flag[id] !== undefined) warnings.push(`${setting(id).flag} has no effect without --http`);
    }
  }

  const logValue = value("logLevel");
  let logLevel: LogLevel = "info";
  if (logValue) {
    const v = logValue.value.toLowerCase();
    if (!(LOG_LEVELS as readonly string[]).includes(v)) {
      throw new ConfigError(
        `${logValue.name} must be one of ${LOG_LEVELS.join(", ")} (got ${JSON.stringify(logValue.value)})`,
      );
    }
    logLevel = v as LogLevel;
  }

  const secrets = [
    parentKey,
    subaccountKey,
    devkey,
    ...Object.values(credentials.subaccountKeys ?? {}),
    ...tokens,
    confirmation.secret,
  ].filter((s): s is string => typeof s === "string" && s.length > 0);

  return {
    credentials: sandbox === "forced" ? {} : credentials,
    baseUrl,
    sandbox,
    timeouts,
    logLevel,
    readOnly: bool("readOnly"),
    toolsets,
    tools,
    excludeTools,
    confirmation,
    dataDir,
    transport,
    http,
    secrets: [...new Set(secrets)],
    warnings,
  };
}

/**
 * An MCP Bundle host passes every mapped setting, also those the user left blank: as "" (when the manifest
 * declares a default of "") or as the literal `${user_config.name}` (hosts that do not substitute blanks).
 * Under --mcpb these count as unset; anything else (e.g. "__encrypted__:…", a secret the host failed to
 * decrypt) is still refused.
 */
function withoutHostBlanks(env: Env): Env {
  const ours = new Set(SETTINGS.map((s) => s.env).filter(Boolean));
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) {
    const blank = value !== undefined && /^\s*(\$\{user_config\.[A-Za-z0-9_]+\})?\s*$/.test(value);
    if (!(ours.has(name) && blank)) out[name] = value;
  }
  return out;
}

class TooShortError extends ConfigError {
  constructor(name: string, min: number) {
    super(
      `${name} is too short to be a secret: use at least ${min} random characters, e.g. $(openssl rand -hex 32)`,
    );
  }
}

// --- documentation ----------------------------------------------------------------------------------------

function flagLabel(s: Setting): string | undefined {
  return s.flag ? (s.arg ? `${s.flag} ${s.arg}` : s.flag) : undefined;
}

/** The text of `--help`. */
export function helpText(version: string): string {
  const lines = [
    `digicert-partner-mcp ${version}: MCP server for DigiCert's Partner Subscriptions API`,
    "",
    "Usage:",
    "  digicert-partner-mcp [options]            serve MCP over stdio (default) or HTTP (--http)",
    "  digicert-partner-mcp sandbox [--port N]   run only the local DigiCert API emulator",
    "",
    "With no DigiCert key and no base URL configured, the built-in sandbox is started and used.",
    "Secrets (keys, tokens) are read from the environment only, never from the command line.",
  ];
  const groups: SettingGroup[] = ["DigiCert", "Tools", "Confirmation", "HTTP", "General"];
  for (const group of groups) {
    lines.push("", `${group}:`);
    for (const s of SETTINGS.filter((x) => x.group === group)) {
      const names = [flagLabel(s), s.env ? `${s.env}${s.secret ? " (secret)" : ""}` : undefined]
        .filter(Boolean)
        .join(", ");
      lines.push(`  ${names}`);
      const text = s.description.replaceAll("`", "") + (s.default ? ` Default: ${s.default}.` : "");
      for (const line of wrap(text, 76)) lines.push(`      ${line}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

/** The README's configuration table (kept identical by a test). */
export function configurationMarkdown(): string {
  const cell = (s: string): string => s.replaceAll("|", "\\|");
  const rows = SETTINGS.map((s) => {
    const env = s.env ? `\`${s.env}\`${s.secret ? " (secret)" : ""}` : "";
    const f = flagLabel(s);
    return `| ${env} | ${f ? `\`${f}\`` : ""} | ${s.default ? cell(s.default) : ""} | ${cell(s.description)} |`;
  });
  return ["| Environment variable | Flag | Default | Meaning |", "| --- | --- | --- | --- |", ...rows].join(
    "\n",
  );
}
