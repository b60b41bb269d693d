import { readFileSync } from "node:fs";
import { ConfigError } from "./errors.js";
import { checkSecret, plain } from "./secrets.js";
import { OAUTH_DEFAULT_ALGORITHMS } from "./settings.js";
import { GRANT_FIELDS, isObject, parseGrantFields, quoteAll } from "./tokens-file.js";
import type { Env, OAuthConfig, OAuthGrantRule } from "./types.js";
import { isLoopback, parseList } from "./values.js";

/**
 * OAuth resource-server mode, from the environment only (a client secret may be among it). Both
 * MCP_OAUTH_ISSUER and MCP_RESOURCE_URL turn it on; one without the other is a mistake, not "off".
 */

/** Asymmetric JWS algorithms: an HS* key is shared with the issuer, and `none` is no signature at all. */
const ALLOWED_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
];
const RULE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const EXAMPLE =
  '{"grants":[{"name":"team-a","when":{"claim":"groups","value":"team-a"},"profile":"team-a","toolsets":["acme"]},{"name":"everyone","read_only":true}]}';

export function parseOAuth(env: Env, profiles: readonly string[]): OAuthConfig | undefined {
  const issuerRaw = plain("MCP_OAUTH_ISSUER", env.MCP_OAUTH_ISSUER);
  const resourceRaw = plain("MCP_RESOURCE_URL", env.MCP_RESOURCE_URL);
  if (issuerRaw === undefined && resourceRaw === undefined) return undefined;
  if (issuerRaw === undefined || resourceRaw === undefined) {
    throw new ConfigError(
      "MCP_OAUTH_ISSUER and MCP_RESOURCE_URL go together: the issuer says whose tokens count, the resource URL is the audience they must name. Set both, or neither",
    );
  }
  // kept as given: it is compared as a string with the `iss` of metadata and tokens (RFC 8414 §3.3)
  secureUrl("MCP_OAUTH_ISSUER", issuerRaw);
  const config: OAuthConfig = {
    issuer: issuerRaw,
    resource: parseResource(resourceRaw),
    algorithms: parseAlgorithms(plain("MCP_OAUTH_ALGORITHMS", env.MCP_OAUTH_ALGORITHMS)),
  };
  const audiences = parseAudiences(plain("MCP_OAUTH_AUDIENCE", env.MCP_OAUTH_AUDIENCE), config.resource);
  if (audiences) config.audiences = audiences;
  const introspection = parseIntrospection(env);
  if (introspection) config.introspection = introspection;
  const grantsFile = plain("MCP_OAUTH_GRANTS_FILE", env.MCP_OAUTH_GRANTS_FILE);
  if (grantsFile !== undefined) config.grants = readGrantsFile(grantsFile, profiles);
  return config;
}

function secureUrl(name: string, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL (got ${JSON.stringify(raw)})`);
  }
  if (url.username || url.password) throw new ConfigError(`${name} must not contain credentials`);
  if (url.search || url.hash) throw new ConfigError(`${name} must not have a query or fragment`);
  // OAuth 2.1 requires TLS; plain http only to this machine (tests, a local authorization server)
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
    throw new ConfigError(`${name} must be an https URL (http only on loopback)`);
  }
  return url;
}

function parseResource(raw: string): string {
  const url = secureUrl("MCP_RESOURCE_URL", raw);
  // RFC 8707 §2: the canonical URI, lower-case scheme and host, no fragment; a trailing slash is not added
  return `${url.protocol}//${url.host}${url.pathname === "/" && !raw.endsWith("/") ? "" : url.pathname}`;
}

/**
 * Exact strings, compared as they are with `aud` (a GUID, `api://…`, an https URI): no empty item, and no `*`,
 * which would look like a wildcard and is none.
 */
function parseAudiences(raw: string | undefined, resource: string): string[] | undefined {
  if (raw === undefined) return undefined;
  const items = raw.split(",").map((s) => s.trim());
  if (items.some((a) => a === "")) {
    throw new ConfigError(
      "MCP_OAUTH_AUDIENCE: an empty value; give exact audiences separated by commas, e.g. 00000000-0000-0000-0000-000000000000,api://digicert-mcp",
    );
  }
  if (items.some((a) => a.includes("*"))) {
    throw new ConfigError(
      "MCP_OAUTH_AUDIENCE: wildcards are not supported; list each accepted audience exactly",
    );
  }
  if (items.some((a) => /\s/.test(a)))
    throw new ConfigError("MCP_OAUTH_AUDIENCE: a value contains whitespace");
  const extra = [...new Set(items)].filter((a) => a !== resource);
  return extra.length ? extra : undefined;
}

