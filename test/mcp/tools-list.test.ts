import { encode } from "gpt-tokenizer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../sandbox/index.js";
import { OPERATIONS } from "../../src/operations/index.js";
import { effectiveHints, expectedHints, redundantHints } from "../helpers/annotations.js";
import { type Harness, startHarness } from "./harness.js";

/**
 * Budget for the catalog's 25 tools in tools/list, in o200k tokens (gpt-tokenizer; Claude's own tokenizer is not
 * public). History: 7,903 with the SDK's `$schema` stamps and output schemas two levels deep; 6,331 after
 * removing the stamps (trim-tools-list.ts) and typing only the result envelope (`data` is "object": DigiCert's
 * answer, described in the tool's text); 5,966 once replace and update point at create's organization object
 * instead of repeating it. Set just above the measured figure, so any growth in what agents must read fails here
 * and becomes a decision.
 */
const TOOLS_LIST_TOKEN_BUDGET = 6_100;
/** The part clients put into the model's context: name, description, input schema. Measured 3,213. */
const MODEL_VISIBLE_TOKEN_BUDGET = 3_330;

describe("tools/list", () => {
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

  it("lists every catalog tool with title, description, input and output schema and annotations", () => {
    expect(h.tools.map((t) => t.name).sort()).toEqual(OPERATIONS.map((op) => op.name).sort());
    for (const t of h.tools) {
      expect(t.title, t.name).toBeTruthy();
      expect(t.description, t.name).toBeTruthy();
      expect(t.inputSchema.type).toBe("object");
      expect(t.outputSchema?.type, t.name).toBe("object");
      const op = OPERATIONS.find((o) => o.name === t.name);
      expect(op, t.name).toBeDefined();
      if (op) expect(effectiveHints(t.annotations), t.name).toEqual(expectedHints(op));
      expect(redundantHints(t.annotations), t.name).toEqual([]);
      // the SDK's execution {taskSupport: "forbidden"} is the spec default when absent: not sent
      expect(t.execution, t.name).toBeUndefined();
    }
  });

  it("stays within its size budget", () => {
    const json = JSON.stringify({ tools: h.tools });
    const bytes = Buffer.byteLength(json);
    const tokens = encode(json).length;
    const visible = JSON.stringify(
      h.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.inputSchema })),
    );
    const visibleTokens = encode(visible).length;
    const outputTokens = encode(JSON.stringify(h.tools.map((t) => t.outputSchema))).length;
    console.log(
      `tools/list: ${h.tools.length} tools, ${bytes} bytes, ${tokens} tokens (o200k), ~${Math.round(bytes / 4)} by bytes/4; ` +
        `name+description+inputSchema: ${visibleTokens} tokens; outputSchemas: ${outputTokens} tokens`,
    );
    const rows = h.tools
      .map((t) => [t.name, encode(JSON.stringify(t)).length] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([n, k]) => `${n} ${k}`);
    console.log(`largest tools (tokens): ${rows.join(", ")}`);
    expect(tokens).toBeLessThanOrEqual(TOOLS_LIST_TOKEN_BUDGET);
    expect(visibleTokens).toBeLessThanOrEqual(MODEL_VISIBLE_TOKEN_BUDGET);
  });

  it("points later tools at an argument schema an earlier tool spells out, only within the list sent", async () => {
    const byName = new Map(h.tools.map((t) => [t.name, t]));
    type Props = Record<string, { description?: string; properties?: unknown }>;
    const org = (name: string) =>
      (byName.get(name)?.inputSchema.properties as Props | undefined)?.organization;
    expect(org("create_acme_contract")?.properties).toBeDefined();
    expect(org("replace_acme_contract")?.description).toMatch(
      /same fields as create_acme_contract's organization/,
    );
    expect(org("update_acme_contract")?.description).toMatch(/every field is optional/);
    // without create in the list, replace spells the object out itself
    const alone = await startHarness({ sandbox, server: { tools: ["replace_acme_contract"] } });
    const props = alone.tools[0]?.inputSchema.properties as Record<string, { properties?: unknown }>;
    expect(props.organization?.properties).toBeDefined();
    await alone.close();
  });

  it("filters through createMcpServer: toolsets, tools, excludeTools, readOnly", async () => {
    const list = async (server: Parameters<typeof startHarness>[0]) => {
      const x = await startHarness({ sandbox, ...server });
      const names = x.tools.map((t) => t.name);
      await x.close();
      return names;
    };
    expect(await list({ server: { toolsets: ["finance"] } })).toEqual([
      "link_billing_account",
      "get_subaccount_cost_report",
    ]);
    expect(await list({ server: { toolsets: ["finance"], excludeTools: ["link_billing_account"] } })).toEqual(
      ["get_subaccount_cost_report"],
    );
    expect(
      await list({ server: { tools: ["get_acme_contract", "cancel_acme_contract"], readOnly: true } }),
    ).toEqual(["get_acme_contract"]);
  });
});
