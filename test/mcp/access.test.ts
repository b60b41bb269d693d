import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../sandbox/index.js";
import type { McpServerOptions } from "../../src/mcp/index.js";
import { registerReporting } from "../../src/mcp/reporting/index.js";
import { PROMPT_TOOLS } from "../../src/mcp/reporting/prompts.js";
import { SnapshotStore } from "../../src/reporting/index.js";
import { type Harness, startHarness } from "./harness.js";

// One access policy for every surface: tools, resources, resource templates, completions and prompts, under
// the operator's selection (stdio) and a token's grant (HTTP `restrict` + `caller`, as server-factory wires it).

let sandbox: Sandbox;
let dataDir: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  dataDir = await mkdtemp(join(tmpdir(), "dc-access-"));
});
afterAll(async () => {
  await sandbox.close();
  await rm(dataDir, { recursive: true, force: true });
});

type Selection = Partial<Omit<McpServerOptions, "client" | "logger">>;

/** The server as the CLI builds it: catalog tools plus reporting, both asking the same policy. */
async function serve(selection: Selection): Promise<Harness> {
  return startHarness({
    sandbox,
    server: {
      ...selection,
      extend: (server, ext) =>
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
        }),
    },
  });
}

async function surfaces(h: Harness) {
  const caps = h.mcp.getServerCapabilities() ?? {};
  const resources = caps.resources ? (await h.mcp.listResources()).resources.map((r) => r.uri) : [];
  const templates = caps.resources
    ? (await h.mcp.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate)
    : [];
  const prompts = caps.prompts ? (await h.mcp.listPrompts()).prompts.map((p) => p.name) : [];
  return { tools: h.tools.map((t) => t.name), resources, templates, prompts };
}

