import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { before } from "../../bench/scrub-reference.mjs";
import { SECRET_FRAGMENT, scrub, scrubDeep } from "../../src/client/redact.js";

/**
 * The rule scrub() implements, written the plain way (the search before fix 11, a window lookup at every position):
 * every stretch covered by SECRET_FRAGMENT-long windows of a secret (as is, lower or upper case) is replaced,
 * after exact occurrences. The fast version must agree with it on every input.
 */
const reference = (text: string, secrets: readonly string[]) => before(text, secrets, SECRET_FRAGMENT);

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

  it("scrubDeep copies only what held a secret, never changes its input, and still copies other objects", () => {
    const clean = { id: 1, sans: ["a.example"], org: { name: "Example" } };
    const result = { content: [{ type: "text", text: `a ${KEY}` }], structuredContent: { data: clean } };
    const before = JSON.stringify(result);
    const out = scrubDeep(result, [KEY]);
    expect(JSON.stringify(result)).toBe(before);
    expect(out).not.toBe(result);
    expect(out.content).not.toBe(result.content);
    expect(out.content[0]?.text).toBe("a [REDACTED]");
    // nothing to scrub below here: the same objects
    expect(out.structuredContent).toBe(result.structuredContent);
    expect(out.structuredContent.data.sans).toBe(clean.sans);
    // an Error (its message and stack are not enumerable) is copied to its enumerable fields, as before
    const err = Object.assign(new Error(`boom ${KEY}`), { code: "E_X" });
    const copied = scrubDeep({ err }, [KEY]).err as unknown;
    expect(copied).not.toBe(err);
    expect(copied).toEqual({ code: "E_X" });
  });
});
