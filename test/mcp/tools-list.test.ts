import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { encode } from "gpt-tokenizer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../sandbox/index.js";
import { registerReporting } from "../../src/mcp/reporting/index.js";
import { registerSetupCheck } from "../../src/mcp/setup-tool.js";
import { OPERATIONS } from "../../src/operations/index.js";
import { SnapshotStore } from "../../src/reporting/index.js";
import { expectedHints, missingHints, statedHints } from "../helpers/annotations.js";
import { type Harness, startHarness } from "./harness.js";

/*
 * Budgets for tools/list, in o200k tokens (gpt-tokenizer; Claude's own tokenizer is not public) PER TOOL, so a new
 * tool no larger than the average fits without an edit here, while growth of what agents must read fails and
 * becomes a decision (trim, or raise a budget here with the measurement). Figures below are the whole list's.
 *
 * The catalog's tools (25 when this became an average): 7,903 with the SDK's `$schema` stamps and output schemas
 * two levels deep; 6,331 after removing the stamps (trim-tools-list.ts) and typing only the result envelope
 * (`data` is "object": DigiCert's answer, described in the tool's text); 5,966 once replace and update point at
 * create's organization object instead of repeating it; 5,428 once annotations carry only what differs from the
 * spec's defaults; 5,203 without the result envelope's `operation` field; 5,093 with shorter confirmation_token
 * and key texts; 5,026 once output schemas list only fields a tool can return (note, current); 4,992 once the
 * text says each fact once; 4,940 without offset/limit descriptions that restate the names; 5,095 with the
 * tolerant reader (issue 11): every result may carry `warning` and DigiCert's answer as sent in `data` (any JSON
 * value), and the organization no longer requires the fields DigiCert does not document as required; 5,451 with
 * every hint stated on every tool and the title once, in annotations (issue 17: hosts assume the worst for a
 * missing hint, connector directories require them); 5,262 once account_id is explained in the server
 * instructions instead of in 17 tools; 5,170 with shorter descriptions (merging issues 17, 18 and 19): 206.8 per
 * tool. Name+description+inputSchema (what clients put into the model's context): 2,713, 108.5 per tool; goal
 * 3,300 for 25 tools, 132 per tool.
 */
const CATALOG_TOKENS_PER_TOOL = 207;
const CATALOG_VISIBLE_PER_TOOL = 109;
const CATALOG_VISIBLE_GOAL_PER_TOOL = 132;
/**
 * The whole list a default server sends (32 tools when this became an average): the catalog's, the 6 reporting
 * tools (view_contracts among them, issue 18: +195) and check_setup. Measured 7,141 before the cuts above (and
 * the SDK's execution stamp dropped from the reporting tools), 5,886 after, 6,041 with the tolerant reader's
 * `warning`, 6,492 with all five hints stated, 6,254 with account_id and snapshot_id explained once in the server
 * instructions (issue 17); 6,273 with check_setup (issue 19) and twelve shorter tool descriptions; 6,421 with
 * view_contracts (issue 18) and eleven more shortened: 200.7 per tool. Issue 17's goal was at most 6,500 for
 * those 32 tools (203 per tool); what a model reads of it, 3,291 (102.8 per tool), goal 3,300 (103 per tool).
 */
const WHOLE_TOKENS_PER_TOOL = 201;
const WHOLE_GOAL_PER_TOOL = 203;
const WHOLE_VISIBLE_PER_TOOL = 103;

