import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Reporting, summarizeReport } from "../../src/reporting/index.js";
import { DAY_MS } from "../../src/reporting/model.js";
import { expiryTimeline } from "../../src/reporting/timeline.js";

const NOW = Date.parse("2026-06-01T00:00:00Z");

function report(contracts: { daysLeft: number; canceled?: boolean }[]): Reporting {
  return {
    accounts: [
      {
        account_id: 7,
        acme: contracts.map((c, i) => ({
          acme_contract_id: i + 1,
          account_id: 7,
          product_name_id: "ssl_dv_rapidssl",
          sans: [`c${i}.example.com`],
          valid_till: new Date(NOW + c.daysLeft * DAY_MS).toISOString(),
          created_at: "2026-01-01T00:00:00Z",
          date_canceled: c.canceled ? "2026-05-01T00:00:00Z" : null,
        })),
      },
    ],
  };
}

describe("expiryTimeline", () => {
  it("counts live contracts per week of the next 90 days; the last bucket is 84–90 and holds day 90", () => {
    const buckets = expiryTimeline(
      report([
        { daysLeft: 0.5 },
        { daysLeft: 6.9 },
        { daysLeft: 7 },
        { daysLeft: 30 },
        { daysLeft: 89.5 },
        { daysLeft: 90 },
        { daysLeft: 90.01 }, // beyond the horizon
        { daysLeft: -1 }, // expired
        { daysLeft: 3, canceled: true },
      ]),
      { nowMs: NOW },
    );
    expect(buckets).toHaveLength(13);
    expect(buckets[0]).toEqual({ from_day: 0, to_day: 7, contracts: 2 });
    expect(buckets[1]).toEqual({ from_day: 7, to_day: 14, contracts: 1 });
    expect(buckets[4]).toEqual({ from_day: 28, to_day: 35, contracts: 1 });
    expect(buckets[12]).toEqual({ from_day: 84, to_day: 90, contracts: 2 });
  });

  it("adds up to the summary's within_90_days, whatever the contracts", () => {
    const contract = fc.record({
      daysLeft: fc.double({ min: -30, max: 400, noNaN: true }),
      canceled: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(contract, { maxLength: 60 }), (contracts) => {
        const r = report(contracts);
        const total = expiryTimeline(r, { nowMs: NOW }).reduce((n, b) => n + b.contracts, 0);
        expect(total).toBe(summarizeReport(r, { nowMs: NOW }).expiring.within_90_days);
      }),
      { numRuns: 200 },
    );
  });
});
