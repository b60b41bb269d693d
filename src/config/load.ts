import { randomBytes } from "node:crypto";
import { isAbsolute, resolve } from "node:path";
import type { Timeouts } from "../client/client.js";
import { allSecrets, type Credentials } from "../client/credentials.js";
import type { Toolset } from "../operations/index.js";
import { parseArgv } from "./argv.js";
import { ConfigError, TooShortError } from "./errors.js";
import { parseOAuth } from "./oauth.js";
import { DEFAULT_PROFILE, parseProfiles } from "./profiles.js";
import { checkSecret, plain, withoutHostBlanks } from "./secrets.js";
import {
  DEFAULT_HTTP_PORT,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_SESSIONS,
  DEFAULT_MAX_SESSIONS_PER_TOKEN,
  DEFAULT_RATE_BURST,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  DEFAULT_SESSION_IDLE_MS,
  LOG_LEVELS,
  type LogLevel,
  MIN_CONFIRMATION_SECRET_LENGTH,
  MIN_HTTP_TOKEN_LENGTH,
  type SettingId,
  setting,
  TOOLSETS,
} from "./settings.js";
import { loadTokensFile } from "./tokens-file.js";
import type { AuditTarget, Config, ConfirmationConfig, Env, HttpConfig, RateLimitConfig } from "./types.js";
import {
  isLoopback,
  parseBaseUrl,
  parseBool,
  parseHosts,
  parseInteger,
  parseList,
  parseOrigins,
  parseSubaccountKeys,
  parseToolNames,
} from "./values.js";

/**
 * Reads the configuration from the environment and argv (flags win over the environment).
 * Throws ConfigError with a message fit for the user; never includes a secret value.
 * Each step reads one concern; they run in this order, so the first problem reported stays the same.
 */
export function loadConfig(environment: Env, argv: readonly string[]): Config {
  const args = parseArgv(argv);
  if (args.command !== "serve") {
    throw new ConfigError(`loadConfig: argv asks for ${args.command}, not to serve`);
  }
  const r = settingsReader(environment, args.values);
  const keys = readKeys(r);
  const target = readTarget(r, keys);
  const timeouts = readTimeouts(r);
  const selection = readToolSelection(r);
  const dataDir = readDataDir(r);
  const confirmation = readConfirmation(r);
  const transport = readTransport(r);
  const http = readHttp(r, keys.profiles);
  checkTransport(r, transport, http, confirmation);
  const logLevel = readLogLevel(r);
  const audit = parseAudit(r.value("auditLog"), transport);
  const databaseUrl = parseDatabaseUrl(r.envValue("databaseUrl"));
  const secrets = [
    ...keySecrets(keys),
    ...http.tokens,
    http.oauth?.introspection?.clientSecret,
    confirmation.secret,
    databaseUrl,
    databaseUrl && decodeURIComponent(new URL(databaseUrl).password),
  ].filter((s): s is string => typeof s === "string" && s.length > 0);

  return {
    credentials: target.sandbox === "forced" ? {} : keys.credentials,
    profiles: keys.profiles,
    baseUrl: target.baseUrl,
    sandbox: target.sandbox,
    timeouts,
    logLevel,
    resultText: resultText(r.envValue("resultText")),
    readOnly: r.bool("readOnly"),
    ...selection,
    confirmation,
    dataDir,
    transport,
    http,
    audit,
    databaseUrl,
    secrets: [...new Set(secrets)],
    warnings: r.warnings,
  };
}

/** A setting as given: its value and the name (flag or variable) to use in messages. */
interface Given {
  name: string;
  value: string;
}

/** Reads settings by id from flags and the environment; collects warnings for the user. */
interface SettingsReader {
  flag: Partial<Record<SettingId, string>>;
  env: Env;
  warnings: string[];
  envName(id: SettingId): string;
  envValue(id: SettingId): string | undefined;
  /** flag value, else environment value; with the name to use in messages */
  value(id: SettingId): Given | undefined;
  bool(id: SettingId): boolean;
  int(id: SettingId, min: number, max: number): number | undefined;
  /** an environment-only secret, checked for blanks and line breaks */
  secret(id: SettingId): string | undefined;
}

