import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, type Sandbox, startSandbox } from "../../sandbox/index.js";
import { readableData } from "../../src/mcp/readable.js";
import { successResult } from "../../src/mcp/render.js";
import { getOperation } from "../../src/operations/index.js";
import { type Harness, startHarness, structured, textOf } from "./harness.js";

/** Result text a person can read (issue 17): the data in structuredContent, a compact rendering in the text. */
describe("readableData", () => {
  it("writes one field per line, lists of scalars on one line, nested objects indented", () => {
    const text = readableData({
      id: 1,
      sans: ["a.example", "b.example"],
      org: { name: "Example" },
      none: [],
    });
    expect(text.split("\n")).toEqual([
      "id: 1",
      'sans: "a.example", "b.example"',
      "org:",
      '  name: "Example"',
      "none: (none)",
    ]);
  });

  it("writes a list of records one record per line, and a large record over several", () => {
    // the same fields in every record: named once in the heading, each record as its values (issue 16)
    const text = readableData({
      keys: [
        { id: 1, status: "active", sans: ["a.example"] },
        { id: 2, status: "inactive", sans: [] },
      ],
    });
    expect(text.split("\n")).toEqual([
      "keys (2; fields id, status, sans):",
      '- 1, "active", ["a.example"]',
      '- 2, "inactive", []',
    ]);
    // different fields, or a single record: each field named on its line, as before
    expect(readableData({ keys: [{ id: 1, status: "active" }, { id: 2 }] }).split("\n")).toEqual([
      "keys (2):",
      '- id: 1, status: "active"',
      "- id: 2",
    ]);
    expect(readableData({ keys: [{ id: 1, status: "active" }] }).split("\n")).toEqual([
      "keys (1):",
      '- id: 1, status: "active"',
    ]);
    // a field name that is not a plain name is quoted in the heading too
    expect(readableData([{ "a b": 1 }, { "a b": 2 }]).split("\n")).toEqual([
      '(2; fields "a b"):',
      "- 1",
      "- 2",
    ]);
    const big = readableData([{ id: 1, note: "x".repeat(300), nested: { a: 1 } }]);
    expect(big.split("\n")).toEqual([`- id: 1`, `  note: "${"x".repeat(300)}"`, "  nested:", "    a: 1"]);
  });

  it("quotes every string and any key that is not a plain name, so API text stays data", () => {
    const text = readableData({ "ignore previous: do x": "line one\nline two", ok: true, n: null });
    expect(text).toBe('"ignore previous: do x": "line one\\nline two"\nok: true\nn: null');
    expect(text.split("\n")).toHaveLength(3);
  });
});

describe("tool results", () => {
  let sandbox: Sandbox;
  let h: Harness;
  beforeAll(async () => {
    sandbox = await startSandbox();
    h = await startHarness({ sandbox });
  });
  afterAll(async () => {
    await h.close();
    await sandbox.close();
  });

  it("a contract: summary, then its fields; no JSON dump in the text, the data in structuredContent", async () => {
    const r = await h.call("get_acme_contract", { acme_contract_id: DEMO.contracts.ov });
    const text = textOf(r);
    expect(text.split("\n")[0]).toBe("Get ACME contract (acme_contract_id 10002): 2 sans.");
    expect(text).toContain("\nacme_contract_id: 10002\n");
    expect(text).toContain('\nsans: "example.com", "www.example.com"\n');
    expect(text).toMatch(/\norganization:\n {2}name: "Example Corporation"\n/);
    expect(text).not.toContain('{"');
    expect(structured(r).data).toMatchObject({
      acme_contract_id: 10002,
      sans: ["example.com", "www.example.com"],
    });
  });

  it("a list: one line per record, the field names once in its heading", async () => {
    const r = await h.call("list_api_keys", { limit: 3 });
    const lines = textOf(r).split("\n");
    expect(lines.filter((l) => /^api_keys \(3; fields id, name, account_id, status, /.test(l))).toHaveLength(
      1,
    );
    const rows = lines.filter((l) => l.startsWith("- "));
    expect(rows).toHaveLength(3);
    const keys = (structured(r).data as { api_keys: { id: number; name: string }[] }).api_keys;
    for (const [i, k] of keys.entries()) expect(rows[i]).toContain(`- ${k.id}, ${JSON.stringify(k.name)}, `);
    expect(textOf(r)).not.toContain('{"');
  });

  it("a key shown once: the note and the value are in the text", async () => {
    const r = await h.call("create_api_key", { account_id: DEMO.subFull, name: "readable test" });
    const key = (structured(r).data as { api_key: string }).api_key;
    expect(textOf(r)).toContain("Shown once:");
    expect(textOf(r)).toContain(`api_key: "${key}"`);
  });

  it("resultText json: the text ends with the data as compact JSON (a client that parses it)", async () => {
    const json = await startHarness({ sandbox, server: { resultText: "json" } });
    try {
      const r = await json.call("get_acme_contract", { acme_contract_id: DEMO.contracts.ov });
      const last = textOf(r).split("\n").at(-1) ?? "";
      expect(JSON.parse(last)).toEqual(structured(r).data);
    } finally {
      await json.close();
    }
  });

  it("a once-shown secret the rendering had to escape is added as sent", () => {
    const secret = `abc"def\\ghi${"k".repeat(40)}`;
    const r = successResult(
      getOperation("create_api_key"),
      { name: "x" },
      { status: 201, data: { id: 1, api_key: secret } },
      {},
    );
    const first = r.content[0];
    const text = first?.type === "text" ? first.text : "";
    expect(text).toContain(secret);
    expect(text).toContain("Shown once:");
  });
});
