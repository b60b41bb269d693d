import { describe, expect, it } from "vitest";
import { checkHandlers, HANDLERS } from "../../sandbox/handlers/index.js";
import { DEMO, DEMO_KEYS } from "../../sandbox/index.js";
import { buildRoutes, Router } from "../../sandbox/router.js";
import { OPERATIONS, renderPath } from "../../src/operations/index.js";
import { errorCode, P, useSandbox } from "./helpers.js";

const ctx = useSandbox();
const SUB = DEMO_KEYS.subFull;

describe("routing derived from the catalog", () => {
  it("has one handler per catalog operation, bound to that operation", () => {
    expect(Object.keys(HANDLERS).sort()).toEqual(OPERATIONS.map((op) => op.name).sort());
    expect(() => checkHandlers()).not.toThrow();
    const { get_api_key: _dropped, ...missing } = HANDLERS;
    expect(() => checkHandlers(missing)).toThrow(/no handler for operation get_api_key/);
  });

  it("matches every operation's rendered path to that operation", () => {
    const router = new Router(buildRoutes());
    for (const op of OPERATIONS) {
      const params = Object.fromEntries(Object.keys(op.params.shape).map((k) => [k, 42]));
      const match = router.match(op.method, renderPath(op, params));
      expect(match.kind, op.name).toBe("route");
      if (match.kind === "route") expect(match.route.op.name).toBe(op.name);
    }
  });

  it("answers 404 not_found for an unknown route, in the error envelope", async () => {
    const r = await ctx.call("GET", `${P}/nothing-here`, { key: SUB });
    expect(r.status).toBe(404);
    expect(r.json).toEqual({
      errors: [{ code: "not_found", message: expect.stringContaining("/nothing-here") }],
    });
    expect((await ctx.call("GET", "/")).status).toBe(404);
  });

  it("answers 405 with Allow for a wrong method on a known path", async () => {
    const r = await ctx.call("POST", `${P}/account/reporting`, { key: DEMO_KEYS.parent });
    expect(r.status).toBe(405);
    expect(errorCode(r)).toBe("method_not_allowed");
    expect(r.headers.get("allow")).toBe("GET");
    const multi = await ctx.call("POST", `${P}/account/emergency-emails`, { key: SUB });
    expect(multi.headers.get("allow")?.split(", ").sort()).toEqual(["DELETE", "GET", "PUT"]);
  });

  it("tolerates one trailing slash", async () => {
    const r = await ctx.call("GET", `${P}/acme/${DEMO.contracts.dv}/`, { key: SUB });
    expect(r.status).toBe(200);
    expect(r.json.acme_contract_id).toBe(DEMO.contracts.dv);
  });

  it.each([
    ["abc", "must be a number"],
    ["1.5", "whole number"],
    ["0", "positive"],
    ["-4", "positive"],
    ["1e3", "must be a number"],
    ["99999999999999999999", "whole number"],
  ])("rejects path id %s with 400 naming the parameter", async (id, rule) => {
    const r = await ctx.call("GET", `${P}/acme/${id}`, { key: SUB });
    expect(r.status).toBe(400);
    expect(errorCode(r)).toBe("invalid_request");
    expect(r.json.errors[0].message).toContain("acme_contract_id");
    expect(r.json.errors[0].message).toContain(rule);
  });

  it("checks the key before the path id (401 wins over 400)", async () => {
    expect((await ctx.call("GET", `${P}/acme/abc`)).status).toBe(401);
  });

  it("answers 400 bad_request_format for malformed JSON and for a non-object body", async () => {
    const bad = await ctx.call("POST", `${P}/acme`, { key: SUB, raw: '{"product_name_id": ' });
    expect(bad.status).toBe(400);
    expect(errorCode(bad)).toBe("bad_request_format");
    const arr = await ctx.call("POST", `${P}/acme`, { key: SUB, raw: "[1,2]" });
    expect(arr.status).toBe(400);
    expect(errorCode(arr)).toBe("bad_request_format");
  });

  it("validates bodies with the operation's strict schema, listing each field and rule", async () => {
    const r = await ctx.call("POST", `${P}/acme`, {
      key: SUB,
      body: { product_name_id: "ssl_dv_rapidssl", sans: ["ok.example.com", "not a domain"], colour: "red" },
    });
    expect(r.status).toBe(400);
    const messages: string[] = r.json.errors.map((e: { message: string }) => e.message);
    expect(messages.some((m) => m.startsWith("sans.1:") && m.includes("not a domain"))).toBe(true);
    expect(messages.some((m) => m.includes("colour"))).toBe(true);
    const missing = await ctx.call("POST", `${P}/acme`, { key: SUB, body: { sans: ["a.example.com"] } });
    expect(missing.status).toBe(400);
    expect(missing.json.errors[0].message).toMatch(/^product_name_id:/);
  });

  it("rejects a body over 1 MiB with 413", async () => {
    const r = await ctx.call("POST", `${P}/acme`, { key: SUB, raw: `{"x":"${"a".repeat(1_100_000)}"}` });
    expect(r.status).toBe(413);
    expect(errorCode(r)).toBe("request_too_large");
  });

  it("ignores unknown query parameters", async () => {
    const r = await ctx.call("GET", `${P}/api-key?page=2&sort=x`, { key: SUB });
    expect(r.status).toBe(200);
  });
});
