import { ConfigError } from "./errors.js";
import { SETTINGS } from "./settings.js";
import type { Env } from "./types.js";

/** Checks on secret values and on values that look like secrets where none belong (argv). */

/** Flag names that look like they carry a secret. Such values must come from the environment. */
export const SECRET_FLAG = /key|token|secret|passw|credential|auth/i;

export function secretFlagMessage(flag: string): string {
  const envs = SETTINGS.filter((s) => s.secret && s.env)
    .map((s) => s.env)
    .join(", ");
  return (
    `${flag}: secrets are not accepted on the command line, because the command line is visible to other ` +
    `local users (ps, /proc) and kept in shell history. Set them in the environment instead: ${envs}.`
  );
}

/** Values a launcher left unexpanded, or a documentation example pasted as is. */
export const PLACEHOLDERS: readonly RegExp[] = [
  /\$\{[^}]*\}?/, // ${user_config.api_key}, ${VAR}
  /^__encrypted__:/i, // Claude Desktop's stored-secret marker, not decrypted
  /^<[^>]*>$/, // <your key>
  /\{\{[^}]*\}\}/, // {{ api_key }}
  /^\$[A-Za-z_][A-Za-z0-9_]*$/, // $DIGICERT_PARTNER_API_KEY
  /^%[A-Za-z_][A-Za-z0-9_]*%$/, // %DIGICERT_PARTNER_API_KEY%
  /^(your|my)[-_ ]?(partner[-_ ]?)?(api[-_ ]?)?(key|token|secret)([-_ ]?here)?$/i,
  /^(changeme|change[-_]me|replace[-_]?me|todo|xxx+|\*{3,}|undefined|null)$/i,
];

export function looksLikePlaceholder(value: string): boolean {
  return PLACEHOLDERS.some((re) => re.test(value));
}

/** Checks one secret value (never echoed in the message). Returns it trimmed. */
export function checkSecret(name: string, raw: string): string {
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
export function plain(name: string, raw: string | undefined): string | undefined {
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

/**
 * An MCP Bundle host passes every mapped setting, also those the user left blank: as "" (when the manifest
 * declares a default of "") or as the literal `${user_config.name}` (hosts that do not substitute blanks).
 * Under --mcpb these count as unset; anything else (e.g. "__encrypted__:…", a secret the host failed to
 * decrypt) is still refused.
 */
export function withoutHostBlanks(env: Env): Env {
  const ours = new Set(SETTINGS.map((s) => s.env).filter(Boolean));
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) {
    const blank = value !== undefined && /^\s*(\$\{user_config\.[A-Za-z0-9_]+\})?\s*$/.test(value);
    if (!(ours.has(name) && blank)) out[name] = value;
  }
  return out;
}
