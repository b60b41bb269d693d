import { describe, expect, it } from "vitest";
import { DEMO, DEMO_KEYS, EXAMPLE_CORP } from "../../sandbox/index.js";
import { CONTACT, DV_BODY, errorCode, NOW, ORG, P, useSandbox } from "./helpers.js";

const ctx = useSandbox();
const K = DEMO_KEYS;
const C = DEMO.contracts;
const DAY = 86_400_000;

async function create(body: unknown, key: string = K.subFull) {
  return ctx.call("POST", `${P}/acme`, { key, body });
}

describe("create and get ACME contracts", () => {
  it("creates a DV contract: 201, normalised SANs, one-year term, credential and directory URL", async () => {
    const r = await create({
      product_name_id: "ssl_dv_rapidssl",
      sans: ["WWW.New.Example.NET.", "www.new.example.net"],
    });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      account_id: DEMO.subFull,
      product_name_id: "ssl_dv_rapidssl",
      created_at: "2026-03-01T12:00:00Z",
      valid_till: "2027-03-01T12:00:00Z",
      sans: ["www.new.example.net"],
      organization: null,
      is_organization_validated: false,
      auto_renew: false,
      date_canceled: null,
    });
    expect(r.json.acme_directory_url).toMatch(
      /^https:\/\/acme\.sandbox\.invalid\/v2\/acme\/directory\/\w{24}$/,
    );
    expect(r.json.eab_set.kid).toMatch(/^[\w-]{43}$/);
    expect(r.json.eab_set.hmac_key).toMatch(/^[\w-]{86}$/);
    const got = await ctx.call("GET", `${P}/acme/${r.json.acme_contract_id}`, { key: K.subFull });
    expect(got.status).toBe(200);
    const { acme_directory_url: _u, eab_set: _e, ...contract } = r.json;
    expect(got.json).toEqual(contract);
    expect(got.text).not.toContain(r.json.eab_set.hmac_key);
  });

  it("ignores an organization on DV (stored null)", async () => {
    const r = await create({ ...DV_BODY, organization: ORG });
    expect(r.status).toBe(201);
    expect(r.json.organization).toBeNull();
  });

  it("OV needs organization (400 organization_required); EV also verified_contacts", async () => {
    const ov = await create({ product_name_id: "ssl_basic", sans: ["ov.example.net"] });
    expect(ov.status).toBe(400);
    expect(errorCode(ov)).toBe("organization_required");
    const ev = await create({ product_name_id: "ssl_ev_basic", sans: ["ev.example.net"], organization: ORG });
    expect(ev.status).toBe(400);
    expect(errorCode(ev)).toBe("verified_contacts_required");
    const evOk = await create({
      product_name_id: "ssl_ev_basic",
      sans: ["ev.example.net"],
      organization: { ...ORG, verified_contacts: [CONTACT] },
    });
    expect(evOk.status).toBe(201);
    expect(evOk.json.organization).toEqual({
      name: "New Org Inc.",
      address: "1 Elm Street",
      city: "Boston",
      state: "MA",
      zip: "02108",
      country: "US",
      telephone: "+1-555-0124",
    });
    expect(evOk.json.is_organization_validated).toBe(false);
  });

  it("a new OV contract with the details of an already validated organization is validated", async () => {
    const org = { ...ORG, ...EXAMPLE_CORP };
    const r = await create({ product_name_id: "ssl_basic", sans: ["more.example.com"], organization: org });
    expect(r.status).toBe(201);
    expect(r.json.is_organization_validated).toBe(true);
  });

  it("rejects a product outside the allow-list with 400 invalid_product", async () => {
    const r = await create({ product_name_id: "ssl_securesite_pro", sans: ["x.example.net"] });
    expect(r.status).toBe(400);
    expect(errorCode(r)).toBe("invalid_product");
  });

  it("rejects more than 250 SANs in one request with san_limit_exceeded", async () => {
    const sans = Array.from({ length: 251 }, (_, i) => `h${i}.example.net`);
    const r = await create({ product_name_id: "ssl_dv_rapidssl", sans });
    expect(r.status).toBe(400);
    expect(errorCode(r)).toBe("san_limit_exceeded");
  });

  it("auto_renew defaults to the account's auto_renew_subscription setting; an explicit value wins", async () => {
    expect((await create(DV_BODY)).json.auto_renew).toBe(false);
    // Beta Shop (1002) has the override "1"
    expect((await create(DV_BODY, K.subCanceled)).json.auto_renew).toBe(true);
    expect((await create({ ...DV_BODY, auto_renew: false }, K.subCanceled)).json.auto_renew).toBe(false);
    const set = await ctx.call("PATCH", `${P}/account/settings`, {
      key: K.subFull,
      body: { name: "auto_renew_subscription", value: "1" },
    });
    expect(set.status).toBe(200);
    expect((await create(DV_BODY)).json.auto_renew).toBe(true);
  });

  it("GET: unknown → 404, another subaccount's or tenant's contract → 403, canceled still readable", async () => {
    const missing = await ctx.call("GET", `${P}/acme/999999`, { key: K.subFull });
    expect(missing.status).toBe(404);
    expect(errorCode(missing)).toBe("not_found");
    for (const id of [C.canceled, C.otherTenant]) {
      const r = await ctx.call("GET", `${P}/acme/${id}`, { key: K.subFull });
      expect(r.status).toBe(403);
      expect(errorCode(r)).toBe("access_denied");
    }
    const canceled = await ctx.call("GET", `${P}/acme/${C.canceled}`, { key: K.subCanceled });
    expect(canceled.json).toMatchObject({
      sans: [],
      auto_renew: false,
      date_canceled: "2026-01-15T12:00:00Z",
    });
  });

  it("shows OV/EV validation as seeded: EV validation covers both", async () => {
    const ov = await ctx.call("GET", `${P}/acme/${C.ov}`, { key: K.subFull });
    const ev = await ctx.call("GET", `${P}/acme/${C.ev}`, { key: K.subFull });
    expect(ov.json.is_organization_validated).toBe(true);
    expect(ev.json.is_organization_validated).toBe(true);
    expect(ov.json.organization.name).toBe("Example Corporation");
    expect(ov.json.organization).not.toHaveProperty("organization_contact");
  });
});

