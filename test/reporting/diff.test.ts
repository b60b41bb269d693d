import { describe, expect, it } from "vitest";
import { diffReports, limitDiff } from "../../src/reporting/index.js";
import { clone, contract, report, SEED_REPORT } from "./fixtures.js";

describe("diffReports", () => {
  it("finds nothing between equal reports, whatever their order", () => {
    const shuffled = clone(SEED_REPORT);
    shuffled.accounts.reverse();
    shuffled.accounts[1]?.acme.reverse();
    const d = diffReports(SEED_REPORT, shuffled);
    expect(d.unchanged).toBe(true);
    expect(Object.values(d.counts).every((n) => n === 0)).toBe(true);
  });

  it("matches hand-computed changes", () => {
    const from = report([
      contract({ acme_contract_id: 1, account_id: 10, sans: ["a.example.com", "b.example.com"] }),
      contract({ acme_contract_id: 2, account_id: 10 }),
      contract({ acme_contract_id: 3, account_id: 20 }),
      contract({ acme_contract_id: 4, account_id: 10, date_canceled: "2026-02-01T00:00:00Z" }),
    ]);
    const to = report([
      // SAN b removed, c added; case and trailing dot of a ignored
      contract({ acme_contract_id: 1, account_id: 10, sans: ["A.example.com.", "c.example.com"] }),
      // canceled and renewed
      contract({
        acme_contract_id: 2,
        account_id: 10,
        date_canceled: "2026-03-01T00:00:00Z",
        valid_till: "2028-01-01T00:00:00Z",
      }),
      // 3 (the only contract of subaccount 20) gone; 4 reinstated; 5 new in new subaccount 30
      contract({ acme_contract_id: 4, account_id: 10 }),
      contract({ acme_contract_id: 5, account_id: 30, product_name_id: "ssl_basic" }),
    ]);
    const d = diffReports(from, to);
    expect(d.unchanged).toBe(false);
    expect(d.added.map((c) => c.acme_contract_id)).toEqual([5]);
    expect(d.removed.map((c) => c.acme_contract_id)).toEqual([3]);
    expect(d.canceled).toEqual([
      { acme_contract_id: 2, account_id: 10, date_canceled: "2026-03-01T00:00:00Z" },
    ]);
    expect(d.reinstated).toEqual([{ acme_contract_id: 4, account_id: 10 }]);
    expect(d.sans_changed).toEqual([
      { acme_contract_id: 1, account_id: 10, added: ["c.example.com"], removed: ["b.example.com"] },
    ]);
    expect(d.expiry_moved).toEqual([
      { acme_contract_id: 2, account_id: 10, from: "2027-01-01T00:00:00Z", to: "2028-01-01T00:00:00Z" },
    ]);
    expect(d.subaccounts_appeared).toEqual([30]);
    expect(d.subaccounts_disappeared).toEqual([20]);
    expect(d.counts).toEqual({
      added: 1,
      removed: 1,
      canceled: 1,
      reinstated: 1,
      sans_changed: 1,
      sans_added: 1,
      sans_removed: 1,
      expiry_moved: 1,
      product_changed: 0,
      subaccounts_appeared: 1,
      subaccounts_disappeared: 1,
    });
  });

  it("limits lists but keeps exact counts", () => {
    const to = report(Array.from({ length: 30 }, (_, i) => contract({ acme_contract_id: i + 1 })));
    const d = limitDiff(diffReports({ accounts: [] }, to), 5);
    expect(d.added).toHaveLength(5);
    expect(d.counts.added).toBe(30);
    expect(d.truncated).toBe(true);
  });
});
