import { readFileSync } from "node:fs";
import type { Toolset } from "../operations/index.js";
import { ConfigError } from "./errors.js";
import { TOOLSETS } from "./settings.js";
import type { HashedToken, TokenGrant, TokensFileSource } from "./types.js";

/**
 * MCP_HTTP_TOKENS_FILE: named bearer tokens with their own access. The file holds SHA-256 hashes only (see
 * docs/reliability.md for why SHA-256 and not a slow hash): a copy of it lets nobody in. Unknown fields are
 * refused, so a misspelt `read_only` cannot silently grant write access.
 */

const FIELDS = [
  "name",
  "sha256",
  "read_only",
  "toolsets",
  "tools",
  "exclude_tools",
  "profile",
  "rate_limit",
  "max_body_bytes",
  "max_sessions",
] as const;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/i;
const TOOL_NAME = /^[a-z][a-z0-9_]*$/;
const HASH_HINT =
  "the file holds only the SHA-256 of each token (64 hex characters), never the token: pipe the token into `digicert-partner-mcp hash-token` and store what it prints";
const EXAMPLE =
  '{"tokens":[{"name":"support-bot","sha256":"<64 hex>","read_only":true},{"name":"team-a","sha256":"<64 hex>","profile":"team-a","toolsets":["acme"]}]}';

/**
 * Reads and checks the tokens file, including that every profile it names exists. Used at start-up and again on
 * SIGHUP (cli.ts), so a file edited into a bad state is refused the same way both times.
 */
export function loadTokensFile(source: TokensFileSource): HashedToken[] {
  const tokens = readTokensFile(source.setting, source.path);
  for (const t of tokens) {
    if (!source.profiles.includes(t.profile)) {
      throw new ConfigError(
        `${source.setting}: token "${t.name}" uses profile "${t.profile}", which DIGICERT_PROFILES does not define (known: ${source.profiles.join(", ")})`,
      );
    }
  }
  return tokens;
}

export function readTokensFile(envName: string, path: string): HashedToken[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "unreadable";
    throw new ConfigError(`${envName}: cannot read ${path} (${code})`);
  }
  return parseTokensFile(`${envName} (${path})`, text);
}

/**
 * Validates the file's text. Messages name the entry and field, never a value: a token pasted by mistake must not
 * end up on stderr. (Field names are quoted, cut to 40 characters.)
 */
export function parseTokensFile(where: string, text: string): HashedToken[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`${where} is not valid JSON; expected e.g. ${EXAMPLE}`);
  }
  if (!isObject(parsed) || !Array.isArray(parsed.tokens)) {
    throw new ConfigError(`${where} must be a JSON object with a "tokens" array, e.g. ${EXAMPLE}`);
  }
  const extra = Object.keys(parsed).filter((k) => k !== "tokens");
  if (extra.length)
    throw new ConfigError(`${where}: unknown top-level field ${quoteAll(extra)}; only "tokens"`);
  if (parsed.tokens.length === 0)
    throw new ConfigError(`${where}: "tokens" is empty; add at least one token`);
  const out = parsed.tokens.map((entry: unknown, i: number) => parseEntry(`${where}: tokens[${i}]`, entry));
  const names = new Set<string>();
  const hashes = new Set<string>();
  for (const [i, t] of out.entries()) {
    if (names.has(t.name))
      throw new ConfigError(`${where}: tokens[${i}]: the name "${t.name}" is used twice`);
    if (hashes.has(t.sha256)) {
      throw new ConfigError(`${where}: tokens[${i}] ("${t.name}") has the same sha256 as an earlier entry`);
    }
    names.add(t.name);
    hashes.add(t.sha256);
  }
  return out;
}

