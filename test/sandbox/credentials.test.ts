import { describe, expect, it } from "vitest";
import { DEMO, DEMO_KEYS } from "../../sandbox/index.js";
import { errorCode, P, useSandbox } from "./helpers.js";

const ctx = useSandbox();
const K = DEMO_KEYS;
const C = DEMO.contracts;
const base = `${P}/acme/${C.withCertificates}/credentials`;

async function list(path = base, key: string = K.subCerts) {
  return (await ctx.call("GET", path, { key })).json.credentials as {
    credential_id: number;
    kid_hint: string;
    status: string;
    created_at: string;
  }[];
}

describe("ACME credentials", () => {
  it("lists newest first with kid_hint and the quirky created_at format, never the HMAC", async () => {
    const r = await ctx.call("GET", base, { key: K.subCerts });
    expect(r.status).toBe(200);
    const creds = r.json.credentials;
    expect(creds.map((c: { credential_id: number }) => c.credential_id)).toEqual([40012, 40011, 40010]);
    expect(creds.map((c: { status: string }) => c.status)).toEqual(["active", "revoked", "revoked"]);
    expect(creds[0].created_at).toBe("2026-01-30 12:00:00");
    expect(creds[0].kid_hint).toMatch(/^[\w-]{4}$/);
    expect(Object.keys(creds[0]).sort()).toEqual(["created_at", "credential_id", "kid_hint", "status"]);
    const stored = ctx.sb.store.contracts.get(C.withCertificates)?.credentials.find((c) => c.id === 40012);
    expect(creds[0].kid_hint).toBe(stored?.kid.slice(-4));
    expect(r.text).not.toContain(stored?.hmacKey);
  });

  it("kid_hint of a new contract's credential is the last 4 of the kid returned at creation", async () => {
    const created = await ctx.call("POST", `${P}/acme`, {
      key: K.subFull,
      body: { product_name_id: "ssl_dv_rapidssl", sans: ["k.example.net"] },
    });
    const creds = await list(`${P}/acme/${created.json.acme_contract_id}/credentials`, K.subFull);
    expect(creds).toEqual([
      {
        credential_id: created.json.eab_set.credential_id,
        kid_hint: created.json.eab_set.kid.slice(-4),
        status: "active",
        created_at: "2026-03-01 12:00:00",
      },
    ]);
  });

  it("regenerate (default revoke_existing=true): 200 with a new eab_set, old ones revoked", async () => {
    const r = await ctx.call("POST", `${base}/regenerate`, { key: K.subCerts });
    expect(r.status).toBe(200);
    expect(r.json.acme_contract_id).toBe(C.withCertificates);
    expect(r.json.acme_directory_url).toMatch(/^https:\/\/acme\.sandbox\.invalid\//);
    expect(r.json.eab_set.hmac_key).toHaveLength(86);
    const creds = await list();
    expect(creds[0]).toMatchObject({ credential_id: r.json.eab_set.credential_id, status: "active" });
    expect(creds.filter((c) => c.status === "active")).toHaveLength(1);
    expect(creds).toHaveLength(4);
  });

  it("regenerate with revoke_existing=false keeps the old credential active", async () => {
    const r = await ctx.call("POST", `${base}/regenerate`, {
      key: K.subCerts,
      body: { revoke_existing: false },
    });
    expect(r.status).toBe(200);
    const active = (await list()).filter((c) => c.status === "active").map((c) => c.credential_id);
    expect(active).toEqual([r.json.eab_set.credential_id, 40012]);
  });

  it("revoke one → 204, idempotent; a credential of another contract → 404", async () => {
    const r = await ctx.call("POST", `${base}/revoke/40012`, { key: K.subCerts });
    expect(r.status).toBe(204);
    expect((await list()).every((c) => c.status === "revoked")).toBe(true);
    expect((await ctx.call("POST", `${base}/revoke/40012`, { key: K.subCerts })).status).toBe(204);
    const foreign = await ctx.call("POST", `${base}/revoke/40001`, { key: K.subCerts });
    expect(foreign.status).toBe(404);
    expect(errorCode(foreign)).toBe("not_found");
  });

  it("revoke all → 204 and idempotent; the contract stays active", async () => {
    expect((await ctx.call("POST", `${base}/revoke`, { key: K.subCerts })).status).toBe(204);
    expect((await ctx.call("POST", `${base}/revoke`, { key: K.subCerts })).status).toBe(204);
    expect((await list()).map((c) => c.status)).toEqual(["revoked", "revoked", "revoked"]);
    const contract = await ctx.call("GET", `${P}/acme/${C.withCertificates}`, { key: K.subCerts });
    expect(contract.json.date_canceled).toBeNull();
  });

  it("canceled contract: revoke and regenerate → 400 contract_canceled; list still works", async () => {
    const c = `${P}/acme/${C.canceled}/credentials`;
    for (const path of [`${c}/revoke`, `${c}/revoke/40005`, `${c}/regenerate`]) {
      const r = await ctx.call("POST", path, { key: K.subCanceled });
      expect(r.status, path).toBe(400);
      expect(errorCode(r)).toBe("contract_canceled");
    }
    expect(await list(c, K.subCanceled)).toHaveLength(1);
  });

  it("another subaccount's contract → 403, unknown contract → 404", async () => {
    expect((await ctx.call("GET", base, { key: K.subFull })).status).toBe(403);
    expect((await ctx.call("POST", `${base}/revoke`, { key: K.subFull })).status).toBe(403);
    expect((await ctx.call("GET", `${P}/acme/424242/credentials`, { key: K.subFull })).status).toBe(404);
  });
});

describe("credential ids", () => {
  it("the first credential created through the API is 50001 (seeded ids do not consume the counter)", async () => {
    const created = await ctx.call("POST", `${P}/acme`, {
      key: K.subFull,
      body: { product_name_id: "ssl_dv_rapidssl", sans: ["id.example.net"] },
    });
    expect(created.json.acme_contract_id).toBe(20001);
    expect(created.json.eab_set.credential_id).toBe(50001);
  });
});
