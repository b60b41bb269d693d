import { ConfigError } from "./errors.js";
import { checkSecret, looksLikePlaceholder } from "./secrets.js";

/** Parsers of single setting values; each throws ConfigError naming the setting, never echoing a secret. */

export function parseBool(name: string, value: string): boolean {
  const v = value.toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off"].includes(v)) return false;
  throw new ConfigError(`${name} must be true or false (got ${JSON.stringify(value)})`);
}

export function parseInteger(name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value))
    throw new ConfigError(`${name} must be a whole number (got ${JSON.stringify(value)})`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be between ${min} and ${max} (got ${value})`);
  }
  return n;
}

export function parseList(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

const TOOL_NAME = /^[a-z][a-z0-9_]*$/;

export function parseToolNames(name: string, value: string): string[] {
  const list = parseList(value);
  for (const tool of list) {
    if (!TOOL_NAME.test(tool))
      throw new ConfigError(`${name}: ${JSON.stringify(tool)} is not a tool name (snake_case)`);
  }
  return [...new Set(list)];
}

export function parseSubaccountKeys(name: string, raw: string): Record<string, string> {
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

export function parseBaseUrl(name: string, value: string, warnings: string[]): string {
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

export function parseOrigins(name: string, value: string): string[] {
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

export function parseHosts(name: string, value: string): string[] {
  return parseList(value).map((h) => {
    const host = h.toLowerCase();
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/.test(host)) {
      throw new ConfigError(`${name}: ${JSON.stringify(h)} is not a host[:port]`);
    }
    return host;
  });
}
