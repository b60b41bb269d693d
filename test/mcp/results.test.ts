import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, type Sandbox, startSandbox } from "../../sandbox/index.js";
import { MAX_RESULT_BYTES } from "../../src/mcp/compact.js";
import { SERVER_INSTRUCTIONS } from "../../src/mcp/index.js";
import { type Harness, startHarness, structured, textOf } from "./harness.js";

describe("server identity", () => {
  it("declares tools and logging, and gives instructions on keys and confirmation", async () => {
    const h = await startHarness();
    expect(h.mcp.getServerCapabilities()).toMatchObject({ tools: {}, logging: {} });
    expect(h.mcp.getServerVersion()).toMatchObject({ name: "digicert-partner-mcp", version: "0.0.0-test" });
    const instructions = h.mcp.getInstructions() ?? "";
    expect(instructions).toBe(SERVER_INSTRUCTIONS);
    expect(instructions).toMatch(/account_id/);
    expect(instructions).toMatch(/confirmation_token/);
    await h.mcp.setLoggingLevel("warning");
    await h.close();
  });
});

describe("compact results over a large account", () => {
  let sandbox: Sandbox;
  let h: Harness;
  beforeAll(async () => {
    sandbox = await startSandbox({ generate: { subaccounts: 300, contractsPerSubaccount: 4 } });
    h = await startHarness({ sandbox });
  });
  afterAll(async () => {
    await h.close();
    await sandbox.close();
  });

  it("reporting is paged, with a note saying how to get the next page", async () => {
    const first = await h.call("get_account_reporting");
    const s = structured(first);
    const accounts = (s.data as { accounts: unknown[] }).accounts;
    expect(accounts.length).toBe(20);
    expect(s.note).toMatch(/Showing accounts 1-20 of \d+\. Call again with offset=20/);
    expect(JSON.stringify(first).length).toBeLessThan(MAX_RESULT_BYTES * 2.2);
    const next = await h.call("get_account_reporting", { offset: 20, limit: 5 });
    expect((structured(next).data as { accounts: { account_id: number }[] }).accounts).toHaveLength(5);
    expect(structured(next).note).toMatch(/Showing accounts 21-25 of/);
  });

  it("a page larger than the byte ceiling is cut further, and the note still points at the rest", async () => {
    const r = await h.call("get_account_reporting", { limit: 200 });
    const data = structured(r).data as { accounts: unknown[] };
    expect(data.accounts.length).toBeLessThan(200);
    expect(JSON.stringify(data).length).toBeLessThanOrEqual(MAX_RESULT_BYTES);
    expect(structured(r).note).toMatch(/Call again with offset=\d+/);
    expect(textOf(r).length).toBeLessThan(MAX_RESULT_BYTES + 2_000);
  });

  it("API keys are paged", async () => {
    const r = await h.call("list_api_keys", { limit: 10 });
    expect((structured(r).data as { api_keys: unknown[] }).api_keys).toHaveLength(10);
    expect(structured(r).summary).toMatch(/List API keys: \d{3} api_keys/);
    expect(structured(r).note).toMatch(/offset=10/);
  });

  it("a contract's 250 SANs are shown whole", async () => {
    const sans = Array.from({ length: 247 }, (_, i) => `host${i}.example.com`);
    const add = await h.call("add_sans", { acme_contract_id: DEMO.contracts.dv, sans });
    expect(add.isError, textOf(add)).toBeFalsy();
    const r = await h.call("get_acme_contract", { acme_contract_id: DEMO.contracts.dv });
    expect((structured(r).data as { sans: string[] }).sans).toHaveLength(250);
    expect(structured(r).note).toBeUndefined();
  });
});
