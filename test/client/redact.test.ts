import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SECRET_FRAGMENT, scrub, scrubDeep } from "../../src/client/redact.js";

/**
 * The rule scrub() implements, written the plain way (a window lookup at every position, as before fix 11): every
 * stretch of text covered by SECRET_FRAGMENT-long windows of a secret (as is, lower or upper case) is replaced,
 * after exact occurrences. The fast version must agree with it on every input.
 */
function reference(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4 && out.includes(s)) out = out.split(s).join("[REDACTED]");
  const windows = new Set<string>();
  for (const s of secrets) {
    if (s.length <= SECRET_FRAGMENT) continue;
    for (const v of [s, s.toLowerCase(), s.toUpperCase()])
      for (let i = 0; i + SECRET_FRAGMENT <= v.length; i++) windows.add(v.slice(i, i + SECRET_FRAGMENT));
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

const KEY = "Sandbox-Parent-Key-1000-0123456789abcdefXYZ";
const TOKEN = "http-bearer-token-0123456789abcdef0123";

describe("scrub", () => {
  it("replaces exact keys, echoes cut short, lower- and upper-cased runs; leaves the rest", () => {
    expect(scrub(`key=${KEY};`, [KEY])).toBe("key=[REDACTED];");
    expect(scrub(`echo: ${KEY.slice(0, 20)}…`, [KEY])).toBe("echo: [REDACTED]…");
    expect(scrub(`host ${KEY.slice(5, 30).toLowerCase()}.example.com`, [KEY])).toBe(
      "host [REDACTED].example.com",
    );
    expect(scrub(KEY.slice(3, 3 + SECRET_FRAGMENT).toUpperCase(), [KEY])).toBe("[REDACTED]");
    expect(scrub(`short ${KEY.slice(0, SECRET_FRAGMENT - 1)} stays`, [KEY])).toBe(
      `short ${KEY.slice(0, SECRET_FRAGMENT - 1)} stays`,
    );
    expect(scrub("nothing to see here, at all", [KEY, TOKEN])).toBe("nothing to see here, at all");
  });

  it("agrees with the plain rule on random texts built from pieces of the secrets", () => {
    const secrets = [KEY, TOKEN, "tiny"];
    const piece = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc
        .record({
          s: fc.constantFrom(...secrets),
          from: fc.nat(50),
          len: fc.integer({ min: 1, max: 50 }),
          cased: fc.constantFrom("as is", "lower", "upper"),
        })
        .map(({ s, from, len, cased }) => {
          const cut = s.slice(from % s.length, (from % s.length) + len);
          return cased === "lower" ? cut.toLowerCase() : cased === "upper" ? cut.toUpperCase() : cut;
        }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const text = pieces.join("");
        expect(scrub(text, secrets)).toBe(reference(text, secrets));
      }),
      { numRuns: 3_000 },
    );
  });

  it("a list changed in place is not served the old list's fragments", () => {
    const list = [KEY];
    expect(scrub(TOKEN.slice(0, 20), list)).toBe(TOKEN.slice(0, 20));
    list[0] = TOKEN;
    expect(scrub(TOKEN.slice(0, 20), list)).toBe("[REDACTED]");
  });

  it("scrubDeep reaches every string of a result", () => {
    const result = {
      content: [{ type: "text", text: `a ${KEY} b` }],
      structuredContent: { data: { n: [KEY.slice(2, 40)] } },
    };
    expect(JSON.stringify(scrubDeep(result, [KEY]))).not.toMatch(/Parent-Key|parent-key/i);
  });
});
