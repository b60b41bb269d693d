import type { Credentials } from "../client/credentials.js";
import { ConfigError } from "./errors.js";
import { checkSecret, looksLikePlaceholder } from "./secrets.js";
import type { Env } from "./types.js";
import { parseSubaccountKeys } from "./values.js";

/**
 * DIGICERT_PROFILES: named sets of DigiCert keys for HTTP tokens. The JSON names the environment variables that
 * hold the keys, never the keys, so secrets stay out of files, argv and the JSON itself (which operators paste
 * into tickets), and each team's keys can come from its own secret store entry.
 */

export const DEFAULT_PROFILE = "default";

const PROFILE_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FIELDS = ["parent_key_env", "subaccount_key_env", "subaccount_keys_env", "devkey_env"] as const;
type Field = (typeof FIELDS)[number];

const SHAPE =
  'e.g. {"team-a":{"subaccount_keys_env":"TEAM_A_SUBACCOUNT_KEYS"},"billing":{"parent_key_env":"BILLING_PARENT_KEY","devkey_env":"BILLING_DEVKEY"}}';

export function isProfileName(name: string): boolean {
  return PROFILE_NAME.test(name);
}

/** Parses DIGICERT_PROFILES and reads each profile's keys from the variables it names. */
export function parseProfiles(name: string, raw: string, env: Env): Record<string, Credentials> {
  const text = raw.trim();
  if (text === "") throw new ConfigError(`${name} is set but empty; set it to a JSON object, or unset it`);
  if (looksLikePlaceholder(text) && !text.startsWith("{")) {
    throw new ConfigError(`${name} looks like an unexpanded placeholder, not a JSON object`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`${name} is not valid JSON: ${SHAPE}`);
  }
  if (!isObject(parsed))
    throw new ConfigError(`${name} must be a JSON object of profile name to keys: ${SHAPE}`);
  const out: Record<string, Credentials> = {};
  for (const [profile, spec] of Object.entries(parsed)) {
    const where = `${name}: profile ${JSON.stringify(profile.slice(0, 64))}`;
    if (profile === DEFAULT_PROFILE) {
      throw new ConfigError(
        `${where} is reserved for the keys of DIGICERT_PARTNER_API_KEY, DIGICERT_SUBACCOUNT_API_KEY, DIGICERT_SUBACCOUNT_API_KEYS and DIGICERT_DEVKEY; choose another name`,
      );
    }
    if (!PROFILE_NAME.test(profile)) {
      throw new ConfigError(`${where}: a profile name is lower-case letters, digits, - and _ (at most 64)`);
    }
    if (!isObject(spec)) throw new ConfigError(`${where} must be an object: ${SHAPE}`);
    out[profile] = readProfile(where, spec, env);
  }
  if (Object.keys(out).length === 0)
    throw new ConfigError(`${name} is an empty object; add a profile, or unset it`);
  return out;
}

function readProfile(where: string, spec: Record<string, unknown>, env: Env): Credentials {
  const unknown = Object.keys(spec).filter((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown.length) {
    const keyLike = unknown.some((k) => !k.endsWith("_env"));
    throw new ConfigError(
      `${where}: unknown field ${unknown.map((u) => JSON.stringify(u.slice(0, 40))).join(", ")}; known: ${FIELDS.join(", ")}` +
        (keyLike
          ? ". Each names an environment variable holding the key; the keys themselves never go here"
          : ""),
    );
  }
  const credentials: Credentials = {};
  const variable = (field: Field): { envName: string; value: string } | undefined => {
    const envName = spec[field];
    if (envName === undefined) return undefined;
    if (typeof envName !== "string" || !ENV_NAME.test(envName)) {
      throw new ConfigError(
        `${where}: ${field} must be the name of an environment variable (e.g. TEAM_A_KEY)`,
      );
    }
    const value = env[envName];
    if (value === undefined) throw new ConfigError(`${where}: ${field} names ${envName}, which is not set`);
    return { envName, value };
  };
  const parent = variable("parent_key_env");
  if (parent) credentials.parentKey = checkSecret(parent.envName, parent.value);
  const sub = variable("subaccount_key_env");
  if (sub) credentials.subaccountKey = checkSecret(sub.envName, sub.value);
  const subs = variable("subaccount_keys_env");
  if (subs) credentials.subaccountKeys = parseSubaccountKeys(subs.envName, subs.value);
  const dev = variable("devkey_env");
  if (dev) credentials.devkey = checkSecret(dev.envName, dev.value);
  if (Object.keys(credentials).length === 0) {
    throw new ConfigError(`${where} names no key; set at least one of ${FIELDS.join(", ")}`);
  }
  return credentials;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
