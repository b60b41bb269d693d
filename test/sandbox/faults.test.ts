import { describe, expect, it } from "vitest";
import { isLoopback } from "../../sandbox/control.js";
import { DEMO, DEMO_KEYS } from "../../sandbox/index.js";
import { DV_BODY, errorCode, NOW, P, useSandbox } from "./helpers.js";

const ctx = useSandbox();
const K = DEMO_KEYS;

const createContract = () => ctx.call("POST", `${P}/acme`, { key: K.subFull, body: DV_BODY });
const contractsOf1001 = () => ctx.sb.store.contractsOf(DEMO.subFull).length;

describe("fault injection", () => {
  it("a 503 fault with times=2 answers 503 twice, then the request succeeds", async () => {
    const added = await ctx.call("POST", "/_sandbox/faults", {
      body: { operation: "get_account_reporting", kind: "status", status: 503, times: 2 },
    });
    expect(added.status).toBe(201);
    const go = () => ctx.call("GET", `${P}/account/reporting`, { key: K.parent });
    const first = await go();
    expect(first.status).toBe(503);
    expect(errorCode(first)).toBe("service_unavailable");
    expect((await go()).status).toBe(503);
    expect((await go()).status).toBe(200);
    expect(ctx.sb.stats.count("get_account_reporting")).toBe(3);
    expect(ctx.sb.stats.count("get_account_reporting", 503)).toBe(2);
    expect(ctx.sb.stats.count("get_account_reporting", 200)).toBe(1);
    expect(ctx.sb.faults.list()).toEqual([]);
  });

  it("a status fault does not touch state", async () => {
    ctx.sb.faults.add({ operation: "create_acme_contract", kind: "status", status: 500, times: 1 });
    const before = contractsOf1001();
    const r = await createContract();
    expect(r.status).toBe(500);
    expect(errorCode(r)).toBe("internal_error");
    expect(contractsOf1001()).toBe(before);
  });

  it("429 carries Retry-After", async () => {
    ctx.sb.faults.add({
      method: "GET",
      path: "/api-key",
      kind: "status",
      status: 429,
      retry_after_seconds: 7,
      times: 1,
    });
    const r = await ctx.call("GET", `${P}/api-key`, { key: K.parent });
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBe("7");
    expect(errorCode(r)).toBe("rate_limited");
    expect((await ctx.call("GET", `${P}/api-key`, { key: K.parent })).status).toBe(200);
  });

  it("reset drops the connection before processing: the client fails and nothing is written", async () => {
    ctx.sb.faults.add({ operation: "create_acme_contract", kind: "reset", times: 1 });
    const before = contractsOf1001();
    await expect(createContract()).rejects.toThrow();
    expect(contractsOf1001()).toBe(before);
    expect(ctx.sb.stats.count("create_acme_contract", "reset")).toBe(1);
  });

  it("reset_after_commit applies the write, then drops the connection (unknown outcome)", async () => {
    ctx.sb.faults.add({ operation: "create_acme_contract", kind: "reset_after_commit", times: 1 });
    const before = contractsOf1001();
    await expect(createContract()).rejects.toThrow();
    expect(contractsOf1001()).toBe(before + 1);
    expect(ctx.sb.stats.count("create_acme_contract")).toBe(1);
    expect(ctx.sb.stats.count("create_acme_contract", "reset_after_commit")).toBe(1);
    // the fault is spent: the next create answers normally
    expect((await createContract()).status).toBe(201);
    expect(ctx.sb.stats.count("create_acme_contract")).toBe(2);
  });

  it("latency delays the answer by delay_ms", async () => {
    ctx.sb.faults.add({ operation: "get_account_settings", kind: "latency", delay_ms: 300, times: 1 });
    const t0 = performance.now();
    const r = await ctx.call("GET", `${P}/account/settings`, { key: K.parent });
    expect(r.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    const t1 = performance.now();
    await ctx.call("GET", `${P}/account/settings`, { key: K.parent });
    expect(performance.now() - t1).toBeLessThan(250);
  });

  it("faults match by operation, method and path (with or without prefix, * for a prefix); others untouched", async () => {
    ctx.sb.faults.add({ path: "/acme/*", kind: "status", status: 502 });
    expect((await ctx.call("GET", `${P}/acme/${DEMO.contracts.dv}`, { key: K.subFull })).status).toBe(502);
    expect(
      (await ctx.call("GET", `${P}/acme/${DEMO.contracts.dv}/credentials`, { key: K.subFull })).status,
    ).toBe(502);
    expect((await ctx.call("GET", `${P}/api-key`, { key: K.subFull })).status).toBe(200);
    const cleared = await ctx.call("DELETE", "/_sandbox/faults");
    expect(cleared.status).toBe(204);
    expect((await ctx.call("GET", `${P}/acme/${DEMO.contracts.dv}`, { key: K.subFull })).status).toBe(200);
  });

  it("rejects an invalid fault spec with 400", async () => {
    const r = await ctx.call("POST", "/_sandbox/faults", {
      body: { operation: "no_such_op", kind: "status" },
    });
    expect(r.status).toBe(400);
    expect(r.json.errors[0].message).toMatch(/^operation:/);
    const kind = await ctx.call("POST", "/_sandbox/faults", { body: { kind: "explode" } });
    expect(kind.status).toBe(400);
  });
});

describe("control routes", () => {
  it("stats over HTTP count per operation and outcome; unknown routes count as unmatched", async () => {
    await ctx.call("GET", `${P}/api-key`, { key: K.parent });
    await ctx.call("GET", `${P}/api-key`);
    await ctx.call("GET", `${P}/nowhere`);
    const r = await ctx.call("GET", "/_sandbox/stats");
    expect(r.json).toEqual({
      total: 3,
      unmatched: 1,
      operations: { list_api_keys: { total: 2, outcomes: { "200": 1, "401": 1 } } },
    });
  });

  it("clock: advance and set move the sandbox time used by the API", async () => {
    const adv = await ctx.call("POST", "/_sandbox/clock", { body: { advance_ms: 86_400_000 } });
    expect(adv.json).toEqual({ now: "2026-03-02T12:00:00Z", epoch_ms: NOW + 86_400_000 });
    const created = await createContract();
    expect(created.json.created_at).toBe("2026-03-02T12:00:00Z");
    const set = await ctx.call("POST", "/_sandbox/clock", { body: { now: "2027-01-01T00:00:00Z" } });
    expect(set.json.now).toBe("2027-01-01T00:00:00Z");
    expect(ctx.sb.clock.now()).toBe(Date.parse("2027-01-01T00:00:00Z"));
    expect((await ctx.call("POST", "/_sandbox/clock", { body: { advance_ms: "x" } })).status).toBe(400);
  });

  it("reset restores the seed, clears faults and stats, and resets the clock", async () => {
    await createContract();
    ctx.sb.faults.add({ kind: "status", status: 500, path: "/never" });
    ctx.sb.clock.advance(1000);
    const r = await ctx.call("POST", "/_sandbox/reset");
    expect(r.status).toBe(200);
    expect(r.json.keys.parent).toBe(K.parent);
    expect(contractsOf1001()).toBe(4);
    expect(ctx.sb.faults.list()).toEqual([]);
    expect(ctx.sb.stats.snapshot().total).toBe(0);
    expect(ctx.sb.clock.now()).toBe(NOW);
    // ids restart too: the next contract gets the same id as in a fresh sandbox
    expect((await createContract()).json.acme_contract_id).toBe(20001);
  });

  it("control routes are not faulted, not counted, and unknown ones are 404", async () => {
    ctx.sb.faults.add({ kind: "status", status: 500 });
    expect((await ctx.call("GET", "/_sandbox/stats")).status).toBe(200);
    expect((await ctx.call("GET", "/_sandbox/keys")).json.keys.devkey).toBe(K.devkey);
    expect((await ctx.call("GET", "/_sandbox/nope")).status).toBe(404);
    expect(ctx.sb.stats.snapshot().total).toBe(0);
  });

  it("only loopback callers may use the control routes", () => {
    expect(isLoopback("127.0.0.1")).toBe(true);
    expect(isLoopback("::1")).toBe(true);
    expect(isLoopback("::ffff:127.0.0.1")).toBe(true);
    expect(isLoopback("10.0.0.5")).toBe(false);
    expect(isLoopback("::ffff:192.168.1.2")).toBe(false);
    expect(isLoopback(undefined)).toBe(false);
  });

  it("validate organization: unknown subaccount → 404; DV contract → 400", async () => {
    expect(
      (await ctx.call("POST", "/_sandbox/organizations/validate", { body: { account_id: 4242 } })).status,
    ).toBe(404);
    const dv = await ctx.call("POST", "/_sandbox/organizations/validate", {
      body: { account_id: DEMO.subFull, acme_contract_id: DEMO.contracts.dv },
    });
    expect(dv.status).toBe(400);
    const all = ctx.sb.validateOrganization({ account_id: DEMO.subFull, level: "none" });
    expect(all.map((o) => o.validation)).toEqual(["none", "none"]);
  });
});
