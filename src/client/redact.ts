/**
 * Runs of at least this many characters copied from a secret are treated as the secret: an echo cut short
 * ("…" after 80 characters) or lower-cased (DNS normalisation) would otherwise slip past an exact match.
 */
export const SECRET_FRAGMENT = 12;

/** Replaces every occurrence of a configured secret in a text, so an echoing upstream cannot leak it. */
export function scrub(text: string, secrets: readonly string[]): string {
  return scrubWith(text, secrets, fragmentsOf(secrets));
}

function scrubWith(text: string, secrets: readonly string[], fragments: Fragments): string {
  // The usual case, a string holding nothing, in one pass: a secret longer than SECRET_FRAGMENT holds its own
  // windows, so where no window of any is found none of them occurs, and only the short ones are looked for
  // (an includes() per secret on every string was most of what scrubbing a clean result cost). Anything found
  // goes the whole way below, so the answer is the same.
  if (text.length < SECRET_FRAGMENT || !anyWindow(text, fragments)) {
    let found = false;
    for (const secret of fragments.short) found ||= text.includes(secret);
    if (!found) return text;
  }
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    if (out.includes(secret)) out = out.split(secret).join("[REDACTED]");
  }
  if (out.length >= SECRET_FRAGMENT && fragments.windows.size > 0) out = scrubFragments(out, fragments);
  return out;
}

/**
 * Every SECRET_FRAGMENT-long window of each longer secret (as is, lower and upper case), and a rolling hash of
 * each, so a text is searched in one pass of arithmetic: looking up a 12-character slice at every position was
 * most of the per-result cost of scrubbing (BENCHMARKS.md, fix 11). The hashes are bits in a table indexed by the
 * hash's low bits (an array read per character; a Set lookup per character was most of what was left, fix 16.1).
 * A hit is confirmed on the window itself, so a collision costs a lookup, never a wrong redaction.
 */
interface Fragments {
  windows: ReadonlySet<string>;
  bits: Uint32Array;
  /** the secrets matched only exactly: 4 to SECRET_FRAGMENT characters (no windows) */
  short: readonly string[];
}

/** 2 ** 18 bits (32 KiB): with ~1,300 windows (11 secrets) about 0.5 % of positions need the confirming lookup */
const BITS_MASK = (1 << 18) - 1;
const hasBit = (bits: Uint32Array, h: number): boolean =>
  ((bits[(h & BITS_MASK) >>> 5] as number) & (1 << (h & 31))) !== 0;

const HASH_BASE = 0x01000193;
/** HASH_BASE ** (SECRET_FRAGMENT - 1), modulo 2 ** 32: what the leaving character weighs in a window's hash */
const HASH_LEAD = (() => {
  let p = 1;
  for (let i = 1; i < SECRET_FRAGMENT; i++) p = Math.imul(p, HASH_BASE);
  return p;
})();

function windowHash(text: string, start: number): number {
  let h = 0;
  for (let j = start; j < start + SECRET_FRAGMENT; j++)
    h = (Math.imul(h, HASH_BASE) + text.charCodeAt(j)) | 0;
  return h;
}

/**
 * Built once per list of secrets, not per string: tool results are scrubbed string by string on every call. The
 * same array is found by identity, then checked element by element, so a list changed in place is not served
 * stale windows.
 */
const fragmentsByList = new WeakMap<readonly string[], { secrets: string[]; fragments: Fragments }>();
function fragmentsOf(secrets: readonly string[]): Fragments {
  const cached = fragmentsByList.get(secrets);
  if (
    cached &&
    cached.secrets.length === secrets.length &&
    cached.secrets.every((s, i) => s === secrets[i])
  ) {
    return cached.fragments;
  }
  const windows = new Set<string>();
  const bits = new Uint32Array((BITS_MASK + 1) >>> 5);
  for (const secret of secrets) {
    if (secret.length <= SECRET_FRAGMENT) continue;
    for (const variant of [secret, secret.toLowerCase(), secret.toUpperCase()]) {
      for (let i = 0; i + SECRET_FRAGMENT <= variant.length; i++) {
        windows.add(variant.slice(i, i + SECRET_FRAGMENT));
        const h = windowHash(variant, i) & BITS_MASK;
        bits[h >>> 5] = (bits[h >>> 5] as number) | (1 << (h & 31));
      }
    }
  }
  const short = secrets.filter((s) => s.length >= 4 && s.length <= SECRET_FRAGMENT);
  const fragments = { windows, bits, short };
  fragmentsByList.set(secrets, { secrets: [...secrets], fragments });
  return fragments;
}

/** Whether any SECRET_FRAGMENT-long window of `text` (at least that long) is one of the secrets'. */
function anyWindow(text: string, { windows, bits }: Fragments): boolean {
  if (windows.size === 0) return false;
  let h = windowHash(text, 0);
  for (let i = 0; ; i++) {
    if (hasBit(bits, h) && windows.has(text.slice(i, i + SECRET_FRAGMENT))) return true;
    if (i + SECRET_FRAGMENT >= text.length) return false;
    h =
      (Math.imul(h - Math.imul(text.charCodeAt(i), HASH_LEAD), HASH_BASE) +
        text.charCodeAt(i + SECRET_FRAGMENT)) |
      0;
  }
}

/** Replaces each stretch of `text` made of windows of the secrets. */
function scrubFragments(text: string, { windows, bits }: Fragments): string {
  let out = "";
  let copied = 0;
  let coverEnd = -1;
  let start = -1;
  let h = windowHash(text, 0);
  for (let i = 0; ; i++) {
    if (hasBit(bits, h) && windows.has(text.slice(i, i + SECRET_FRAGMENT))) {
      if (i > coverEnd) {
        if (start >= 0) {
          out += `${text.slice(copied, start)}[REDACTED]`;
          copied = coverEnd;
        }
        start = i;
      }
      coverEnd = i + SECRET_FRAGMENT;
    }
    if (i + SECRET_FRAGMENT >= text.length) break;
    // slide the window one character: drop text[i], add text[i + SECRET_FRAGMENT]
    h =
      (Math.imul(h - Math.imul(text.charCodeAt(i), HASH_LEAD), HASH_BASE) +
        text.charCodeAt(i + SECRET_FRAGMENT)) |
      0;
  }
  if (start < 0) return text;
  return `${out}${text.slice(copied, start)}[REDACTED]${text.slice(coverEnd)}`;
}

/**
 * A JSON-like value with secrets scrubbed from every string (the fragments looked up once). Arrays and plain
 * objects holding no secret are returned as they are, not copied: every tool result is scrubbed, and copying
 * every record of it was most of what scrubbing a clean result cost (fix 16.4). Any other object (an Error, a
 * class instance) is still copied to a plain object of its own enumerable fields, as before.
 */
export function scrubDeep<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const fragments = fragmentsOf(secrets);
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return scrubWith(v, secrets, fragments);
    if (Array.isArray(v)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const clean = walk(v[i]);
        if (clean !== v[i]) {
          out ??= v.slice();
          out[i] = clean;
        }
      }
      return out ?? v;
    }
    if (v && typeof v === "object") {
      const proto = Object.getPrototypeOf(v);
      const plain = proto === Object.prototype || proto === null;
      let out: Record<string, unknown> | undefined = plain ? undefined : {};
      for (const [k, member] of Object.entries(v)) {
        const clean = walk(member);
        if (out) out[k] = clean;
        else if (clean !== member) {
          out = { ...(v as Record<string, unknown>) };
          out[k] = clean;
        }
      }
      return out ?? v;
    }
    return v;
  };
  return walk(value) as T;
}
