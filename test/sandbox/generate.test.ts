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

  it("10,000 × 10: builds in one linear pass; reporting has every subaccount and contract, in order", () => {
    const t0 = performance.now();
    const store = build(10_000, 10);
    const buildMs = performance.now() - t0;
    expect(store.contracts.size).toBe(100_000 + 8);
    expect(store.accounts.size).toBe(10_000 + 7);
    const parent = store.account(DEMO.parent);
    if (!parent) throw new Error("no parent");
    const t1 = performance.now();
    const json = reportingJson(store, parent);
    const reportMs = performance.now() - t1;
    const body = JSON.parse(json) as {
      accounts: {
        account_id: number;
        acme: { account_id: number; sans: string[]; date_canceled: string | null }[];
      }[];
    };
    // 3 demo subaccounts with contracts + 10,000 generated ones, in id order
    expect(body.accounts).toHaveLength(10_003);
    const ids = body.accounts.map((a) => a.account_id);
    expect(ids.slice(0, 4)).toEqual([1001, 1002, 1004, 100001]);
    expect(ids.at(-1)).toBe(110_000);
    expect(ids.every((id, i) => i === 0 || id > (ids[i - 1] as number))).toBe(true);
    expect(body.accounts.reduce((n, a) => n + a.acme.length, 0)).toBe(100_007);
    const last = body.accounts.at(-1);
    expect(last?.acme).toHaveLength(10);
    expect(last?.acme.every((c) => c.account_id === 110_000)).toBe(true);
    const canceled = body.accounts.flatMap((a) => a.acme).filter((c) => c.date_canceled !== null);
    expect(canceled.length).toBeGreaterThan(8_000);
    expect(canceled.length).toBeLessThan(12_000);
    expect(canceled.every((c) => c.sans.length === 0)).toBe(true);
    expect(reporting.safeParse({ accounts: body.accounts.slice(-100) }).success).toBe(true);
    // Generous bounds: the point is "no quadratic work", not a benchmark on a shared CI machine.
    expect(buildMs).toBeLessThan(15_000);
    expect(reportMs).toBeLessThan(10_000);
    console.log(
      `10,000×10 in-process: build ${Math.round(buildMs)} ms, reporting JSON ${Math.round(reportMs)} ms`,
    );
  });

  it("serves reporting over HTTP on generated data; generated keys work", async () => {
    const sb = await startSandbox({
      now: () => NOW,
      generate: { subaccounts: 1_000, contractsPerSubaccount: 10 },
    });
    try {
      const res = await fetch(`${sb.url}${P}/account/reporting`, {
        headers: { "X-PARTNER-APIKEY": sb.keys.parent },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        accounts: { account_id: number; acme: { acme_contract_id: number }[] }[];
      };
      expect(body.accounts).toHaveLength(1_003);
      expect(reporting.safeParse(body).success).toBe(true);
      const last = body.accounts.at(-1);
      expect(last?.account_id).toBe(101_000);
      const own = await fetch(`${sb.url}${P}/acme/${last?.acme[0]?.acme_contract_id}`, {
        headers: { "X-PARTNER-APIKEY": GENERATED_KEY(101_000) },
      });
      expect(own.status).toBe(200);
      sb.reset();
      expect(sb.store.contracts.size).toBe(10_008);
    } finally {
      await sb.close();
    }
  });

  // The full-size HTTP run (≈23 MB answer): SANDBOX_BENCH=1 npx vitest run test/sandbox/generate.test.ts
  it.runIf(process.env.SANDBOX_BENCH)("benchmark: 10,000 × 10 over HTTP", async () => {
    const t0 = performance.now();
    const sb = await startSandbox({ generate: { subaccounts: 10_000, contractsPerSubaccount: 10 } });
    const startMs = performance.now() - t0;
    try {
      for (let i = 0; i < 3; i++) {
        const t1 = performance.now();
        const res = await fetch(`${sb.url}${P}/account/reporting`, {
          headers: { "X-PARTNER-APIKEY": sb.keys.parent },
        });
        const text = await res.text();
        console.log(
          `start ${Math.round(startMs)} ms; reporting #${i + 1}: ${Math.round(performance.now() - t1)} ms, ${text.length} bytes`,
        );
      }
    } finally {
      await sb.close();
    }
  });
});