function parseAlgorithms(raw: string | undefined): string[] {
  if (raw === undefined) return [...OAUTH_DEFAULT_ALGORITHMS];
  const list = parseList(raw);
  const bad = list.filter((a) => !ALLOWED_ALGORITHMS.includes(a));
  if (list.length === 0 || bad.length > 0) {
    throw new ConfigError(
      `MCP_OAUTH_ALGORITHMS: ${bad.length ? `${quoteAll(bad)} not accepted` : "empty"}; choose from ${ALLOWED_ALGORITHMS.join(", ")} (asymmetric only)`,
    );
  }
  return [...new Set(list)];
}

function parseIntrospection(env: Env): OAuthConfig["introspection"] {
  const url = plain("MCP_OAUTH_INTROSPECTION_URL", env.MCP_OAUTH_INTROSPECTION_URL);
  const clientId = plain("MCP_OAUTH_CLIENT_ID", env.MCP_OAUTH_CLIENT_ID);
  const secretRaw = env.MCP_OAUTH_CLIENT_SECRET;
  if (url === undefined) {
    if (clientId !== undefined || secretRaw !== undefined) {
      throw new ConfigError(
        "MCP_OAUTH_CLIENT_ID / MCP_OAUTH_CLIENT_SECRET are only used for introspection: set MCP_OAUTH_INTROSPECTION_URL too, or unset them",
      );
    }
    return undefined;
  }
  secureUrl("MCP_OAUTH_INTROSPECTION_URL", url);
  if (clientId === undefined || secretRaw === undefined) {
    throw new ConfigError(
      "MCP_OAUTH_INTROSPECTION_URL needs MCP_OAUTH_CLIENT_ID and MCP_OAUTH_CLIENT_SECRET (this server's client at the authorization server)",
    );
  }
  return { url, clientId, clientSecret: checkSecret("MCP_OAUTH_CLIENT_SECRET", secretRaw) };
}

export function readGrantsFile(path: string, profiles: readonly string[]): OAuthGrantRule[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "unreadable";
    throw new ConfigError(`MCP_OAUTH_GRANTS_FILE: cannot read ${path} (${code})`);
  }
  return parseGrantsFile(`MCP_OAUTH_GRANTS_FILE (${path})`, text, profiles);
}

/** Validates the grants file; like the tokens file, unknown fields are refused and messages quote no values. */
export function parseGrantsFile(where: string, text: string, profiles: readonly string[]): OAuthGrantRule[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`${where} is not valid JSON; expected e.g. ${EXAMPLE}`);
  }
  if (!isObject(parsed) || !Array.isArray(parsed.grants) || Object.keys(parsed).length !== 1) {
    throw new ConfigError(`${where} must be a JSON object with only a "grants" array, e.g. ${EXAMPLE}`);
  }
  if (parsed.grants.length === 0) throw new ConfigError(`${where}: "grants" is empty`);
  const rules = parsed.grants.map((entry: unknown, i: number) => parseRule(`${where}: grants[${i}]`, entry));
  const names = new Set<string>();
  for (const rule of rules) {
    if (names.has(rule.name)) throw new ConfigError(`${where}: the name "${rule.name}" is used twice`);
    names.add(rule.name);
    if (!profiles.includes(rule.profile)) {
      throw new ConfigError(
        `${where}: grant "${rule.name}" uses profile "${rule.profile}", which DIGICERT_PROFILES does not define (known: ${profiles.join(", ")})`,
      );
    }
  }
  return rules;
}

function parseRule(where: string, entry: unknown): OAuthGrantRule {
  if (!isObject(entry)) throw new ConfigError(`${where} must be an object, e.g. ${EXAMPLE}`);
  const known = ["name", "when", ...GRANT_FIELDS];
  const unknown = Object.keys(entry).filter((k) => !known.includes(k));
  if (unknown.length) {
    throw new ConfigError(`${where}: unknown field ${quoteAll(unknown)}; known: ${known.join(", ")}`);
  }
  if (typeof entry.name !== "string" || !RULE_NAME.test(entry.name)) {
    throw new ConfigError(`${where}: "name" must be letters, digits, ".", "_" or "-" (1 to 64)`);
  }
  const at = `${where} ("${entry.name}")`;
  const rule: OAuthGrantRule = { name: entry.name, ...parseGrantFields(at, entry) };
  if (entry.when !== undefined) rule.when = parseWhen(at, entry.when);
  return rule;
}

function parseWhen(at: string, when: unknown): NonNullable<OAuthGrantRule["when"]> {
  const text = (v: unknown) => typeof v === "string" && v !== "";
  if (isObject(when) && Object.keys(when).length === 1 && text(when.scope)) {
    return { scope: when.scope as string };
  }
  if (isObject(when) && Object.keys(when).length === 2 && text(when.claim) && text(when.value)) {
    return { claim: when.claim as string, value: when.value as string };
  }
  throw new ConfigError(
    `${at}: "when" must be {"scope":"<scope>"} or {"claim":"<claim name>","value":"<value>"}`,
  );
}
