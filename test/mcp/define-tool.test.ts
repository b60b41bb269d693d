import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type Sandbox, startSandbox } from "../../sandbox/index.js";
import { COMPUTED_TOOLS } from "../../src/mcp/computed-tools.js";
import { defineTool, registerComputedTools } from "../../src/mcp/define-tool.js";
import { registerReporting } from "../../src/mcp/reporting/index.js";
import { registerSetupCheck } from "../../src/mcp/setup-tool.js";
import { OPERATIONS } from "../../src/operations/index.js";
import { SnapshotStore } from "../../src/reporting/index.js";
import { McpError } from "../../src/sdk/server.js";
import { type Harness, startHarness, structured, textOf } from "./harness.js";

interface Ctx {
  secret: string;
}

// A computed tool that can succeed, fail in several ways, and echo a secret: the wrapping is what is tested.
const probe = defineTool({
  name: "probe_tool",
  title: "Probe",
  description: "test tool",
  toolset: "reporting",
  effect: "read",
  idempotent: true,
  input: { how: z.enum(["ok", "throw", "refuse"]) },
  output: { echo: z.string() },
  async run({ how }, ctx: Ctx) {
    if (how === "throw") throw new Error(`store broke near ${ctx.secret}`);
    if (how === "refuse") throw new McpError(-32002, `no snapshot for ${ctx.secret}`);
    return {
      content: [{ type: "text", text: `echo ${ctx.secret}` }],
      structuredContent: { echo: ctx.secret },
    };
  },
});

const hidden = defineTool({
  name: "hidden_tool",
  title: "Hidden",
  description: "test tool, never offered",
  toolset: "reporting",
  effect: "read",
  idempotent: true,
  input: {},
  async run() {
    throw new Error("never registered, never called");
  },
});

describe("defineTool / registerComputedTools", () => {
  let sandbox: Sandbox;
  let h: Harness;
  beforeAll(async () => {
    sandbox = await startSandbox();
    h = await startHarness({
      sandbox,
      server: {
        excludeTools: ["hidden_tool"],
        extend: (server, ext) =>
          registerComputedTools(
            server,
            [probe, hidden],
            { secret: sandbox.keys.parent },
            {
              offersTool: ext.isToolSelected,
              scrub: (v) => ext.client.scrub(v),
              logger: ext.logger,
            },
          ),
      },
    });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await sandbox?.close();
  });

  it("registers only what the access policy offers, with annotations from the declaration", () => {
    const names = h.tools.map((t) => t.name);
    expect(names).toContain("probe_tool");
    expect(names).not.toContain("hidden_tool");
    // never registered (not registered and then removed)
    expect(Object.keys((h.server as unknown as { _registeredTools: object })._registeredTools)).not.toContain(
      "hidden_tool",
    );
    const tool = h.tools.find((t) => t.name === "probe_tool");
    expect(tool?.annotations).toMatchObject({ title: "Probe", readOnlyHint: true, idempotentHint: true });
    expect(tool?.outputSchema?.properties).toHaveProperty("echo");
  });

  it("builds a tool's schemas once per process, shared by every server", () => {
    const registered = (h.server as unknown as { _registeredTools: Record<string, { inputSchema: unknown }> })
      ._registeredTools.probe_tool;
    expect(registered?.inputSchema).toBe(probe.schemas().input);
    expect(probe.schemas()).toBe(probe.schemas());
    expect(probe.buildSchemas().input).not.toBe(probe.schemas().input);
  });

  it("scrubs results and errors, and words failures as tool errors", async () => {
    const key = sandbox.keys.parent;
    const ok = await h.call("probe_tool", { how: "ok" });
    expect(ok.isError).toBeFalsy();
    expect(JSON.stringify(ok)).not.toContain(key);
    expect(typeof structured(ok).echo).toBe("string");

    const broke = await h.call("probe_tool", { how: "throw" });
    expect(broke.isError).toBe(true);
    expect(textOf(broke)).toMatch(/^probe_tool failed: store broke near /);
    expect(JSON.stringify(broke)).not.toContain(key);
    // no structuredContent on an error: the SDK's client would check it against the output schema
    expect(broke.structuredContent).toBeUndefined();

    const refused = await h.call("probe_tool", { how: "refuse" });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/^no snapshot for /);
    expect(JSON.stringify(refused)).not.toContain(key);
  });

  it("logs each call's duration and outcome, never its arguments", () => {
    const lines = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    const calls = lines.filter((l) => l.msg === "tool call" && l.tool === "probe_tool");
    expect(calls.map((l) => l.outcome)).toEqual(["ok", "error:internal", "error:request"]);
    for (const l of calls) expect(typeof l.ms).toBe("number");
    expect(h.logs.join("\n")).not.toContain('"how"');
    // an unexpected failure: its name and where, never its message (it may quote an argument)
    const failed = lines.filter((l) => l.msg === "tool failed" && l.tool === "probe_tool");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ error: "Error" });
    expect(String(failed[0]?.at)).toMatch(/define-tool\.test\.ts:\d+/);
    expect(h.logs.join("\n")).not.toContain("store broke");
  });
});

describe("COMPUTED_TOOLS", () => {
  it("holds every non-catalog tool a full server registers, so each one's schemas are precomputed", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "dc-define-tool-"));
    const h = await startHarness({
      server: {
        extend: (server, ext) => {
          registerReporting(server, {
            client: ext.client,
            logger: ext.logger,
            store: new SnapshotStore({ dataDir, origin: ext.client.baseUrl, logger: ext.logger }),
            hasDevkey: true,
            access: ext.access,
          });
          registerSetupCheck(server, {
            profile: "default",
            credentials: { parentKey: "unused-key-0123456789abcdef" },
            baseUrl: ext.client.baseUrl,
            version: "0.0.0-test",
            isToolSelected: ext.isToolSelected,
            scrub: (v) => ext.client.scrub(v),
            logger: ext.logger,
          });
        },
      },
    });
    try {
      const computed = h.tools.map((t) => t.name).filter((n) => !OPERATIONS.some((op) => op.name === n));
      expect(computed.sort()).toEqual(COMPUTED_TOOLS.map((t) => t.name).sort());
    } finally {
      await h.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