describe("PUT (replace) and PATCH (partial update)", () => {
  it("PUT resets an omitted auto_renew to false", async () => {
    const before = await ctx.call("GET", `${P}/acme/${C.betaActive}`, { key: K.subCanceled });
    expect(before.json.auto_renew).toBe(true);
    const r = await ctx.call("PUT", `${P}/acme/${C.betaActive}`, { key: K.subCanceled, body: {} });
    expect(r.status).toBe(200);
    expect(r.json.auto_renew).toBe(false);
    const on = await ctx.call("PUT", `${P}/acme/${C.betaActive}`, {
      key: K.subCanceled,
      body: { auto_renew: true },
    });
    expect(on.json.auto_renew).toBe(true);
  });

  it("PUT on OV/EV without organization → 400 organization_required; EV needs verified_contacts", async () => {
    const ov = await ctx.call("PUT", `${P}/acme/${C.ov}`, { key: K.subFull, body: { auto_renew: true } });
    expect(ov.status).toBe(400);
    expect(errorCode(ov)).toBe("organization_required");
    const ev = await ctx.call("PUT", `${P}/acme/${C.ev}`, { key: K.subFull, body: { organization: ORG } });
    expect(ev.status).toBe(400);
    expect(errorCode(ev)).toBe("verified_contacts_required");
  });

  it("changing organization details un-validates every contract sharing that organization, not others", async () => {
    const r = await ctx.call("PATCH", `${P}/acme/${C.ov}`, {
      key: K.subFull,
      body: { organization: { address: "500 New Road" } },
    });
    expect(r.status).toBe(200);
    expect(r.json.organization).toMatchObject({
      name: "Example Corporation",
      address: "500 New Road",
      city: "San Francisco",
    });
    expect(r.json.is_organization_validated).toBe(false);
    expect(r.json.auto_renew).toBe(true); // PATCH keeps omitted fields
    const ev = await ctx.call("GET", `${P}/acme/${C.ev}`, { key: K.subFull });
    expect(ev.json.is_organization_validated).toBe(false);
    expect(ev.json.organization.address).toBe("500 New Road");
    const other = await ctx.call("GET", `${P}/acme/${C.ovOtherOrg}`, { key: K.subFull });
    expect(other.json.is_organization_validated).toBe(true);
  });

  it("changing only contacts keeps validation", async () => {
    const r = await ctx.call("PATCH", `${P}/acme/${C.ov}`, {
      key: K.subFull,
      body: { organization: { organization_contact: CONTACT, technical_contact: CONTACT } },
    });
    expect(r.status).toBe(200);
    expect(r.json.is_organization_validated).toBe(true);
    const ev = await ctx.call("GET", `${P}/acme/${C.ev}`, { key: K.subFull });
    expect(ev.json.is_organization_validated).toBe(true);
  });

  it("PUT with the same details (different case/spacing) keeps validation; new details drop it", async () => {
    const same = {
      ...EXAMPLE_CORP,
      name: "example corporation ",
      address: "123  Main Street",
      organization_contact: CONTACT,
    };
    const keep = await ctx.call("PUT", `${P}/acme/${C.ov}`, { key: K.subFull, body: { organization: same } });
    expect(keep.status).toBe(200);
    expect(keep.json.is_organization_validated).toBe(true);
    expect(keep.json.auto_renew).toBe(false);
    const change = await ctx.call("PUT", `${P}/acme/${C.ov}`, {
      key: K.subFull,
      body: { organization: { ...same, name: "Example Corporation International" }, auto_renew: true },
    });
    expect(change.json.is_organization_validated).toBe(false);
    expect(change.json.auto_renew).toBe(true);
    expect(
      (await ctx.call("GET", `${P}/acme/${C.ev}`, { key: K.subFull })).json.is_organization_validated,
    ).toBe(false);
  });

  it("a sandbox validation (control) re-validates the organization for all its contracts", async () => {
    await ctx.call("PATCH", `${P}/acme/${C.ov}`, {
      key: K.subFull,
      body: { organization: { zip: "94106" } },
    });
    const v = await ctx.call("POST", "/_sandbox/organizations/validate", {
      body: { account_id: DEMO.subFull, acme_contract_id: C.ov, level: "OV" },
    });
    expect(v.status).toBe(200);
    expect(v.json.organizations[0].acme_contract_ids).toEqual([C.ov, C.ev]);
    expect(
      (await ctx.call("GET", `${P}/acme/${C.ov}`, { key: K.subFull })).json.is_organization_validated,
    ).toBe(true);
    // OV validation is not enough for EV
    expect(
      (await ctx.call("GET", `${P}/acme/${C.ev}`, { key: K.subFull })).json.is_organization_validated,
    ).toBe(false);
  });

  it("PATCH with an empty body → 400; PATCH auto_renew only changes auto_renew", async () => {
    const empty = await ctx.call("PATCH", `${P}/acme/${C.dv}`, { key: K.subFull, body: {} });
    expect(empty.status).toBe(400);
    expect(errorCode(empty)).toBe("invalid_request");
    const r = await ctx.call("PATCH", `${P}/acme/${C.dv}`, { key: K.subFull, body: { auto_renew: true } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      auto_renew: true,
      sans: ["example.com", "www.example.com", "*.example.com"],
    });
  });

  it("PUT/PATCH on a canceled contract → 400 contract_canceled", async () => {
    for (const method of ["PUT", "PATCH"]) {
      const r = await ctx.call(method, `${P}/acme/${C.canceled}`, {
        key: K.subCanceled,
        body: { auto_renew: true },
      });
      expect(r.status).toBe(400);
      expect(errorCode(r)).toBe("contract_canceled");
    }
  });
});

