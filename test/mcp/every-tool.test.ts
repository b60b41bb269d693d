import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/index.js";
import { toolOutputSchema } from "../../src/mcp/index.js";
import { OPERATIONS } from "../../src/operations/index.js";
import { EVERY_OPERATION, exampleOf } from "../helpers/examples.js";
import { type Harness, startHarness, structured, textOf } from "./harness.js";

type Validator = (value: unknown) => { valid: boolean };

/** Every catalog tool, called through a real SDK client, each result checked against the declared schema. */
describe("every tool over MCP against the sandbox", () => {
  let h: Harness;
  const called = new Set<string>();
  const ajv = new Ajv({ strict: false });

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  function outputValidatorOf(name: string): Validator | undefined {
    // private in the SDK's typings; read here only to prove the client really validates structured results
    return (
      h.mcp as unknown as { getToolOutputValidator(n: string): Validator | undefined }
    ).getToolOutputValidator(name);
  }

  /** Calls a tool, checks the result against its declared output schema three ways, and records the call. */
  async function call(name: string, args: Record<string, unknown> = {}) {
    const result = await h.call(name, args);
    called.add(name);
    const tool = h.tools.find((t) => t.name === name);
    expect(tool?.outputSchema, name).toBeDefined();
    expect(result.structuredContent, `${name}: ${textOf(result)}`).toBeDefined();
    // the JSON Schema agents see (the SDK client already ran the same check inside callTool)
    const validate = ajv.compile(tool?.outputSchema as object);
    expect(validate(result.structuredContent), JSON.stringify(validate.errors)).toBe(true);
    // and lists every field the tool returns (an error result adds only `error`)
    const listed = Object.keys(tool?.outputSchema?.properties ?? {});
    const unlisted = Object.keys(result.structuredContent ?? {}).filter(
      (k) => k !== "error" && !listed.includes(k),
    );
    expect(unlisted, name).toEqual([]);
    // and the zod schema the server validates with
    const op = OPERATIONS.find((o) => o.name === name);
    if (op && !result.isError)
      expect(toolOutputSchema(op).safeParse(result.structuredContent).success).toBe(true);
    return result;
  }

  async function confirmed(name: string, args: Record<string, unknown>) {
    const first = await call(name, args);
    expect(first.isError, textOf(first)).toBeFalsy();
    const s = structured(first);
    expect(s.status, textOf(first)).toBe("confirmation_required");
    expect(typeof s.preview).toBe("string");
    const second = await call(name, { ...args, confirmation_token: s.confirmation_token });
    expect(second.isError, textOf(second)).toBeFalsy();
    expect(structured(second).status).toBe("done");
    return second;
  }

  it("the SDK client holds an output validator for every tool, and it rejects a wrong shape", () => {
    expect(h.tools.length).toBe(OPERATIONS.length);
    for (const tool of h.tools) {
      const validator = outputValidatorOf(tool.name);
      expect(validator, tool.name).toBeDefined();
      expect(validator?.({ ok: "yes" }).valid, tool.name).toBe(false);
    }
  });

  it("api key tools", async () => {
    const list = await call("list_api_keys");
    expect((structured(list).data as { api_keys: unknown[] }).api_keys.length).toBeGreaterThan(3);
    const one = await call("get_api_key", { api_key_id: DEMO.apiKeys.subFull });
    expect(structured(one).data).toMatchObject({ id: DEMO.apiKeys.subFull });
    const created = await call("create_api_key", { account_id: DEMO.subEmpty, name: "CI key" });
    expect(created.isError).toBeFalsy();
    expect(structured(created).note).toMatch(/Shown once.*store/);
    expect(textOf(created)).toContain((structured(created).data as { api_key: string }).api_key);
    // activating needs no confirmation (the policy's `when` is false)
    const activate = await call("set_api_key_status", {
      api_key_id: DEMO.apiKeys.subEmpty,
      status: "active",
    });
    expect(structured(activate)).toMatchObject({ ok: true, status: "done" });
    await confirmed("set_api_key_status", { api_key_id: DEMO.apiKeys.subEmpty, status: "inactive" });
    expect(h.sandbox.store.apiKeys.get(DEMO.apiKeys.subEmpty)?.status).toBe("inactive");
  });

  it("ACME contract tools", async () => {
    const created = await call("create_acme_contract", {
      product_name_id: "ssl_dv_rapidssl",
      sans: ["new.example.net", "www.new.example.net"],
    });
    expect(created.isError, textOf(created)).toBeFalsy();
    expect(structured(created).note).toMatch(/hmac_key/);
    const id = (structured(created).data as { acme_contract_id: number }).acme_contract_id;

    const got = await call("get_acme_contract", { acme_contract_id: id });
    expect(structured(got).data).toMatchObject({
      acme_contract_id: id,
      sans: ["new.example.net", "www.new.example.net"],
    });

    await call("add_sans", { acme_contract_id: id, sans: ["api.new.example.net"] });
    await confirmed("remove_sans", { acme_contract_id: id, sans: ["api.new.example.net"] });
    const patched = await call("update_acme_contract", { acme_contract_id: id, auto_renew: true });
    expect(structured(patched).status).toBe("done");
    await confirmed("replace_acme_contract", { acme_contract_id: id, auto_renew: true });

    await call("list_acme_credentials", { acme_contract_id: id });
    const regen = await confirmed("regenerate_acme_credentials", {
      acme_contract_id: id,
      revoke_existing: false,
    });
    expect(structured(regen).note).toMatch(/hmac_key/);
    const creds = await call("list_acme_credentials", { acme_contract_id: id });
    const credentialId = (structured(creds).data as { credentials: { credential_id: number }[] })
      .credentials[0]?.credential_id;
    await confirmed("revoke_acme_credential", { acme_contract_id: id, credential_id: credentialId });
    await confirmed("revoke_all_acme_credentials", { acme_contract_id: id });

    const certs = await call("list_acme_certificates", {
      acme_contract_id: DEMO.contracts.withCertificates,
      account_id: DEMO.subCerts,
    });
    expect(certs.isError, textOf(certs)).toBeFalsy();

    await confirmed("cancel_acme_contract", { acme_contract_id: id });
    expect(h.sandbox.store.contracts.get(id)?.canceledAt).not.toBeNull();
  });

  it("account, reporting and finance tools", async () => {
    const sub = await call("create_subaccount", {
      name: "Epsilon Ltd",
      api_key_name: "first key",
      emergency_contact_emails: ["ops@epsilon.example"],
    });
    expect(sub.isError, textOf(sub)).toBeFalsy();
    expect(structured(sub).note).toMatch(/api_key\.api_key/);

    await call("add_emergency_emails", { emergency_contact_emails: ["extra@partner.example"] });
    const emails = await call("get_emergency_emails");
    expect(JSON.stringify(structured(emails).data)).toContain("extra@partner.example");
    await confirmed("remove_emergency_emails", { emergency_contact_emails: ["extra@partner.example"] });

    await call("get_account_settings");
    await call("update_account_setting", { name: "auto_renew_subscription", value: "1" });
    const report = await call("get_account_reporting");
    expect(report.isError, textOf(report)).toBeFalsy();
    await call("get_subaccount_cost_report", { subaccount_id: DEMO.subFull });
    await confirmed("link_billing_account", {});
  });

  describe("each tool's example call (declared beside its sandbox handler), on a fresh seed", () => {
    it.each(EVERY_OPERATION)("%s", async (name, op) => {
      h.sandbox.reset();
      const args = exampleOf(name);
      const guarded = op.confirm !== undefined && (op.confirm.when?.(args) ?? true);
      const result = guarded ? await confirmed(name, args) : await call(name, args);
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(structured(result).ok, textOf(result)).toBe(true);
    });
  });

  it("called every catalog tool", () => {
    expect([...called].sort()).toEqual(OPERATIONS.map((op) => op.name).sort());
  });

  it("no configured key appears in any result, and the log has one line per tool call and no secrets", () => {
    const keys = [h.sandbox.keys.parent, h.sandbox.keys.devkey, ...Object.values(h.sandbox.keys.subaccounts)];
    const everything = JSON.stringify(h.results);
    for (const key of keys) expect(everything).not.toContain(key);
    const toolLines = h.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === "tool call");
    expect(toolLines.length).toBe(h.results.length);
    for (const line of toolLines)
      expect(Object.keys(line).sort()).toEqual(expect.arrayContaining(["tool", "ms", "outcome"]));
    const logText = h.logs.join("");
    for (const key of keys) expect(logText).not.toContain(key);
    // one-time secrets handed to the user never reach the log
    for (const r of h.results) {
      const data = structured(r).data as { api_key?: unknown; eab_set?: { hmac_key?: string } } | undefined;
      const secret = typeof data?.api_key === "string" ? data.api_key : data?.eab_set?.hmac_key;
      if (secret) expect(logText).not.toContain(secret);
    }
  });
});
