import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../sandbox/index.js";
import type { Credentials } from "../../src/client/credentials.js";
import type { ExtensionContext, McpServerOptions } from "../../src/mcp/index.js";
import { registerSetupCheck } from "../../src/mcp/setup-tool.js";
import { OPERATIONS } from "../../src/operations/index.js";
import { expectedHints, missingHints, statedHints } from "../helpers/annotations.js";
import { startHarness, structured, textOf } from "./harness.js";

function credentialsOf(keys: Sandbox["keys"]): Credentials {
  return {
    parentKey: keys.parent,
    subaccountKey: keys.subaccounts[1001],
    subaccountKeys: Object.fromEntries(Object.entries(keys.subaccounts)),
    devkey: keys.devkey,
  };
}

/** The server as the CLI builds it: check_setup registered through `extend`, on the profile's keys. */
function withSetupCheck(sandbox: Sandbox, selection: Partial<McpServerOptions> = {}) {
  return {
    sandbox,
    server: {
      ...selection,
      extend: (server: Parameters<NonNullable<McpServerOptions["extend"]>>[0], ext: ExtensionContext) =>
        registerSetupCheck(server, {
          profile: "default",
          credentials: credentialsOf(sandbox.keys),
          baseUrl: sandbox.url,
          version: "0.0.0-test",
          isToolSelected: ext.isToolSelected,
          scrub: (v) => ext.client.scrub(v),
          logger: ext.logger,
        }),
    },
  };
}

describe("check_setup", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());

  it("runs the doctor's checks with GETs only and returns the report as text and data, without keys", async () => {
    const h = await startHarness(withSetupCheck(sandbox));
    try {
      const tool = h.tools.find((t) => t.name === "check_setup");
      expect(statedHints(tool?.annotations)).toEqual(expectedHints({ effect: "read", idempotent: true }));
      expect(missingHints(tool?.annotations)).toEqual([]);
      expect(tool?.inputSchema.additionalProperties).toBe(false);
      sandbox.stats.clear();
      const result = await h.call("check_setup");
      expect(result.isError).toBeFalsy();
      expect(textOf(result)).toMatch(
        /DIGICERT_SUBACCOUNT_API_KEYS \(subaccount 1003\): subaccount key of account 1003/,
      );
      expect(textOf(result)).toMatch(/All is well/);
      expect(structured(result)).toMatchObject({ status: "ok", methods: ["GET"] });
      for (const op of OPERATIONS.filter((o) => o.effect !== "read")) {
        expect(sandbox.stats.count(op.name), op.name).toBe(0);
      }
      expect(OPERATIONS.filter((o) => o.effect === "read").some((o) => sandbox.stats.count(o.name) > 0)).toBe(
        true,
      );
      const everything = JSON.stringify(result);
      for (const key of [
        sandbox.keys.parent,
        sandbox.keys.devkey,
        ...Object.values(sandbox.keys.subaccounts),
      ]) {
        expect(everything).not.toContain(key);
      }
    } finally {
      await h.close();
    }
  });

  it("follows the selection like any read tool of the account toolset", async () => {
    const names = async (selection: Partial<McpServerOptions>) => {
      const h = await startHarness(withSetupCheck(sandbox, selection));
      const list = h.tools.map((t) => t.name);
      await h.close();
      return list.includes("check_setup");
    };
    expect(await names({})).toBe(true);
    expect(await names({ readOnly: true })).toBe(true);
    expect(await names({ toolsets: ["account"] })).toBe(true);
    expect(await names({ toolsets: ["finance"] })).toBe(false);
    expect(await names({ tools: ["check_setup"] })).toBe(true);
    expect(await names({ excludeTools: ["check_setup"] })).toBe(false);
    expect(await names({ restrict: { toolsets: ["acme"] } })).toBe(false);
  });
});