/** Fails with what to do when a list of `count` tools costs more than `perTool` tokens on average. */
function expectWithinBudget(what: string, tokens: number, tools: Tool[], perTool: number): void {
  const average = tokens / tools.length;
  if (average <= perTool) return;
  const largest = tools
    .map((t) => [t.name, encode(JSON.stringify(t)).length] as const)
    .sort((x, y) => y[1] - x[1])
    .slice(0, 5)
    .map(([n, k]) => `${n} ${k}`)
    .join(", ");
  throw new Error(
    `${what}: ${tokens} tokens for ${tools.length} tools, ${average.toFixed(1)} per tool, over the budget of ` +
      `${perTool} per tool (test/mcp/tools-list.test.ts). Trim the descriptions and schemas agents read (say each ` +
      `fact once; a new tool should cost no more than the average one). Largest tools: ${largest}. Raise a budget ` +
      "only as a decision, with the measurement in the comment beside it.",
  );
}

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

  it("lists every catalog tool with a title (in annotations), description, input and output schema and annotations", () => {
    expect(h.tools.map((t) => t.name).sort()).toEqual(OPERATIONS.map((op) => op.name).sort());
    for (const t of h.tools) {
      // the title once, in annotations (trim-tools-list.ts): clients fall back to annotations.title
      expect(t.annotations?.title, t.name).toBe(OPERATIONS.find((o) => o.name === t.name)?.title);
      expect(t.title, t.name).toBeUndefined();
      expect(t.description, t.name).toBeTruthy();
      expect(t.inputSchema.type).toBe("object");
      expect(t.outputSchema?.type, t.name).toBe("object");
      const op = OPERATIONS.find((o) => o.name === t.name);
      expect(op, t.name).toBeDefined();
      if (op) expect(statedHints(t.annotations), t.name).toEqual(expectedHints(op));
      expect(missingHints(t.annotations), t.name).toEqual([]);
      expect(t.execution, t.name).toBeUndefined();
      expect(t.inputSchema.additionalProperties, t.name).toBe(false);
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
    expectWithinBudget("tools/list (catalog)", tokens, h.tools, CATALOG_TOKENS_PER_TOOL);
    expectWithinBudget(
      "name+description+inputSchema (catalog)",
      visibleTokens,
      h.tools,
      CATALOG_VISIBLE_PER_TOOL,
    );
    expectWithinBudget(
      "name+description+inputSchema (catalog), goal",
      visibleTokens,
      h.tools,
      CATALOG_VISIBLE_GOAL_PER_TOOL,
    );
  });

  it("the whole list, reporting tools included, stays within its budget and states every hint", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "dc-tools-list-"));
    const full = await startHarness({
      sandbox,
      server: {
        extend: (server, ext) => {
          registerReporting(server, {
            client: ext.client,
            logger: ext.logger,
            store: new SnapshotStore({
              dataDir,
              origin: sandbox.url,
              accountKey: sandbox.keys.parent,
              logger: ext.logger,
            }),
            hasDevkey: true,
            access: ext.access,
          });
          registerSetupCheck(server, {
            profile: "default",
            credentials: { parentKey: sandbox.keys.parent },
            baseUrl: sandbox.url,
            version: "0.0.0-test",
            isToolSelected: ext.isToolSelected,
            scrub: (v) => v,
            logger: ext.logger,
          });
        },
      },
    });
    try {
      const reporting = full.tools.filter((t) => !OPERATIONS.some((op) => op.name === t.name));
      expect(reporting.map((t) => t.name).sort()).toEqual([
        "check_setup",
        "compare_reporting_snapshots",
        "find_contracts_for_domain",
        "list_expiring_contracts",
        "reporting_summary",
        "take_reporting_snapshot",
        "view_contracts",
      ]);
      for (const t of reporting) {
        expect(statedHints(t.annotations), t.name).toEqual(
          expectedHints({ effect: "read", idempotent: true }),
        );
      }
      for (const t of full.tools) {
        expect(missingHints(t.annotations), t.name).toEqual([]);
        // the SDK's execution {taskSupport: "forbidden"} is the spec default when absent: not sent
        expect(t.execution, t.name).toBeUndefined();
        expect(t.inputSchema.additionalProperties, t.name).toBe(false);
      }
      const tokens = encode(JSON.stringify({ tools: full.tools })).length;
      const visible = encode(
        JSON.stringify(
          full.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.inputSchema })),
        ),
      ).length;
      console.log(
        `tools/list with reporting: ${full.tools.length} tools, ${tokens} tokens (o200k); name+description+inputSchema: ${visible} tokens`,
      );
      expectWithinBudget(
        "name+description+inputSchema (whole list)",
        visible,
        full.tools,
        WHOLE_VISIBLE_PER_TOOL,
      );
      expectWithinBudget("tools/list (whole list)", tokens, full.tools, WHOLE_TOKENS_PER_TOOL);
      expectWithinBudget("tools/list (whole list), goal", tokens, full.tools, WHOLE_GOAL_PER_TOOL);
    } finally {
      await full.close();
      await rm(dataDir, { recursive: true, force: true });
    }
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
