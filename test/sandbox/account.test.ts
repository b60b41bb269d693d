import { describe, expect, it } from "vitest";
import { DEMO, DEMO_KEYS } from "../../sandbox/index.js";
import { DV_BODY, errorCode, P, useSandbox } from "./helpers.js";

const ctx = useSandbox();
const K = DEMO_KEYS;
const C = DEMO.contracts;

const NEW_SUB = {
  name: "Omega Ltd",
  api_key_name: "Omega key",
  emergency_contact_emails: ["sec@omega.example", "SEC@omega.example"],
};

describe("create subaccount", () => {
  it("201 with the subaccount id and its API key shown once; the key works and is never shown again", async () => {
    const r = await ctx.call("POST", `${P}/account/subaccount`, { key: K.parent, body: NEW_SUB });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      account_id: 100001,
      name: "Omega Ltd",
      api_key: {
        name: "Omega key",
        account_id: 100001,
        status: "active",
        created_at: "2026-03-01T12:00:00Z",
      },
    });
    const secret: string = r.json.api_key.api_key;
    expect(secret).toMatch(/^sbx_/);
    const emails = await ctx.call("GET", `${P}/account/emergency-emails`, { key: secret });
    expect(emails.json).toEqual({ emergency_contact_emails: ["sec@omega.example"] });
    const keys = await ctx.call("GET", `${P}/api-key`, { key: K.parent });
    expect(keys.text).not.toContain(secret);
    expect(keys.json.api_keys.at(-1)).toMatchObject({ account_id: 100001, api_key_last4: secret.slice(-4) });
    // new subaccounts start on the system default setting
    const settings = await ctx.call("GET", `${P}/account/settings`, { key: secret });
    expect(settings.json.settings).toEqual([
      { name: "auto_renew_subscription", value: "0", is_default: true },
    ]);
  });

  it("400 invalid_email for a bad address, 400 for an empty list, 403 for a subaccount key", async () => {
    const bad = await ctx.call("POST", `${P}/account/subaccount`, {
      key: K.parent,
      body: { ...NEW_SUB, emergency_contact_emails: ["ok@omega.example", "not-an-email"] },
    });
    expect(bad.status).toBe(400);
    expect(errorCode(bad)).toBe("invalid_email");
    expect(bad.json.errors[0].message).toMatch(/^emergency_contact_emails\.1:/);
    const empty = await ctx.call("POST", `${P}/account/subaccount`, {
      key: K.parent,
      body: { ...NEW_SUB, emergency_contact_emails: [] },
    });
    expect(empty.status).toBe(400);
    expect(
      (await ctx.call("POST", `${P}/account/subaccount`, { key: K.subFull, body: NEW_SUB })).status,
    ).toBe(403);
    expect(ctx.sb.store.account(100001)).toBeUndefined();
  });
});

describe("emergency emails", () => {
  it("PUT adds and de-duplicates case-insensitively (204)", async () => {
    const r = await ctx.call("PUT", `${P}/account/emergency-emails`, {
      key: K.subCanceled,
      body: { emergency_contact_emails: ["IT@BetaShop.example", "new@betashop.example"] },
    });
    expect(r.status).toBe(204);
    expect(r.text).toBe("");
    const got = await ctx.call("GET", `${P}/account/emergency-emails`, { key: K.subCanceled });
    expect(got.json.emergency_contact_emails).toEqual([
      "security@betashop.example",
      "it@betashop.example",
      "new@betashop.example",
    ]);
  });

  it("DELETE removes (case-insensitive, absent ignored) but never the last one (400 last_emergency_email)", async () => {
    const r = await ctx.call("DELETE", `${P}/account/emergency-emails`, {
      key: K.subCanceled,
      body: { emergency_contact_emails: ["IT@betashop.example", "nobody@betashop.example"] },
    });
    expect(r.status).toBe(204);
    const last = await ctx.call("DELETE", `${P}/account/emergency-emails`, {
      key: K.subCanceled,
      body: { emergency_contact_emails: ["security@betashop.example"] },
    });
    expect(last.status).toBe(400);
    expect(errorCode(last)).toBe("last_emergency_email");
    const got = await ctx.call("GET", `${P}/account/emergency-emails`, { key: K.subCanceled });
    expect(got.json.emergency_contact_emails).toEqual(["security@betashop.example"]);
  });

  it("PUT with an invalid address → 400 invalid_email and nothing added", async () => {
    const r = await ctx.call("PUT", `${P}/account/emergency-emails`, {
      key: K.parent,
      body: { emergency_contact_emails: ["x@partner.example", "nope"] },
    });
    expect(r.status).toBe(400);
    expect(errorCode(r)).toBe("invalid_email");
    expect(ctx.sb.store.account(DEMO.parent)?.emails).toHaveLength(2);
  });
});

