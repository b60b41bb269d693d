import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { credentialTime, iso } from "../../sandbox/clock.js";
import { GENERATED_KEY, generateData } from "../../sandbox/generate.js";
import { reportingJson } from "../../sandbox/handlers/account.js";
import { DEMO, startSandbox } from "../../sandbox/index.js";
import { seedStore } from "../../sandbox/seed.js";
import { Store } from "../../sandbox/store.js";
import { reportingContractJson, reportingContractView } from "../../sandbox/views.js";
import { reporting } from "../../src/schemas/entities.js";
import { NOW, P } from "./helpers.js";

function build(subaccounts: number, contractsPerSubaccount: number): Store {
  const store = new Store();
  seedStore(store, "demo", NOW);
  generateData(store, DEMO.parent, { subaccounts, contractsPerSubaccount }, NOW);
  return store;
}

describe("generated data", () => {
  it("is deterministic: two builds give byte-identical reporting", () => {
    const one = build(300, 4);
    const two = build(300, 4);
    const hash = (s: Store) => {
      const parent = s.account(DEMO.parent);
      if (!parent) throw new Error("no parent");
      return createHash("sha256").update(reportingJson(s, parent)).digest("hex");
    };
    expect(hash(one)).toBe(hash(two));
    expect(one.apiKeys.get(6001)?.secret).toBe(GENERATED_KEY(100001));
  });

  it("hand-written reporting JSON equals JSON.stringify of the reporting view, and iso() equals toISOString", () => {
    const store = build(50, 5);
    for (const c of store.contracts.values()) {
      expect(reportingContractJson(c)).toBe(JSON.stringify(reportingContractView(c)));
    }
    for (const t of [
      0,
      951782400000,
      NOW,
      NOW + 12_345_678_901,
      Date.parse("2028-02-29T23:59:59.999Z"),
      -1000,
    ]) {
      expect(iso(t)).toBe(`${new Date(t).toISOString().slice(0, 19)}Z`);
    }
    expect(credentialTime(NOW)).toBe("2026-03-01 12:00:00");
  });

  it("builds 10,000 × 10 quickly and reporting over it has the right size and shape", async () => {
    const t0 = performance.now();
    const sb = await startSandbox({
      now: () => NOW,
      generate: { subaccounts: 10_000, contractsPerSubaccount: 10 },
    });
    const buildMs = performance.now() - t0;
    try {
      expect(sb.store.contracts.size).toBe(100_000 + 8);
      expect(buildMs).toBeLessThan(5_000);
      const t1 = performance.now();
      const res = await fetch(`${sb.url}${P}/account/reporting`, {
        headers: { "X-PARTNER-APIKEY": sb.keys.parent },
      });
      const body = await res.json();
      const reportMs = performance.now() - t1;
      expect(res.status).toBe(200);
      expect(reportMs).toBeLessThan(5_000);
      // 3 demo subaccounts with contracts + 10,000 generated ones, in id order
      expect(body.accounts).toHaveLength(10_003);
      const ids: number[] = body.accounts.map((a: { account_id: number }) => a.account_id);
      expect(ids.slice(0, 4)).toEqual([1001, 1002, 1004, 100001]);
      expect(ids.at(-1)).toBe(110_000);
      expect(ids.every((id, i) => i === 0 || id > (ids[i - 1] as number))).toBe(true);
      const total = body.accounts.reduce((n: number, a: { acme: unknown[] }) => n + a.acme.length, 0);
      expect(total).toBe(100_007);
      const last = body.accounts.at(-1);
      expect(last.acme).toHaveLength(10);
      expect(last.acme.every((c: { account_id: number }) => c.account_id === 110_000)).toBe(true);
      const canceled = last.acme.filter((c: { date_canceled: string | null }) => c.date_canceled !== null);
      expect(canceled.every((c: { sans: string[] }) => c.sans.length === 0)).toBe(true);
      expect(reporting.safeParse({ accounts: body.accounts.slice(-50) }).success).toBe(true);
      // a generated subaccount's key works
      const own = await fetch(`${sb.url}${P}/acme/${last.acme[0].acme_contract_id}`, {
        headers: { "X-PARTNER-APIKEY": GENERATED_KEY(110_000) },
      });
      expect(own.status).toBe(200);
      console.log(`10,000×10: build ${Math.round(buildMs)} ms, reporting ${Math.round(reportMs)} ms`);
    } finally {
      await sb.close();
    }
  });
});