function settingsReader(environment: Env, flag: Partial<Record<SettingId, string>>): SettingsReader {
  const env = flag.mcpb !== undefined ? withoutHostBlanks(environment) : environment;
  const envName = (id: SettingId): string => setting(id).env as string;
  const envValue = (id: SettingId): string | undefined => plain(envName(id), env[envName(id)]);
  const value = (id: SettingId): Given | undefined => {
    const f = flag[id];
    if (f !== undefined) return { name: setting(id).flag as string, value: f };
    const s = setting(id);
    if (!s.env) return undefined;
    const e = envValue(id);
    return e === undefined ? undefined : { name: s.env, value: e };
  };
  return {
    flag,
    env,
    warnings: [],
    envName,
    envValue,
    value,
    bool: (id) => {
      const v = value(id);
      return v ? parseBool(v.name, v.value) : false;
    },
    int: (id, min, max) => {
      const v = value(id);
      return v ? parseInteger(v.name, v.value, min, max) : undefined;
    },
    secret: (id) => {
      const name = envName(id);
      const raw = env[name];
      return raw === undefined ? undefined : checkSecret(name, raw);
    },
  };
}

type Profiles = Config["profiles"];

interface Keys {
  credentials: Credentials;
  profiles: Profiles;
  /** DIGICERT_PROFILES is set (even to no profile) */
  profilesSet: boolean;
  /** any DigiCert key or profile is configured */
  anyKey: boolean;
}

/** DigiCert credentials of the default profile, and the named profiles. */
function readKeys(r: SettingsReader): Keys {
  const credentials: Credentials = {};
  const parentKey = r.secret("parentKey");
  if (parentKey) credentials.parentKey = parentKey;
  const subaccountKey = r.secret("subaccountKey");
  if (subaccountKey) credentials.subaccountKey = subaccountKey;
  const keysRaw = r.env[r.envName("subaccountKeys")];
  if (keysRaw !== undefined)
    credentials.subaccountKeys = parseSubaccountKeys(r.envName("subaccountKeys"), keysRaw);
  const devkey = r.secret("devkey");
  if (devkey) credentials.devkey = devkey;
  const profilesRaw = r.env[r.envName("profiles")];
  const profiles = profilesRaw === undefined ? {} : parseProfiles(r.envName("profiles"), profilesRaw, r.env);
  // Profiles count as keys: with them set, silently starting the sandbox instead would be a surprise.
  const anyKey = Boolean(
    parentKey || subaccountKey || credentials.subaccountKeys || devkey || Object.keys(profiles).length,
  );
  return { credentials, profiles, profilesSet: profilesRaw !== undefined, anyKey };
}

/** Every secret of the DigiCert keys and profiles, for scrubbing. */
function keySecrets(keys: Keys): string[] {
  const c = keys.credentials;
  return [
    c.parentKey,
    c.subaccountKey,
    c.devkey,
    ...Object.values(c.subaccountKeys ?? {}),
    ...Object.values(keys.profiles).flatMap(allSecrets),
  ].filter((s): s is string => typeof s === "string" && s.length > 0);
}

/** Where requests go: a base URL, or the built-in sandbox (forced, or because no key is configured). */
function readTarget(r: SettingsReader, keys: Keys): Pick<Config, "baseUrl" | "sandbox"> {
  const base = r.value("baseUrl");
  const baseUrl = base ? parseBaseUrl(base.name, base.value, r.warnings) : undefined;
  let sandbox: Config["sandbox"] = false;
  if (r.bool("sandbox")) {
    if (baseUrl) {
      throw new ConfigError(
        "--sandbox and a base URL (--base-url / DIGICERT_BASE_URL) contradict each other; choose one",
      );
    }
    if (keys.profilesSet) {
      throw new ConfigError(
        "DIGICERT_PROFILES and --sandbox contradict each other: the built-in sandbox has only its demo keys. To try profiles against the sandbox, run `digicert-partner-mcp sandbox` and point DIGICERT_BASE_URL and the profiles' variables at it",
      );
    }
    sandbox = "forced";
    if (keys.anyKey) r.warnings.push("the sandbox is forced: the configured DigiCert keys are not used");
  } else if (!keys.anyKey && !baseUrl) {
    sandbox = "no-keys";
  }
  return { baseUrl, sandbox };
}