async function readError(h: Harness, uri: string): Promise<string> {
  try {
    await h.mcp.readResource({ uri });
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  throw new Error(`${uri} was readable`);
}

/** Requests the sandbox received for these operations since the last clear. */
function fetched(...operations: string[]): number {
  return operations.reduce((n, op) => n + sandbox.stats.count(op), 0);
}

const REPORTING_TEMPLATES = [
  "digicert://reporting/snapshots/{snapshot_id}",
  "digicert://reporting/snapshots/{snapshot_id}.csv",
  "digicert://reporting/snapshots/{snapshot_id}/summary",
  "digicert://reporting/diff/{from_id}/{to_id}",
];
const COST_TEMPLATE = "digicert://subaccounts/{subaccount_id}/cost-report";

describe("access policy: resources and prompts follow the tools", () => {
  it("everything on: every resource, template and prompt is offered", async () => {
    const h = await serve({});
    try {
      const s = await surfaces(h);
      expect(s.resources).toContain("digicert://reporting/latest");
      expect(s.templates.sort()).toEqual([...REPORTING_TEMPLATES, COST_TEMPLATE].sort());
      expect(s.prompts.sort()).toEqual(["domain_coverage", "renewal_review", "subaccount_audit"]);
      expect(h.mcp.getServerCapabilities()?.resources?.subscribe).toBe(true);
    } finally {
      await h.close();
    }
  });

  it("--toolsets api_keys (stdio): no reporting or cost resource, no prompt, reads refused, nothing fetched", async () => {
    const h = await serve({ toolsets: ["api_keys"] });
    try {
      const s = await surfaces(h);
      expect(s.resources).toEqual([]);
      expect(s.templates).toEqual([]);
      expect(s.prompts).toEqual([]);
      expect(h.mcp.getServerCapabilities()?.resources?.subscribe).toBeUndefined();
      sandbox.stats.clear();
      for (const uri of [
        "digicert://reporting/latest",
        "digicert://reporting/snapshots/latest/summary",
        "digicert://subaccounts/1001/cost-report",
      ]) {
        expect(await readError(h, uri)).toMatch(/is not available with this server's tool selection/);
      }
      expect(await readError(h, "digicert://reporting/latest")).toContain("get_account_reporting");
      expect(await readError(h, "digicert://subaccounts/1001/cost-report")).toContain(
        "get_subaccount_cost_report",
      );
      // the refusal does not echo the URI (resource errors are not scrubbed): a pasted key stays out of it
      const pasted = await readError(h, `digicert://reporting/snapshots/${sandbox.keys.parent}`);
      expect(pasted).toMatch(/not available/);
      expect(pasted).not.toContain(sandbox.keys.parent);
      expect(fetched("get_account_reporting", "get_subaccount_cost_report")).toBe(0);
    } finally {
      await h.close();
    }
  });

  it("a token with get_account_reporting and get_subaccount_cost_report excluded: 'not available to this token'", async () => {
    const h = await serve({
      restrict: { excludeTools: ["get_account_reporting", "get_subaccount_cost_report"] },
      caller: "support-bot",
    });
    try {
      const s = await surfaces(h);
      expect(s.tools).not.toContain("get_account_reporting");
      expect(s.resources.filter((u) => u.startsWith("digicert://"))).toEqual([]);
      expect(s.templates).toEqual([]);
      sandbox.stats.clear();
      expect(await readError(h, "digicert://reporting/latest")).toMatch(
        /This resource is not available to this token: it comes with the tool get_account_reporting/,
      );
      expect(await readError(h, "digicert://subaccounts/1001/cost-report")).toMatch(
        /not available to this token: it comes with the tool get_subaccount_cost_report/,
      );
      // completion of the templates' ids is gone with them
      await expect(
        h.mcp.complete({
          ref: { type: "ref/resource", uri: COST_TEMPLATE },
          argument: { name: "subaccount_id", value: "1" },
        }),
      ).rejects.toThrow();
      expect(fetched("get_account_reporting", "get_subaccount_cost_report")).toBe(0);
    } finally {
      await h.close();
    }
  });

  it("excluding only the cost report keeps the reporting resources", async () => {
    const h = await serve({ excludeTools: ["get_subaccount_cost_report"] });
    try {
      const s = await surfaces(h);
      expect(s.templates.sort()).toEqual([...REPORTING_TEMPLATES].sort());
      expect(await readError(h, "digicert://subaccounts/1001/cost-report")).toMatch(/not available/);
      const latest = await h.mcp.readResource({ uri: "digicert://reporting/latest" });
      expect(latest.contents).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it("read-only callers still read: resources, templates and prompts stay", async () => {
    const h = await serve({ restrict: { readOnly: true }, caller: "read-only-bot" });
    try {
      const s = await surfaces(h);
      expect(s.tools).not.toContain("cancel_acme_contract");
      expect(s.templates.sort()).toEqual([...REPORTING_TEMPLATES, COST_TEMPLATE].sort());
      expect(s.prompts.sort()).toEqual(["domain_coverage", "renewal_review", "subaccount_audit"]);
      const latest = await h.mcp.readResource({ uri: "digicert://reporting/latest" });
      expect(latest.contents[0]?.uri).toBe("digicert://reporting/latest");
    } finally {
      await h.close();
    }
  });

  it("a prompt is offered only when every tool it names is", async () => {
    const h = await serve({ restrict: { excludeTools: ["get_acme_contract"] }, caller: "t" });
    try {
      // renewal_review tells the agent to call get_acme_contract; the other two do not
      expect((await surfaces(h)).prompts.sort()).toEqual(["domain_coverage", "subaccount_audit"]);
      await expect(h.mcp.getPrompt({ name: "renewal_review", arguments: {} })).rejects.toThrow();
    } finally {
      await h.close();
    }
    const acme = await serve({ toolsets: ["acme", "reporting"] });
    try {
      // subaccount_audit also needs list_api_keys (api_keys) and get_emergency_emails (account)
      expect((await surfaces(acme)).prompts.sort()).toEqual(["domain_coverage", "renewal_review"]);
    } finally {
      await acme.close();
    }
  });

  it("every tool a prompt's text names is among the tools it is offered with", async () => {
    const h = await serve({});
    try {
      const known = new Set(h.tools.map((t) => t.name));
      for (const prompt of (await h.mcp.listPrompts()).prompts) {
        const args: Record<string, string> =
          prompt.name === "domain_coverage" ? { domain: "example.com" } : { account_id: "1001" };
        const text = JSON.stringify(await h.mcp.getPrompt({ name: prompt.name, arguments: args }));
        const named = [...known].filter((tool) => new RegExp(`\\b${tool}\\b`).test(text)).sort();
        const declared = (PROMPT_TOOLS[prompt.name] ?? []).map((t) => t.name).sort();
        expect(named, prompt.name).toEqual([...new Set(declared)].sort());
      }
    } finally {
      await h.close();
    }
  });
});
