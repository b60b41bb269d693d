import { describe, expect, it } from "vitest";
import { DEMO, DEMO_KEYS } from "../../sandbox/index.js";
import { CC, errorCode, P, useSandbox } from "./helpers.js";

const ctx = useSandbox();
const K = DEMO_KEYS;
const report = (id: number, devkey: string = K.devkey) =>
  ctx.call("GET", `${CC}/account/subaccount/${id}/report`, { devkey });

describe("CertCentral subaccount cost report", () => {
  it("a subaccount with orders: subaccount_price and order_price", async () => {
    const r = await report(DEMO.subFull);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      subaccount_price: { cost: 3224, currency: "AUD" },
      order_price: { cost: 2180, currency: "USD" },
    });
  });

  it("a subaccount without orders: {} (price objects omitted)", async () => {
    const r = await report(DEMO.subCanceled);
    expect(r.status).toBe(200);
    expect(r.text).toBe("{}");
  });

  it("after a parent currency change: order_prices per currency", async () => {
    const r = await report(DEMO.subCerts);
    expect(r.json.order_prices).toEqual([
      { cost: 980, currency: "GBP" },
      { cost: 1210, currency: "USD" },
    ]);
    expect(r.json.order_price).toEqual({ cost: 1210, currency: "USD" });
  });

  it("an id that is not a subaccount of that CertCentral account → 404", async () => {
    const r = await report(DEMO.otherSub);
    expect(r.status).toBe(404);
    expect(errorCode(r)).toBe("not_found");
    expect((await report(DEMO.subFull, K.otherDevkey)).status).toBe(404);
    expect((await report(DEMO.otherSub, K.otherDevkey)).status).toBe(200);
  });

  it("a subaccount created through the API is known to the parent's billing account (no orders)", async () => {
    const created = await ctx.call("POST", `${P}/account/subaccount`, {
      key: K.parent,
      body: { name: "New", api_key_name: "k", emergency_contact_emails: ["a@new.example"] },
    });
    const r = await report(created.json.account_id);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({});
  });
});

describe("finance account link", () => {
  it("links the parent or a subaccount to the DEVKEY's CertCentral account (204, replaces)", async () => {
    expect(ctx.sb.store.account(DEMO.subCerts)?.billingLink).toBeNull();
    const r = await ctx.call("PUT", `${P}/finance/account-link`, { key: K.subCerts, devkey: K.devkey });
    expect(r.status).toBe(204);
    expect(ctx.sb.store.account(DEMO.subCerts)?.billingLink).toBe(DEMO.certCentral.billing);
    await ctx.call("PUT", `${P}/finance/account-link`, { key: K.subCerts, devkey: K.otherDevkey });
    expect(ctx.sb.store.account(DEMO.subCerts)?.billingLink).toBe(DEMO.certCentral.other);
    const parent = await ctx.call("PUT", `${P}/finance/account-link`, {
      key: K.parent,
      devkey: K.otherDevkey,
    });
    expect(parent.status).toBe(204);
    expect(ctx.sb.store.account(DEMO.parent)?.billingLink).toBe(DEMO.certCentral.other);
  });
});