function parseEntry(where: string, entry: unknown): HashedToken {
  if (!isObject(entry)) throw new ConfigError(`${where} must be an object, e.g. ${EXAMPLE}`);
  const unknown = Object.keys(entry).filter((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown.length) {
    const plain = unknown.some((k) => /token|secret|key|hash|password/i.test(k));
    throw new ConfigError(
      `${where}: unknown field ${quoteAll(unknown)}; known: ${FIELDS.join(", ")}${plain ? `. ${HASH_HINT}` : ""}`,
    );
  }
  const name = entry.name;
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new ConfigError(
      `${where}: "name" must be letters, digits, ".", "_" or "-" (1 to 64), e.g. "support-bot"`,
    );
  }
  const at = `${where} ("${name}")`;
  const sha256 = entry.sha256;
  if (typeof sha256 !== "string" || !SHA256_HEX.test(sha256)) {
    throw new ConfigError(`${at}: "sha256" is missing or not a SHA-256 hex digest; ${HASH_HINT}`);
  }
  return { name, sha256: sha256.toLowerCase(), ...parseGrantFields(at, entry) };
}

/**
 * The access fields of an entry (`read_only`, `toolsets`, `tools`, `exclude_tools`, `profile`, `rate_limit`,
 * `max_body_bytes`), shared with MCP_OAUTH_GRANTS_FILE so both files grant access in the same words.
 */
export function parseGrantFields(at: string, entry: Record<string, unknown>): Omit<TokenGrant, "name"> {
  const token: Omit<TokenGrant, "name"> = {
    readOnly: optionalBool(at, "read_only", entry.read_only) ?? false,
    profile: "default",
  };
  if (entry.profile !== undefined) {
    if (typeof entry.profile !== "string" || entry.profile === "") {
      throw new ConfigError(
        `${at}: "profile" must be the name of a profile in DIGICERT_PROFILES, or "default"`,
      );
    }
    token.profile = entry.profile;
  }
  const toolsets = optionalList(at, "toolsets", entry.toolsets);
  if (toolsets) {
    const bad = toolsets.findIndex((t) => !(TOOLSETS as readonly string[]).includes(t));
    if (bad !== -1)
      throw new ConfigError(`${at}: toolsets[${bad}] is not a toolset; known: ${TOOLSETS.join(", ")}`);
    token.toolsets = toolsets as Toolset[];
  }
  for (const [field, key] of [
    ["tools", "tools"],
    ["exclude_tools", "excludeTools"],
  ] as const) {
    const list = optionalList(at, field, entry[field]);
    if (!list) continue;
    const bad = list.findIndex((t) => !TOOL_NAME.test(t));
    if (bad !== -1) throw new ConfigError(`${at}: ${field}[${bad}] is not a tool name (snake_case)`);
    token[key] = list;
  }
  const rate = optionalInt(at, "rate_limit", entry.rate_limit, 0, 1_000_000);
  if (rate !== undefined) token.rateLimit = rate;
  const body = optionalInt(at, "max_body_bytes", entry.max_body_bytes, 1_024, 64 * 1024 * 1024);
  if (body !== undefined) token.maxBodyBytes = body;
  const sessions = optionalInt(at, "max_sessions", entry.max_sessions, 1, 100_000);
  if (sessions !== undefined) token.maxSessions = sessions;
  return token;
}

function optionalBool(at: string, field: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === "boolean") return value;
  throw new ConfigError(`${at}: "${field}" must be true or false`);
}

function optionalList(at: string, field: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new ConfigError(`${at}: "${field}" must be an array of strings`);
  }
  if (value.length === 0) {
    throw new ConfigError(`${at}: "${field}" is empty (which would offer nothing); remove it or list names`);
  }
  return [...new Set(value as string[])];
}

function optionalInt(
  at: string,
  field: string,
  value: unknown,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${at}: "${field}" must be a whole number from ${min} to ${max}`);
  }
  return value;
}

export function quoteAll(values: readonly string[]): string {
  return values.map((v) => JSON.stringify(v.slice(0, 40))).join(", ");
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The fields of an entry that say what it may do (all but who it is). */
export const GRANT_FIELDS: readonly string[] = FIELDS.filter((f) => f !== "name" && f !== "sha256");
