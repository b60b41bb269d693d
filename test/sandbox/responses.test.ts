import { describe, expect, it } from "vitest";
import { DEMO, DEMO_KEYS } from "../../sandbox/index.js";
import { OPERATIONS } from "../../src/operations/index.js";
import { CC, CONTACT, ORG, P, type Reply, useSandbox } from "./helpers.js";

const ctx = useSandbox();
const K = DEMO_KEYS;
const C = DEMO.contracts;

/** One successful call per catalog operation; the test below checks the table covers all of them. */
const HAPPY: Record<string, () => Promise<Reply>> = {
  list_api_keys: () => ctx.call("GET", `${P}/api-key`, { key: K.parent }),
  get_api_key: () => ctx.call("GET", `${P}/api-key/${DEMO.apiKeys.subFull}`, { key: K.parent }),
  create_api_key: () =>
    ctx.call("POST", `${P}/api-key/account/${DEMO.subFull}`, { key: K.parent, body: { name: "k" } }),
  set_api_key_status: () =>
    ctx.call("PUT", `${P}/api-key/${DEMO.apiKeys.subCertsInactive}/status`, {
      key: K.parent,
      body: { status: "active" },
    }),
  create_acme_contract: () =>
    ctx.call("POST", `${P}/acme`, {
      key: K.subFull,
      body: {
        product_name_id: "ssl_ev_basic",
        sans: ["ev.example.net"],
        organization: { ...ORG, verified_contacts: [CONTACT] },
      },
    }),
  get_acme_contract: () => ctx.call("GET", `${P}/acme/${C.ov}`, { key: K.subFull }),
  replace_acme_contract: () =>
    ctx.call("PUT", `${P}/acme/${C.ovOtherOrg}`, {
      key: K.subFull,
      body: { auto_renew: true, organization: ORG },
    }),
  update_acme_contract: () =>
    ctx.call("PATCH", `${P}/acme/${C.dv}`, { key: K.subFull, body: { auto_renew: true } }),
  cancel_acme_contract: () => ctx.call("DELETE", `${P}/acme/${C.betaActive}`, { key: K.subCanceled }),
  add_sans: () =>
    ctx.call("PUT", `${P}/acme/${C.dv}/sans`, { key: K.subFull, body: { sans: ["x.example.com"] } }),
  remove_sans: () =>
    ctx.call("DELETE", `${P}/acme/${C.dv}/sans`, { key: K.subFull, body: { sans: ["example.com"] } }),
  list_acme_certificates: () =>
    ctx.call("GET", `${P}/acme/${C.withCertificates}/certificates`, { key: K.subCerts }),
  list_acme_credentials: () =>
    ctx.call("GET", `${P}/acme/${C.withCertificates}/credentials`, { key: K.subCerts }),
  revoke_all_acme_credentials: () =>
    ctx.call("POST", `${P}/acme/${C.withCertificates}/credentials/revoke`, { key: K.subCerts }),
  revoke_acme_credential: () =>
    ctx.call("POST", `${P}/acme/${C.withCertificates}/credentials/revoke/${DEMO.credentials.active}`, {
      key: K.subCerts,
    }),
  regenerate_acme_credentials: () =>
    ctx.call("POST", `${P}/acme/${C.withCertificates}/credentials/regenerate`, {
      key: K.subCerts,
      body: { revoke_existing: true },
    }),
  create_subaccount: () =>
    ctx.call("POST", `${P}/account/subaccount`, {
      key: K.parent,
      body: { name: "n", api_key_name: "k", emergency_contact_emails: ["a@n.example"] },
    }),
  get_emergency_emails: () => ctx.call("GET", `${P}/account/emergency-emails`, { key: K.parent }),
  add_emergency_emails: () =>
    ctx.call("PUT", `${P}/account/emergency-emails`, {
      key: K.parent,
      body: { emergency_contact_emails: ["b@x.example"] },
    }),
  remove_emergency_emails: () =>
    ctx.call("DELETE", `${P}/account/emergency-emails`, {
      key: K.parent,
      body: { emergency_contact_emails: ["noc@partner.example"] },
    }),
  get_account_reporting: () => ctx.call("GET", `${P}/account/reporting`, { key: K.parent }),
  get_account_settings: () => ctx.call("GET", `${P}/account/settings`, { key: K.subCanceled }),
  update_account_setting: () =>
    ctx.call("PATCH", `${P}/account/settings`, {
      key: K.parent,
      body: { name: "auto_renew_subscription", value: "1" },
    }),
  link_billing_account: () =>
    ctx.call("PUT", `${P}/finance/account-link`, { key: K.subCerts, devkey: K.devkey }),
  get_subaccount_cost_report: () =>
    ctx.call("GET", `${CC}/account/subaccount/${DEMO.subCerts}/report`, { devkey: K.devkey }),
};

describe("every success body parses with the catalog's response schema", () => {
  it("covers every catalog operation", () => {
    expect(Object.keys(HAPPY).sort()).toEqual(OPERATIONS.map((op) => op.name).sort());
  });

  it.each(OPERATIONS.map((op) => [op.name, op] as const))("%s", async (name, op) => {
    const call = HAPPY[name];
    if (!call) throw new Error(`no happy-path call for ${name}`);
    const r = await call();
    expect(r.status >= 200 && r.status < 300, `${name} answered ${r.status}: ${r.text}`).toBe(true);
    expect(r.headers.get("x-sandbox-operation")).toBe(name);
    if (op.response === undefined) {
      expect(r.status).toBe(204);
      expect(r.text).toBe("");
    } else {
      expect(r.headers.get("content-type")).toMatch(/^application\/json/);
      const parsed = op.response.safeParse(r.json);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    }
    expect(ctx.sb.stats.count(name, r.status)).toBe(1);
  });
});
