/**
 * Runs of at least this many characters copied from a secret are treated as the secret: an echo cut short
 * ("…" after 80 characters) or lower-cased (DNS normalisation) would otherwise slip past an exact match.
 */
export const SECRET_FRAGMENT = 12;

/** Replaces every occurrence of a configured secret in a text, so an echoing upstream cannot leak it. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    if (out.includes(secret)) out = out.split(secret).join("[REDACTED]");
  }
  if (out.length >= SECRET_FRAGMENT) {
    const windows = fragmentWindows(secrets);
    if (windows.size > 0) out = scrubFragments(out, windows);
  }
  return out;
}

/**
 * Every SECRET_FRAGMENT-long window of each longer secret (as is, lower and upper case), built once per list of
 * secrets rather than for every string scrubbed: tool results are scrubbed string by string on every call.
 * Keyed by content, so a list changed in place is not served stale windows; a handful of lists exist.
 */
const windowsByList = new Map<string, Set<string>>();
function fragmentWindows(secrets: readonly string[]): Set<string> {
  const key = secrets.join("\u0000");
  let windows = windowsByList.get(key);
  if (windows) return windows;
  windows = new Set<string>();
  for (const secret of secrets) {
    if (secret.length <= SECRET_FRAGMENT) continue;
    for (const variant of [secret, secret.toLowerCase(), secret.toUpperCase()]) {
      for (let i = 0; i + SECRET_FRAGMENT <= variant.length; i++)
        windows.add(variant.slice(i, i + SECRET_FRAGMENT));
    }
  }
  if (windowsByList.size >= 64) windowsByList.clear();
  windowsByList.set(key, windows);
  return windows;
}

/** Replaces each stretch of `text` made of windows of the secrets. */
function scrubFragments(text: string, windows: ReadonlySet<string>): string {
  let out = "";
  let copied = 0;
  let coverEnd = -1;
  let start = -1;
  for (let i = 0; i + SECRET_FRAGMENT <= text.length; i++) {
    if (!windows.has(text.slice(i, i + SECRET_FRAGMENT))) continue;
    if (i > coverEnd) {
      if (start >= 0) {
        out += `${text.slice(copied, start)}[REDACTED]`;
        copied = coverEnd;
      }
      start = i;
    }
    coverEnd = i + SECRET_FRAGMENT;
  }
  if (start < 0) return text;
  return `${out}${text.slice(copied, start)}[REDACTED]${text.slice(coverEnd)}`;
}

/** Deep copy of a JSON-like value with secrets scrubbed from every string. */
export function scrubDeep<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  if (typeof value === "string") return scrub(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, secrets)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = scrubDeep(v, secrets);
    return out as T;
  }
  return value;
}