/** The client's timeouts, each 1 ms to 10 min; unset ones keep the client's defaults. */
function readTimeouts(r: SettingsReader): Partial<Timeouts> {
  const timeouts: Partial<Timeouts> = {};
  const ms = (id: SettingId): number | undefined => r.int(id, 1, 600_000);
  const total = ms("timeoutMs");
  if (total !== undefined) timeouts.totalMs = total;
  const connect = ms("connectTimeoutMs");
  if (connect !== undefined) timeouts.connectMs = connect;
  const headers = ms("headersTimeoutMs");
  if (headers !== undefined) timeouts.headersMs = headers;
  const body = ms("bodyTimeoutMs");
  if (body !== undefined) timeouts.bodyMs = body;
  return timeouts;
}

/** Which tools the server offers: toolsets ("all" or unset: every one), tools, excludeTools. */
function readToolSelection(r: SettingsReader): Pick<Config, "toolsets" | "tools" | "excludeTools"> {
  let toolsets: Toolset[] | undefined;
  const ts = r.value("toolsets");
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
  const toolsValue = r.value("tools");
  const tools = toolsValue ? parseToolNames(toolsValue.name, toolsValue.value) : undefined;
  const excludeValue = r.value("excludeTools");
  const excludeTools = excludeValue ? parseToolNames(excludeValue.name, excludeValue.value) : undefined;
  return { toolsets, tools, excludeTools };
}

/** The reporting snapshots' directory, absolute. */
function readDataDir(r: SettingsReader): string | undefined {
  const dataDirValue = r.value("dataDir");
  if (!dataDirValue) return undefined;
  return isAbsolute(dataDirValue.value) ? dataDirValue.value : resolve(dataDirValue.value);
}

/** Confirmation of destructive tools: mode, the tokens' signing secret (random unless shared), TTL, binding. */
function readConfirmation(r: SettingsReader): ConfirmationConfig {
  let mode: ConfirmationConfig["mode"] = "required";
  if (r.flag.confirmation !== undefined) mode = "disabled";
  else {
    const c = r.envValue("confirmation");
    if (c !== undefined) {
      const v = c.toLowerCase();
      if (v !== "required" && v !== "disabled") {
        throw new ConfigError(`MCP_CONFIRMATION must be "required" or "disabled" (got ${JSON.stringify(c)})`);
      }
      mode = v;
    }
  }
  if (mode === "disabled") r.warnings.push("confirmation of destructive tools is disabled");
  const confirmationSecretEnv = r.secret("confirmationSecret");
  if (confirmationSecretEnv !== undefined && confirmationSecretEnv.length < MIN_CONFIRMATION_SECRET_LENGTH) {
    throw new TooShortError("MCP_CONFIRMATION_SECRET", MIN_CONFIRMATION_SECRET_LENGTH);
  }
  return {
    mode,
    secret: confirmationSecretEnv ?? randomBytes(32).toString("base64url"),
    secretFromEnv: confirmationSecretEnv !== undefined,
    ttlMs: r.int("confirmationTtlMs", 1_000, 24 * 3_600_000),
    binding: confirmationBinding(r.envValue("confirmationBinding")),
  };
}

/** --http or MCP_TRANSPORT: "stdio" (default) or "http". */
function readTransport(r: SettingsReader): Config["transport"] {
  if (r.flag.http !== undefined) return "http";
  const t = r.envValue("http");
  if (t === undefined) return "stdio";
  const v = t.toLowerCase();
  if (v !== "stdio" && v !== "http") {
    throw new ConfigError(`MCP_TRANSPORT must be "stdio" or "http" (got ${JSON.stringify(t)})`);
  }
  return v;
}