describe("settings", () => {
  it("lists auto_renew_subscription with is_default; override and back to default removes the override", async () => {
    const sub = await ctx.call("GET", `${P}/account/settings`, { key: K.subCanceled });
    expect(sub.json).toEqual({
      settings: [{ name: "auto_renew_subscription", value: "1", is_default: false }],
    });
    const parent = await ctx.call("GET", `${P}/account/settings`, { key: K.parent });
    expect(parent.json.settings[0]).toEqual({
      name: "auto_renew_subscription",
      value: "0",
      is_default: true,
    });
    const off = await ctx.call("PATCH", `${P}/account/settings`, {
      key: K.subCanceled,
      body: { name: "auto_renew_subscription", value: "0" },
    });
    expect(off.status).toBe(200);
    expect(off.json).toEqual({ name: "auto_renew_subscription", value: "0", is_default: true });
    expect(ctx.sb.store.account(DEMO.subCanceled)?.settings.size).toBe(0);
    const on = await ctx.call("PATCH", `${P}/account/settings`, {
      key: K.parent,
      body: { name: "auto_renew_subscription", value: "1" },
    });
    expect(on.json).toEqual({ name: "auto_renew_subscription", value: "1", is_default: false });
  });

  it("unknown name or value → 400 invalid_setting; a number value fails the schema", async () => {
    const name = await ctx.call("PATCH", `${P}/account/settings`, {
      key: K.parent,
      body: { name: "colour", value: "1" },
    });
    expect(errorCode(name)).toBe("invalid_setting");
    const value = await ctx.call("PATCH", `${P}/account/settings`, {
      key: K.parent,
      body: { name: "auto_renew_subscription", value: "2" },
    });
    expect(value.status).toBe(400);
    expect(errorCode(value)).toBe("invalid_setting");
    const num = await ctx.call("PATCH", `${P}/account/settings`, {
      key: K.parent,
      body: { name: "auto_renew_subscription", value: 1 },
    });
    expect(num.status).toBe(400);
    expect(num.json.errors[0].message).toMatch(/^value:/);
  });
});

describe("reporting", () => {
  it("groups by subaccount in id order, omits subaccounts without contracts, includes canceled ones", async () => {
    const r = await ctx.call("GET", `${P}/account/reporting`, { key: K.parent });
    expect(r.status).toBe(200);
    const accounts: {
      account_id: number;
      acme: { acme_contract_id: number; date_canceled: string | null }[];
    }[] = r.json.accounts;
    expect(accounts.map((a) => a.account_id)).toEqual([DEMO.subFull, DEMO.subCanceled, DEMO.subCerts]);
    expect(accounts.map((a) => a.acme.map((c) => c.acme_contract_id))).toEqual([
      [C.dv, C.ov, C.ev, C.ovOtherOrg],
      [C.canceled, C.betaActive],
      [C.withCertificates],
    ]);
    expect(accounts[1]?.acme[0]).toEqual({
      product_name_id: "ssl_dv_rapidssl",
      account_id: DEMO.subCanceled,
      sans: [],
      acme_contract_id: C.canceled,
      valid_till: "2027-01-10T12:00:00Z",
      created_at: "2026-01-10T12:00:00Z",
      date_canceled: "2026-01-15T12:00:00Z",
    });
    expect(r.text).not.toContain(String(C.otherTenant));
  });

  it("a subaccount appears once it has a contract", async () => {
    await ctx.call("POST", `${P}/acme`, { key: K.subEmpty, body: DV_BODY });
    const r = await ctx.call("GET", `${P}/account/reporting`, { key: K.parent });
    expect(r.json.accounts.map((a: { account_id: number }) => a.account_id)).toEqual([
      1001, 1002, 1003, 1004,
    ]);
  });

  it("an empty seed answers {accounts: []}", async () => {
    const { startSandbox } = await import("../../sandbox/index.js");
    const sb = await startSandbox({ seed: "empty" });
    try {
      const res = await fetch(`${sb.url}${P}/account/reporting`, {
        headers: { "X-PARTNER-APIKEY": sb.keys.parent },
      });
      expect(await res.json()).toEqual({ accounts: [] });
      expect(sb.keys.subaccounts).toEqual({});
    } finally {
      await sb.close();
    }
  });
});
