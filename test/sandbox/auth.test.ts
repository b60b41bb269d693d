import { describe, expect, it } from "vitest";
import { DEMO, DEMO_KEYS } from "../../sandbox/index.js";
import { CC, DV_BODY, errorCode, P, useSandbox } from "./helpers.js";

const ctx = useSandbox();
const K = DEMO_KEYS;

describe("authentication", () => {
  it("401 unauthorized without X-PARTNER-APIKEY, with an unknown key, with an inactive key", async () => {
    for (const key of [undefined, "not-a-key", K.inactive]) {
      const r = await ctx.call("GET", `${P}/api-key`, { key });
      expect(r.status, String(key)).toBe(401);
      expect(errorCode(r)).toBe("unauthorized");
    }
  });

  it("matches the header name case-insensitively", async () => {
    const r = await ctx.call("GET", `${P}/api-key`, { headers: { "x-PaRtNeR-apikey": K.subFull } });
    expect(r.status).toBe(200);
  });

  it("a key deactivated through the API stops authenticating at once", async () => {
    const off = await ctx.call("PUT", `${P}/api-key/${DEMO.apiKeys.subEmpty}/status`, {
      key: K.parent,
      body: { status: "inactive" },
    });
    expect(off.status).toBe(204);
    expect((await ctx.call("GET", `${P}/account/settings`, { key: K.subEmpty })).status).toBe(401);
  });

  it("records last_used_date on the key that authenticated", async () => {
    await ctx.call("GET", `${P}/account/settings`, { key: K.subEmpty });
    const r = await ctx.call("GET", `${P}/api-key/${DEMO.apiKeys.subEmpty}`, { key: K.parent });
    expect(r.json.last_used_date).toBe("2026-03-01T12:00:00Z");
    const never = await ctx.call("GET", `${P}/api-key/${DEMO.apiKeys.subCerts}`, { key: K.parent });
    expect(never.json.last_used_date).toBeNull();
  });
});

describe("key scope", () => {
  it("403 for the parent key on every /acme route", async () => {
    const c = DEMO.contracts.dv;
    const routes: [string, string, unknown?][] = [
      ["POST", "/acme", DV_BODY],
      ["GET", `/acme/${c}`],
      ["PUT", `/acme/${c}`, {}],
      ["PATCH", `/acme/${c}`, { auto_renew: true }],
      ["DELETE", `/acme/${c}`],
      ["PUT", `/acme/${c}/sans`, { sans: ["x.example.com"] }],
      ["DELETE", `/acme/${c}/sans`, { sans: ["x.example.com"] }],
      ["GET", `/acme/${c}/certificates`],
      ["GET", `/acme/${c}/credentials`],
      ["POST", `/acme/${c}/credentials/revoke`],
      ["POST", `/acme/${c}/credentials/revoke/40001`],
      ["POST", `/acme/${c}/credentials/regenerate`, {}],
    ];
    for (const [method, path, body] of routes) {
      const r = await ctx.call(method, P + path, { key: K.parent, body });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(errorCode(r)).toBe("access_denied");
    }
    // nothing was changed by the refused calls
    expect(ctx.sb.store.contracts.get(c)?.canceledAt).toBeNull();
  });

  it("403 for a subaccount key on create subaccount, reporting and create API key", async () => {
    const cases: [string, string, unknown?][] = [
      [
        "POST",
        "/account/subaccount",
        { name: "x", api_key_name: "k", emergency_contact_emails: ["a@b.example"] },
      ],
      ["GET", "/account/reporting"],
      ["POST", `/api-key/account/${DEMO.subFull}`, { name: "k" }],
    ];
    for (const [method, path, body] of cases) {
      const r = await ctx.call(method, P + path, { key: K.subFull, body });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(errorCode(r)).toBe("access_denied");
    }
  });

  it("parent and subaccount keys both work on the 'any' routes, each on its own account", async () => {
    const parent = await ctx.call("GET", `${P}/account/emergency-emails`, { key: K.parent });
    const sub = await ctx.call("GET", `${P}/account/emergency-emails`, { key: K.subCanceled });
    expect(parent.json.emergency_contact_emails).toEqual(["security@partner.example", "noc@partner.example"]);
    expect(sub.json.emergency_contact_emails).toEqual(["security@betashop.example", "it@betashop.example"]);
  });
});

describe("finance and CertCentral headers", () => {
  it("PUT /finance/account-link needs a valid X-DC-DEVKEY besides the Partner key", async () => {
    const none = await ctx.call("PUT", `${P}/finance/account-link`, { key: K.subFull });
    expect(none.status).toBe(400);
    expect(errorCode(none)).toBe("invalid_certcentral_api_key");
    const bad = await ctx.call("PUT", `${P}/finance/account-link`, { key: K.subFull, devkey: "nope" });
    expect(bad.status).toBe(400);
    expect(errorCode(bad)).toBe("invalid_certcentral_api_key");
    const noPartner = await ctx.call("PUT", `${P}/finance/account-link`, { devkey: K.devkey });
    expect(noPartner.status).toBe(401);
    const ok = await ctx.call("PUT", `${P}/finance/account-link`, { key: K.subFull, devkey: K.otherDevkey });
    expect(ok.status).toBe(204);
    expect(ok.text).toBe("");
    expect(ctx.sb.store.account(DEMO.subFull)?.billingLink).toBe(DEMO.certCentral.other);
  });

  it("the CertCentral report needs only X-DC-DEVKEY: missing or unknown → 401", async () => {
    const path = `${CC}/account/subaccount/${DEMO.subFull}/report`;
    expect((await ctx.call("GET", path)).status).toBe(401);
    expect((await ctx.call("GET", path, { devkey: "unknown" })).status).toBe(401);
    expect(errorCode(await ctx.call("GET", path, { key: K.parent }))).toBe("unauthorized");
    expect((await ctx.call("GET", path, { devkey: K.devkey })).status).toBe(200);
  });
});