/** MCP_HTTP_TOKEN: comma-separated bearer tokens, each long enough. */
function readHttpTokens(r: SettingsReader): string[] {
  const tokens: string[] = [];
  const tokenRaw = r.env[r.envName("httpToken")];
  if (tokenRaw !== undefined) {
    const name = r.envName("httpToken");
    if (tokenRaw.trim() === "")
      throw new ConfigError(`${name} is set but empty; set it to a token, or unset it`);
    for (const part of tokenRaw.split(",")) {
      const token = checkSecret(name, part);
      if (token.length < MIN_HTTP_TOKEN_LENGTH) throw new TooShortError(name, MIN_HTTP_TOKEN_LENGTH);
      tokens.push(token);
    }
  }
  return tokens;
}

/** The HTTP transport's settings: tokens (plain and hashed in a file), limits, host and port, origins, OAuth. */
function readHttp(r: SettingsReader, profiles: Profiles): HttpConfig {
  const tokens = readHttpTokens(r);
  const fileSetting = r.value("httpTokensFile");
  const tokensFile = fileSetting
    ? {
        setting: fileSetting.name,
        path: fileSetting.value,
        profiles: [DEFAULT_PROFILE, ...Object.keys(profiles)],
      }
    : undefined;
  const hashedTokens = tokensFile ? loadTokensFile(tokensFile) : [];
  if (tokens.length > 0 && hashedTokens.length > 0) {
    r.warnings.push(
      "MCP_HTTP_TOKEN is set besides MCP_HTTP_TOKENS_FILE: its tokens have full access on the default profile",
    );
  }
  const rateLimit: RateLimitConfig = {
    perMinute: r.int("rateLimit", 0, 1_000_000) ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
    burst: r.int("rateBurst", 1, 1_000_000) ?? DEFAULT_RATE_BURST,
  };
  const hostValue = r.value("host");
  const host = hostValue ? hostValue.value : "127.0.0.1";
  if (hostValue && !/^(\[?[0-9a-fA-F:.]+\]?|[A-Za-z0-9.-]+)$/.test(host)) {
    throw new ConfigError(`${hostValue.name}: ${JSON.stringify(host)} is not a host name or address`);
  }
  const parsed = <T>(id: SettingId, parse: (name: string, value: string) => T): T | undefined => {
    const v = r.value(id);
    return v ? parse(r.envName(id), v.value) : undefined;
  };
  const http: HttpConfig = {
    host: host.replace(/^\[|\]$/g, ""),
    port: r.int("port", 0, 65_535) ?? DEFAULT_HTTP_PORT,
    tokens,
    hashedTokens,
    tokensFile,
    rateLimit,
    stateless: r.bool("stateless"),
    allowedOrigins: parsed("allowedOrigins", parseOrigins),
    allowedHosts: parsed("allowedHosts", parseHosts),
    maxBodyBytes: r.int("maxBodyBytes", 1_024, 64 * 1024 * 1024) ?? DEFAULT_MAX_BODY_BYTES,
    sessionIdleMs: r.int("sessionIdleMs", 1_000, 7 * 24 * 3_600_000) ?? DEFAULT_SESSION_IDLE_MS,
    maxSessions: r.int("maxSessions", 1, 100_000) ?? DEFAULT_MAX_SESSIONS,
    maxSessionsPerToken: r.int("maxSessionsPerToken", 1, 100_000) ?? DEFAULT_MAX_SESSIONS_PER_TOKEN,
  };
  const oauth = parseOAuth(r.env, [DEFAULT_PROFILE, ...Object.keys(profiles)]);
  if (oauth) http.oauth = oauth;
  return http;
}

