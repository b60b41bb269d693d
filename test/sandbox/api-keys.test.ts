import { describe, expect, it } from "vitest";
import { DEMO, DEMO_KEYS } from "../../sandbox/index.js";
import { errorCode, P, useSandbox } from "./helpers.js";

const ctx = useSandbox();
const K = DEMO_KEYS;
const A = DEMO.apiKeys;

describe("API keys", () => {
  it("parent lists its own and all its subaccounts' keys (not another tenant's), by id, with last4 only", async () => {
    const r = await ctx.call("GET", `${P}/api-key`, { key: K.parent });
    expect(r.status).toBe(200);
    const ids = r.json.api_keys.map((k: { id: number }) => k.id);
    expect(ids).toEqual([A.parent, A.subFull, A.subCanceled, A.subEmpty, A.subCerts, A.subCertsInactive]);
    const inactive = r.json.api_keys.find((k: { id: number }) => k.id === A.subCertsInactive);
    expect(inactive).toEqual({
      id: A.subCertsInactive,
      name: "Delta Certs old key",
      account_id: DEMO.subCerts,
      status: "inactive",
      created_at: "2025-05-05T12:00:00Z",
      last_used_date: null,
      api_key_last4: "tive",
    });
    for (const secret of Object.values(K)) expect(r.text).not.toContain(secret);
  });

  it("a subaccount lists only its own keys", async () => {
    const r = await ctx.call("GET", `${P}/api-key`, { key: K.subCerts });
    expect(r.json.api_keys.map((k: { id: number }) => k.id)).toEqual([A.subCerts, A.subCertsInactive]);
  });

  it("get: own → 200, subaccount's via parent → 200, sibling's → 403, other tenant's → 403, unknown → 404", async () => {
    expect((await ctx.call("GET", `${P}/api-key/${A.subFull}`, { key: K.subFull })).json.account_id).toBe(
      DEMO.subFull,
    );
    expect((await ctx.call("GET", `${P}/api-key/${A.subFull}`, { key: K.parent })).status).toBe(200);
    const sibling = await ctx.call("GET", `${P}/api-key/${A.subCanceled}`, { key: K.subFull });
    expect(sibling.status).toBe(403);
    expect(errorCode(sibling)).toBe("access_denied");
    expect((await ctx.call("GET", `${P}/api-key/${A.parent}`, { key: K.subFull })).status).toBe(403);
    expect((await ctx.call("GET", `${P}/api-key/${A.otherSub}`, { key: K.parent })).status).toBe(403);
    const missing = await ctx.call("GET", `${P}/api-key/987654`, { key: K.parent });
    expect(missing.status).toBe(404);
    expect(errorCode(missing)).toBe("not_found");
  });

  it("create for a subaccount: 201 with the secret once; it authenticates; later reads show last4 only", async () => {
    const r = await ctx.call("POST", `${P}/api-key/account/${DEMO.subEmpty}`, {
      key: K.parent,
      body: { name: "CI key" },
    });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      name: "CI key",
      account_id: DEMO.subEmpty,
      status: "active",
      last_used_date: null,
    });
    expect(r.json.api_key).toMatch(/^sbx_[0-9A-Za-z]{40}$/);
    expect(r.json.api_key_last4).toBe(r.json.api_key.slice(-4));
    const use = await ctx.call("GET", `${P}/account/emergency-emails`, { key: r.json.api_key });
    expect(use.json.emergency_contact_emails).toEqual(["admin@gammalabs.example"]);
    const got = await ctx.call("GET", `${P}/api-key/${r.json.id}`, { key: K.parent });
    expect(got.json).not.toHaveProperty("api_key");
    expect(got.text).not.toContain(r.json.api_key);
    const listed = await ctx.call("GET", `${P}/api-key`, { key: K.parent });
    expect(listed.text).not.toContain(r.json.api_key);
  });

  it("create: unknown account → 404, not own subaccount (parent itself, other tenant) → 403, empty name → 400", async () => {
    expect(
      (await ctx.call("POST", `${P}/api-key/account/555555`, { key: K.parent, body: { name: "x" } })).status,
    ).toBe(404);
    expect(
      (await ctx.call("POST", `${P}/api-key/account/${DEMO.parent}`, { key: K.parent, body: { name: "x" } }))
        .status,
    ).toBe(403);
    expect(
      (
        await ctx.call("POST", `${P}/api-key/account/${DEMO.otherSub}`, {
          key: K.parent,
          body: { name: "x" },
        })
      ).status,
    ).toBe(403);
    const empty = await ctx.call("POST", `${P}/api-key/account/${DEMO.subFull}`, {
      key: K.parent,
      body: { name: "" },
    });
    expect(empty.status).toBe(400);
    expect(empty.json.errors[0].message).toMatch(/^name:/);
  });

  it("status: 204; subaccount can change its own; sibling → 403; bad value → 400", async () => {
    const r = await ctx.call("PUT", `${P}/api-key/${A.subCertsInactive}/status`, {
      key: K.subCerts,
      body: { status: "active" },
    });
    expect(r.status).toBe(204);
    expect((await ctx.call("GET", `${P}/api-key`, { key: K.inactive })).status).toBe(200);
    expect(
      (
        await ctx.call("PUT", `${P}/api-key/${A.subFull}/status`, {
          key: K.subCerts,
          body: { status: "inactive" },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await ctx.call("PUT", `${P}/api-key/${A.otherParent}/status`, {
          key: K.parent,
          body: { status: "inactive" },
        })
      ).status,
    ).toBe(403);
    const bad = await ctx.call("PUT", `${P}/api-key/${A.subFull}/status`, {
      key: K.parent,
      body: { status: "paused" },
    });
    expect(bad.status).toBe(400);
    expect(ctx.sb.store.apiKeys.get(A.subFull)?.status).toBe("active");
  });
});
