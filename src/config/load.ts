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
  const profilesRaw = env[envName("profiles")];
  const profiles = profilesRaw === undefined ? {} : parseProfiles(envName("profiles"), profilesRaw, env);
  // Profiles count as keys: with them set, silently starting the sandbox instead would be a surprise.
  const anyKey = Boolean(
    parentKey || subaccountKey || credentials.subaccountKeys || devkey || Object.keys(profiles).length,
  );

  const base = value("baseUrl");
  const baseUrl = base ? parseBaseUrl(base.name, base.value, warnings) : undefined;
  let sandbox: Config["sandbox"] = false;
  if (bool("sandbox")) {
    if (baseUrl) {
      throw new ConfigError(
        "--sandbox and a base URL (--base-url / DIGICERT_BASE_URL) contradict each other; choose one",
      );
    }
    if (profilesRaw !== undefined) {
      throw new ConfigError(
        "DIGICERT_PROFILES and --sandbox contradict each other: the built-in sandbox has only its demo keys. To try profiles against the sandbox, run `digicert-partner-mcp sandbox` and point DIGICERT_BASE_URL and the profiles' variables at it",
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
    binding: confirmationBinding(envValue("confirmationBinding")),
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
  const fileSetting = value("httpTokensFile");
  const tokensFile = fileSetting
    ? {
        setting: fileSetting.name,
        path: fileSetting.value,
        profiles: [DEFAULT_PROFILE, ...Object.keys(profiles)],
      }
    : undefined;
  const hashedTokens = tokensFile ? loadTokensFile(tokensFile) : [];
  if (tokens.length > 0 && hashedTokens.length > 0) {
    warnings.push(
      "MCP_HTTP_TOKEN is set besides MCP_HTTP_TOKENS_FILE: its tokens have full access on the default profile",
    );
  }
  const rateLimit: RateLimitConfig = {
    perMinute: int("rateLimit", 0, 1_000_000) ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
    burst: int("rateBurst", 1, 1_000_000) ?? DEFAULT_RATE_BURST,
  };
  const hostValue = value("host");
  const host = hostValue ? hostValue.value : "127.0.0.1";
  if (hostValue && !/^(\[?[0-9a-fA-F:.]+\]?|[A-Za-z0-9.-]+)$/.test(host)) {
    throw new ConfigError(`${hostValue.name}: ${JSON.stringify(host)} is not a host name or address`);
  }
  const http: HttpConfig = {
    host: host.replace(/^\[|\]$/g, ""),
    port: int("port", 0, 65_535) ?? DEFAULT_HTTP_PORT,
    tokens,
    hashedTokens,
    tokensFile,
    rateLimit,
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
    maxSessionsPerToken: int("maxSessionsPerToken", 1, 100_000) ?? DEFAULT_MAX_SESSIONS_PER_TOKEN,
  };
  const oauth = parseOAuth(env, [DEFAULT_PROFILE, ...Object.keys(profiles)]);
  if (oauth) http.oauth = oauth;
  if (transport === "http" && tokens.length === 0 && hashedTokens.length === 0 && !oauth) {
    throw new ConfigError(
      `--http needs MCP_HTTP_TOKEN (or MCP_HTTP_TOKENS_FILE), or OAuth (MCP_OAUTH_ISSUER and MCP_RESOURCE_URL): every /mcp request must carry "Authorization: Bearer <token>"${
        isLoopback(http.host) ? "" : `, and ${http.host} is reachable from other machines`
      }. Generate one, e.g. MCP_HTTP_TOKEN=$(openssl rand -hex 32)`,
    );
  }
  if (transport === "http" && !isLoopback(http.host) && !http.allowedHosts) {
    warnings.push(
      `binding ${http.host}: only loopback Host headers are accepted until MCP_ALLOWED_HOSTS lists the names clients use`,
    );
  }
  if (transport === "stdio" && confirmation.binding === "caller") {
    // a stdio server has one client and one session; each new process has its own registry of used tokens
    throw new ConfigError("MCP_CONFIRMATION_BINDING=caller needs --http (stdio has one session per process)");
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

  const audit = parseAudit(value("auditLog"), transport);
  const databaseUrl = parseDatabaseUrl(envValue("databaseUrl"));

  const secrets = [
    parentKey,
    subaccountKey,
    devkey,
    ...Object.values(credentials.subaccountKeys ?? {}),
    ...Object.values(profiles).flatMap(allSecrets),
    ...tokens,
    oauth?.introspection?.clientSecret,
    confirmation.secret,
    databaseUrl,
    databaseUrl && decodeURIComponent(new URL(databaseUrl).password),
  ].filter((s): s is string => typeof s === "string" && s.length > 0);

  return {
    credentials: sandbox === "forced" ? {} : credentials,
    profiles,
    baseUrl,
    sandbox,
    timeouts,
    logLevel,
    resultText: resultText(envValue("resultText")),
    readOnly: bool("readOnly"),
    toolsets,
    tools,
    excludeTools,
    confirmation,
    dataDir,
    transport,
    http,
    audit,
    databaseUrl,
    secrets: [...new Set(secrets)],
    warnings,
  };
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