/** What the chosen transport needs (HTTP: a way to authenticate) or ignores (stdio: the HTTP flags). */
function checkTransport(
  r: SettingsReader,
  transport: Config["transport"],
  http: HttpConfig,
  confirmation: ConfirmationConfig,
): void {
  if (transport === "http" && http.tokens.length === 0 && !http.hashedTokens?.length && !http.oauth) {
    throw new ConfigError(
      `--http needs MCP_HTTP_TOKEN (or MCP_HTTP_TOKENS_FILE), or OAuth (MCP_OAUTH_ISSUER and MCP_RESOURCE_URL): every /mcp request must carry "Authorization: Bearer <token>"${
        isLoopback(http.host) ? "" : `, and ${http.host} is reachable from other machines`
      }. Generate one, e.g. MCP_HTTP_TOKEN=$(openssl rand -hex 32)`,
    );
  }
  if (transport === "http" && !isLoopback(http.host) && !http.allowedHosts) {
    r.warnings.push(
      `binding ${http.host}: only loopback Host headers are accepted until MCP_ALLOWED_HOSTS lists the names clients use`,
    );
  }
  if (transport === "stdio" && confirmation.binding === "caller") {
    // a stdio server has one client and one session; each new process has its own registry of used tokens
    throw new ConfigError("MCP_CONFIRMATION_BINDING=caller needs --http (stdio has one session per process)");
  }
  if (transport === "stdio") {
    for (const id of ["port", "host", "stateless"] as const) {
      if (r.flag[id] !== undefined) r.warnings.push(`${setting(id).flag} has no effect without --http`);
    }
  }
}

/** --log-level / LOG_LEVEL, default info. */
function readLogLevel(r: SettingsReader): LogLevel {
  const logValue = r.value("logLevel");
  if (!logValue) return "info";
  const v = logValue.value.toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(v)) {
    throw new ConfigError(
      `${logValue.name} must be one of ${LOG_LEVELS.join(", ")} (got ${JSON.stringify(logValue.value)})`,
    );
  }
  return v as LogLevel;
}

/** DATABASE_URL: a postgres:// (or postgresql://) URL; the message never repeats it (it may hold a password). */
function parseDatabaseUrl(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new ConfigError("DATABASE_URL is not a URL (expected postgres://user:password@host:5432/database)");
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new ConfigError(
      `DATABASE_URL must be a postgres:// URL (got one starting ${JSON.stringify(url.protocol)}); PostgreSQL is the only database supported`,
    );
  }
  return v;
}

/** MCP_AUDIT_LOG: a path, "stderr" or "off"; unset: on (stderr) for HTTP, where several clients share a server. */
function parseAudit(
  v: { name: string; value: string } | undefined,
  transport: Config["transport"],
): AuditTarget {
  if (!v) return transport === "http" ? { kind: "stderr" } : { kind: "off" };
  const lower = v.value.toLowerCase();
  if (lower === "off" || lower === "stderr") return { kind: lower };
  if (lower === "stdout") {
    throw new ConfigError(`${v.name}: stdout carries the MCP protocol over stdio; use a file path or stderr`);
  }
  return { kind: "file", path: isAbsolute(v.value) ? v.value : resolve(v.value) };
}

/** MCP_CONFIRMATION_BINDING: "session" (default) or "caller"; whether it fits the transport is checked below. */
function confirmationBinding(value: string | undefined): ConfirmationConfig["binding"] {
  if (value === undefined) return "session";
  const v = value.toLowerCase();
  if (v !== "session" && v !== "caller") {
    throw new ConfigError(
      `MCP_CONFIRMATION_BINDING must be "session" or "caller" (got ${JSON.stringify(value)})`,
    );
  }
  return v;
}

/** MCP_RESULT_TEXT: "readable" (default) or "json". */
function resultText(value: string | undefined): Config["resultText"] {
  if (value === undefined) return "readable";
  const v = value.toLowerCase();
  if (v !== "readable" && v !== "json") {
    throw new ConfigError(`MCP_RESULT_TEXT must be "readable" or "json" (got ${JSON.stringify(value)})`);
  }
  return v;
}
