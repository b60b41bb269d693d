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
    if (secret.length > SECRET_FRAGMENT && out.length >= SECRET_FRAGMENT) out = scrubFragments(out, secret);
  }
  return out;
}

/** Replaces each stretch of `text` made of windows that also occur in `secret` (as is, lower or upper case). */
function scrubFragments(text: string, secret: string): string {
  const windows = new Set<string>();
  for (const variant of [secret, secret.toLowerCase(), secret.toUpperCase()]) {
    for (let i = 0; i + SECRET_FRAGMENT <= variant.length; i++) windows.add(variant.slice(i, i + SECRET_FRAGMENT));
  }
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
