import { describe, expect, it } from "vitest";
import { toolDescription } from "../../src/mcp/descriptions.js";
import {
  annotationsFor,
  selectOperations,
  toolInputSchema,
  unknownSelectionNames,
} from "../../src/mcp/index.js";
import { OPERATIONS, type Operation, pathParams } from "../../src/operations/index.js";
import { DESTRUCTIVE_TOOLS, expectedHints, missingHints, statedHints } from "../helpers/annotations.js";

const ops = OPERATIONS as readonly Operation[];
const VERBS = [
  "list",
  "get",
  "create",
  "set",
  "replace",
  "update",
  "cancel",
  "add",
  "remove",
  "revoke",
  "regenerate",
  "link",
];
/** Longest tool description (catalog text + key tag + confirmation note) allowed, in characters. */
const DESCRIPTION_BUDGET = 300;

describe("tool registry", () => {
  it("names are unique, snake_case and verb-first", () => {
    const names = ops.map((op) => op.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(/^[a-z]+(_[a-z0-9]+)+$/);
      expect(VERBS, name).toContain(name.split("_")[0]);
      expect(name.length, name).toBeLessThanOrEqual(64);
    }
  });

  it("annotations state all five hints, from effect and idempotence, defaults included", () => {
    for (const op of ops) {
      const a = annotationsFor(op);
      expect(statedHints(a), op.name).toEqual(expectedHints(op));
      expect(missingHints(a), op.name).toEqual([]);
      expect(a.title, op.name).toBe(op.title);
      if (op.effect === "read") expect(op.method, op.name).toBe("GET");
      if (op.effect === "read") expect(op.idempotent, op.name).toBe(true);
    }
  });

  it("destructive means irreversible or removes access: exactly the tools listed with their reason", () => {
    const destructive = ops.filter((op) => op.effect === "destructive").map((op) => op.name);
    expect(destructive.sort()).toEqual(DESTRUCTIVE_TOOLS);
  });

  it("every destructive operation has a confirmation policy whose inspection is a catalog read", () => {
    for (const op of ops.filter((o) => o.effect === "destructive")) {
      expect(op.confirm, op.name).toBeDefined();
      const inspect = op.confirm?.inspect;
      if (inspect) expect(ops.find((o) => o.name === inspect.op)?.effect, op.name).toBe("read");
    }
  });

  it("every {param} in a path is a declared param, and every param is in the path", () => {
    for (const op of ops) {
      const inPath = pathParams(op.path).sort();
      expect(inPath, op.name).toEqual(Object.keys(op.params.shape).sort());
    }
  });

  it(`descriptions fit a budget of ${DESCRIPTION_BUDGET} characters and name the key they need`, () => {
    for (const op of ops) {
      const d = toolDescription(op);
      expect(d.length, `${op.name}: ${d.length}`).toBeLessThanOrEqual(DESCRIPTION_BUDGET);
      expect(d, op.name).toMatch(/\[[^\]]*key[^\]]*\]|DEVKEY\]/i);
    }
  });

  it("only guarded tools mention confirmation, and only while it is on (the rule of when is said once, at the end)", () => {
    for (const op of ops) {
      expect(op.description, op.name).not.toMatch(/confirm/i);
      const on = toolDescription(op, true);
      const off = toolDescription(op, false);
      expect(off, op.name).not.toMatch(/confirm/i);
      if (!op.confirm) expect(on, op.name).toBe(off);
      else
        expect(on, op.name).toMatch(
          op.confirm.whenText ? / Asks for confirmation to [a-z ]+\.$/ : / Asks for confirmation\.$/,
        );
    }
    expect(toolDescription(ops.find((op) => op.name === "set_api_key_status") as Operation)).toMatch(
      /Asks for confirmation to deactivate\.$/,
    );
  });

  it("guarded tools take a confirmation_token; paged tools take offset/limit; nothing else is added", () => {
    for (const op of ops) {
      const keys = Object.keys(toolInputSchema(op).shape);
      expect(keys.includes("confirmation_token"), op.name).toBe(op.confirm !== undefined);
      const extra = keys.filter((k) => !(k in op.params.shape) && !(op.body && k in op.body.shape));
      for (const k of extra)
        expect(["account_id", "confirmation_token", "offset", "limit"], op.name).toContain(k);
    }
  });
});

describe("selectOperations", () => {
  const names = (sel: Parameters<typeof selectOperations>[0]) => selectOperations(sel).map((op) => op.name);

  it("selects everything by default", () => {
    expect(names({})).toHaveLength(ops.length);
  });

  it("read-only keeps only read tools", () => {
    const selected = selectOperations({ readOnly: true });
    expect(selected.length).toBeGreaterThan(5);
    expect(selected.every((op) => op.effect === "read")).toBe(true);
  });

  it("toolsets and tools add up, excludeTools wins", () => {
    // in catalog order; each toolset's members come from the catalog, so a new entry needs no edit here
    const inToolset = (t: string, readOnly = false) =>
      ops.filter((op) => op.toolset === t && (!readOnly || op.effect === "read")).map((op) => op.name);
    const apiKeys = names({ toolsets: ["api_keys"] });
    expect(apiKeys).toEqual(inToolset("api_keys"));
    expect(apiKeys).toEqual(
      expect.arrayContaining(["list_api_keys", "create_api_key", "set_api_key_status"]),
    );
    expect(apiKeys).not.toContain("get_acme_contract");
    expect(names({ tools: ["get_acme_contract"] })).toEqual(["get_acme_contract"]);
    const finance = names({ toolsets: ["finance"], tools: ["get_api_key"] });
    expect(finance).toEqual(
      ops.map((op) => op.name).filter((n) => n === "get_api_key" || inToolset("finance").includes(n)),
    );
    expect(finance).toEqual(
      expect.arrayContaining(["get_api_key", "link_billing_account", "get_subaccount_cost_report"]),
    );
    expect(
      names({ toolsets: ["api_keys"], tools: ["create_api_key"], excludeTools: ["create_api_key"] }),
    ).not.toContain("create_api_key");
    const readOnly = names({ toolsets: ["api_keys"], readOnly: true });
    expect(readOnly).toEqual(inToolset("api_keys", true));
    expect(readOnly).toEqual(expect.arrayContaining(["list_api_keys", "get_api_key"]));
    expect(readOnly).not.toContain("create_api_key");
    expect(names({ toolsets: [] })).toEqual([]);
  });

  it("reports names that match nothing", () => {
    expect(
      unknownSelectionNames({
        tools: ["get_acme_contract", "get_acme"],
        excludeTools: ["nope"],
        toolsets: ["acme"],
      }),
    ).toEqual(["get_acme", "nope"]);
    expect(unknownSelectionNames({ tools: ["reporting_summary"] }, ["reporting_summary"])).toEqual([]);
  });
});
