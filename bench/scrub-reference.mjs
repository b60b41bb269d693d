// The fragment search scrub() used before fix 11 (BENCHMARKS.md): a 12-character slice looked up at every position.
// Kept as the plain statement of the rule: bench/scrub.mjs measures it beside scrubDeep, and
// test/client/redact.test.ts checks scrub() agrees with it on random inputs.
// It takes the fragment length (SECRET_FRAGMENT) as an argument so that it imports nothing: the tests use it
// from src, the benchmark from dist.

/** The algorithm before fix 11. */
export function before(text, secrets, SECRET_FRAGMENT) {
  let out = text;
  for (const s of secrets) if (s.length >= 4 && out.includes(s)) out = out.split(s).join("[REDACTED]");
  if (out.length < SECRET_FRAGMENT) return out;
  const key = secrets.join("\u0000");
  let windows = before.cache.get(key);
  if (!windows) {
    windows = new Set();
    for (const s of secrets) {
      if (s.length <= SECRET_FRAGMENT) continue;
      for (const v of [s, s.toLowerCase(), s.toUpperCase()])
        for (let i = 0; i + SECRET_FRAGMENT <= v.length; i++) windows.add(v.slice(i, i + SECRET_FRAGMENT));
    }
    before.cache.set(key, windows);
  }
  let result = "";
  let copied = 0;
  let coverEnd = -1;
  let start = -1;
  for (let i = 0; i + SECRET_FRAGMENT <= out.length; i++) {
    if (!windows.has(out.slice(i, i + SECRET_FRAGMENT))) continue;
    if (i > coverEnd) {
      if (start >= 0) {
        result += `${out.slice(copied, start)}[REDACTED]`;
        copied = coverEnd;
      }
      start = i;
    }
    coverEnd = i + SECRET_FRAGMENT;
  }
  if (start < 0) return out;
  return `${result}${out.slice(copied, start)}[REDACTED]${out.slice(coverEnd)}`;
}
before.cache = new Map();
export const beforeDeep = (value, secrets, fragment) => {
  if (typeof value === "string") return before(value, secrets, fragment);
  if (Array.isArray(value)) return value.map((v) => beforeDeep(v, secrets, fragment));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, beforeDeep(v, secrets, fragment)]));
  return value;
};