describe("cancel", () => {
  it("cancels within 30 days: 204, date_canceled set, SANs released, auto_renew off, credentials revoked", async () => {
    const created = await ctx.call("POST", `${P}/acme`, {
      key: K.subFull,
      body: { ...DV_BODY, auto_renew: true },
    });
    const id = created.json.acme_contract_id;
    ctx.sb.clock.advance(30 * DAY);
    const r = await ctx.call("DELETE", `${P}/acme/${id}`, { key: K.subFull });
    expect(r.status).toBe(204);
    const got = await ctx.call("GET", `${P}/acme/${id}`, { key: K.subFull });
    expect(got.json).toMatchObject({ sans: [], auto_renew: false, date_canceled: "2026-03-31T12:00:00Z" });
    const creds = await ctx.call("GET", `${P}/acme/${id}/credentials`, { key: K.subFull });
    expect(creds.json.credentials.map((c: { status: string }) => c.status)).toEqual(["revoked"]);
    const again = await ctx.call("DELETE", `${P}/acme/${id}`, { key: K.subFull });
    expect(again.status).toBe(400);
    expect(errorCode(again)).toBe("contract_canceled");
  });

  it("refuses after 30 days with 400 cancellation_window_expired (clock moved)", async () => {
    const created = await ctx.call("POST", `${P}/acme`, { key: K.subFull, body: DV_BODY });
    ctx.sb.clock.advance(30 * DAY + 1000);
    const r = await ctx.call("DELETE", `${P}/acme/${created.json.acme_contract_id}`, { key: K.subFull });
    expect(r.status).toBe(400);
    expect(errorCode(r)).toBe("cancellation_window_expired");
    expect(ctx.sb.store.contracts.get(created.json.acme_contract_id)?.canceledAt).toBeNull();
  });

  it("the demo's 40-day-old DV contract cannot be canceled, the 20-day-old OV one can", async () => {
    expect(errorCode(await ctx.call("DELETE", `${P}/acme/${C.dv}`, { key: K.subFull }))).toBe(
      "cancellation_window_expired",
    );
    expect((await ctx.call("DELETE", `${P}/acme/${C.ov}`, { key: K.subFull })).status).toBe(204);
  });
});

