import { describe, expect, it } from "vitest";
import { compactData } from "../../src/mcp/compact.js";

/** compactData: long nested lists cut with a note naming where; what has nothing to cut is left as it is. */
describe("compactData", () => {
  const sans = Array.from({ length: 12 }, (_, i) => `s${i}.example`);

  it("cuts long nested lists and names the first cut's path and how many others there are", () => {
    const data = {
      accounts: [
        {
          account_id: 1,
          acme: [
            { id: 1, sans },
            { id: 2, sans: ["a.example"] },
          ],
        },
        { account_id: 2, acme: Array.from({ length: 60 }, (_, i) => ({ id: i, sans: sans.slice(0, 11) })) },
      ],
    };
    const before = JSON.stringify(data);
    const { data: out, notes } = compactData(undefined, data, {});
    expect(JSON.stringify(data)).toBe(before);
    const accounts = (out as typeof data).accounts;
    expect(accounts[0]?.acme[0]?.sans).toHaveLength(10);
    expect(accounts[0]?.acme[1]?.sans).toEqual(["a.example"]);
    // 60 records nested two levels down: 50 kept, each one's 11 SANs cut to 10
    expect(accounts[1]?.acme).toHaveLength(50);
    expect(notes).toEqual([
      "Shortened: accounts[0].acme[0].sans shows 10 of 12 and 51 other list(s); get_acme_contract, list_acme_credentials or list_acme_certificates show one contract's full lists.",
    ]);
  });

  it("a list at the top: its path starts with the index", () => {
    const { notes } = compactData(undefined, [{ id: 1, nested: [{ sans }] }], {});
    expect(notes[0]).toMatch(/^Shortened: \[0\]\.nested\[0\]\.sans shows 10 of 12;/);
  });

  it("returns what has nothing to cut as it is, and copies only the way to a cut", () => {
    const clean = { id: 1, sans: ["a.example"], org: { name: "Example" }, list: [{ a: 1 }] };
    expect(compactData(undefined, clean, {})).toEqual({ data: clean, notes: [] });
    expect(compactData(undefined, clean, {}).data).toBe(clean);
    const mixed = { keep: { name: "x" }, cut: { inner: [{ sans }] } };
    const out = compactData(undefined, mixed, {}).data as typeof mixed;
    expect(out).not.toBe(mixed);
    expect(out.keep).toBe(mixed.keep);
    expect(out.cut.inner[0]?.sans).toHaveLength(10);
    expect(mixed.cut.inner[0]?.sans).toHaveLength(12);
  });
});
