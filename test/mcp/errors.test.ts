import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO, type Sandbox, startSandbox } from "../../sandbox/index.js";
import { type Harness, startHarness, structured, textOf } from "./harness.js";

describe("tool errors", () => {
  let sandbox: Sandbox;
  let h: Harness;
  beforeAll(async () => {
    sandbox = await startSandbox();
    h = await startHarness({ sandbox });
  });
  afterEach(() => sandbox.reset());
  afterAll(async () => {
    await h.close();
    await sandbox.close();
  });

  const invalid: [string, Record<string, unknown>, RegExp][] = [
    [
      "get_acme_contract",
      { acme_contract_id: "12" },
      /- acme_contract_id: acme_contract_id must be a number/,
    ],
    ["get_acme_contract", {}, /acme_contract_id/],
    ["get_acme_contract", { acme_contract_id: -4 }, /- acme_contract_id: acme_contract_id must be positive/],
    ["add_sans", { acme_contract_id: 1, sans: ["ok.example", "not a domain"] }, /- sans\[1\]: \S/],
    ["add_sans", { acme_contract_id: 1, sans: [] }, /- sans: give at least one SAN/],
    [
      "add_emergency_emails",
      { emergency_contact_emails: ["nope"] },
      /- emergency_contact_emails\[0\]: .*not a valid email address/,
    ],
    ["set_api_key_status", { api_key_id: 1, status: "paused" }, /status/],
    ["list_api_keys", { limit: 0 }, /limit/],
    [
      "get_api_key",
      { api_key_id: 1, verbose: true },
      /unknown argument\(s\) "verbose"; allowed: api_key_id, account_id/,
    ],
    ["update_acme_contract", { acme_contract_id: 1 }, /give at least one of auto_renew or organization/],
  ];
  for (const [tool, args, message] of invalid) {
    it(`${tool} ${JSON.stringify(args)}: isError naming the field and rule, nothing sent`, async () => {
      const r = await h.call(tool, args);
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(message);
      expect(textOf(r)).toMatch(/nothing was sent to DigiCert/);
      expect(sandbox.stats.snapshot().total).toBe(0);
    });
  }

  it("a key pasted as an argument name or value is not echoed back", async () => {
    const key = sandbox.keys.parent;
    const results = [
      await h.call("get_acme_contract", { acme_contract_id: 1, [key]: true }),
      await h.call("add_sans", { acme_contract_id: 1, sans: [key] }),
      await h.call("get_acme_contract", { acme_contract_id: key }),
    ];
    for (const r of results) {
      expect(r.isError).toBe(true);
      expect(JSON.stringify(r)).not.toContain(key);
    }
    expect(textOf(results[0] as never)).toMatch(/unknown argument\(s\) \(a name that is not a field\)/);
  });

  it("DigiCert's status, message and the client's hint reach the agent", async () => {
    const r = await h.call("get_acme_contract", { acme_contract_id: 99999 });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/HTTP 404 \(not_found\): .*99999.*\nHint: no such resource/);
    expect(structured(r)).toMatchObject({
      ok: false,
      error: { kind: "http", status: 404, code: "not_found" },
    });
  });

  it("a write whose outcome is unknown says how to check", async () => {
    sandbox.faults.add({ operation: "add_sans", kind: "status", status: 502, times: 1 });
    const r = await h.call("add_sans", { acme_contract_id: DEMO.contracts.dv, sans: ["x.example.com"] });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/HTTP 502/);
    expect(textOf(r)).toMatch(/may or may not have been made/);
    expect(structured(r)).toMatchObject({ error: { outcome_unknown: true } });
  });

  it("a guarded write whose outcome is unknown names the read that shows the state", async () => {
    const d = await startHarness({ sandbox, server: { confirmation: { mode: "disabled", secret: "" } } });
    sandbox.faults.add({ operation: "cancel_acme_contract", kind: "reset_after_commit", times: 1 });
    const r = await d.call("cancel_acme_contract", { acme_contract_id: DEMO.contracts.ov });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/may or may not have been made: call get_acme_contract/);
    await d.close();
  });

  it("a cancelled MCP request aborts its HTTP call", async () => {
    sandbox.faults.add({ operation: "get_acme_contract", kind: "latency", delay_ms: 5_000, times: 1 });
    h.logs.length = 0;
    const controller = new AbortController();
    const started = Date.now();
    const pending = h.mcp.callTool(
      { name: "get_acme_contract", arguments: { acme_contract_id: DEMO.contracts.dv } },
      undefined,
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort("user stopped"), 100);
    await expect(pending).rejects.toThrow();
    // the server side notices the cancellation and ends the DigiCert call well before the 5 s delay
    const ended = await waitFor(() =>
      h.logs
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.msg === "tool call" && l.tool === "get_acme_contract"),
    );
    expect(ended).toMatchObject({ tool: "get_acme_contract", outcome: "error:aborted" });
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

describe("configuration errors", () => {
  it("a missing subaccount key: nothing is sent, and the hint names the setting", async () => {
    const h = await startHarness({ credentials: (k) => ({ parentKey: k.parent }) });
    const r = await h.call("get_acme_contract", { acme_contract_id: DEMO.contracts.dv });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/nothing was sent[\s\S]*DIGICERT_SUBACCOUNT_API_KEY/);
    expect(h.sandbox.stats.snapshot().total).toBe(0);
    await h.close();
  });

  it("the parent key on an ACME tool: DigiCert's 403 with a hint to use a subaccount key", async () => {
    const h = await startHarness({ credentials: (k) => ({ parentKey: k.parent, subaccountKey: k.parent }) });
    const r = await h.call("get_acme_contract", { acme_contract_id: DEMO.contracts.dv });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/HTTP 403[\s\S]*Hint: .*subaccount.*DIGICERT_SUBACCOUNT_API_KEY/);
    expect(JSON.stringify(h.results)).not.toContain(h.sandbox.keys.parent);
    await h.close();
  });
});

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 3_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}