describe("SANs", () => {
  it("adds SANs (dedup, normalised) and removes them", async () => {
    const add = await ctx.call("PUT", `${P}/acme/${C.dv}/sans`, {
      key: K.subFull,
      body: { sans: ["API.example.com", "www.example.com"] },
    });
    expect(add.status).toBe(204);
    let got = await ctx.call("GET", `${P}/acme/${C.dv}`, { key: K.subFull });
    expect(got.json.sans).toEqual(["example.com", "www.example.com", "*.example.com", "api.example.com"]);
    const remove = await ctx.call("DELETE", `${P}/acme/${C.dv}/sans`, {
      key: K.subFull,
      body: { sans: ["www.example.com", "absent.example.com"] },
    });
    expect(remove.status).toBe(204);
    got = await ctx.call("GET", `${P}/acme/${C.dv}`, { key: K.subFull });
    expect(got.json.sans).toEqual(["example.com", "*.example.com", "api.example.com"]);
  });

  it("more than 250 SANs in total → 400 san_limit_exceeded", async () => {
    const first = Array.from({ length: 247 }, (_, i) => `n${i}.example.com`);
    expect(
      (await ctx.call("PUT", `${P}/acme/${C.dv}/sans`, { key: K.subFull, body: { sans: first } })).status,
    ).toBe(204);
    expect(ctx.sb.store.contracts.get(C.dv)?.sans).toHaveLength(250);
    const r = await ctx.call("PUT", `${P}/acme/${C.dv}/sans`, {
      key: K.subFull,
      body: { sans: ["one-more.example.com"] },
    });
    expect(r.status).toBe(400);
    expect(errorCode(r)).toBe("san_limit_exceeded");
    expect(ctx.sb.store.contracts.get(C.dv)?.sans).toHaveLength(250);
  });

  it("removing every SAN → 400 last_san", async () => {
    const r = await ctx.call("DELETE", `${P}/acme/${C.dv}/sans`, {
      key: K.subFull,
      body: { sans: ["example.com", "www.example.com", "*.example.com"] },
    });
    expect(r.status).toBe(400);
    expect(errorCode(r)).toBe("last_san");
    expect(ctx.sb.store.contracts.get(C.dv)?.sans).toHaveLength(3);
  });

  it("SAN changes on a canceled contract → 400 contract_canceled", async () => {
    for (const method of ["PUT", "DELETE"]) {
      const r = await ctx.call(method, `${P}/acme/${C.canceled}/sans`, {
        key: K.subCanceled,
        body: { sans: ["old.betashop.example"] },
      });
      expect(r.status).toBe(400);
      expect(errorCode(r)).toBe("contract_canceled");
    }
  });
});

describe("certificates", () => {
  it("lists seeded certificate records; a new contract has none; control route adds some", async () => {
    const r = await ctx.call("GET", `${P}/acme/${C.withCertificates}/certificates`, { key: K.subCerts });
    expect(r.status).toBe(200);
    expect(r.json.certificates.map((c: { status: string }) => c.status)).toEqual([
      "issued",
      "revoked",
      "expired",
    ]);
    expect(r.json.certificates[0]).toEqual({
      domain: "delta.example",
      status: "issued",
      expiration_date: new Date(NOW + 60 * DAY).toISOString().replace(".000Z", "Z"),
      serial_number: "0A1B2C3D4E5F60718293A4B5C6D7E8F9",
      sans: ["delta.example", "www.delta.example"],
    });
    const empty = await ctx.call("GET", `${P}/acme/${C.dv}/certificates`, { key: K.subFull });
    expect(empty.json).toEqual({ certificates: [] });
    const add = await ctx.call("POST", "/_sandbox/certificates", {
      body: {
        acme_contract_id: C.dv,
        certificates: [{ domain: "example.com", serial_number: "abcdef0123456789" }],
      },
    });
    expect(add.status).toBe(201);
    const after = await ctx.call("GET", `${P}/acme/${C.dv}/certificates`, { key: K.subFull });
    expect(after.json.certificates).toEqual([
      {
        domain: "example.com",
        status: "issued",
        expiration_date: "2026-05-30T12:00:00Z",
        serial_number: "ABCDEF0123456789",
        sans: ["example.com"],
      },
    ]);
  });
});
