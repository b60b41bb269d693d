import { describe, expect, it } from "vitest";
import { diffReports, limitDiff, normaliseReport, type Reporting } from "../../src/reporting/index.js";
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

describe("diffReports pairs up subaccounts that line up", () => {
  // stored reports are normalised; most subaccounts then line up and are compared pair by pair
  const base = () =>
    normaliseReport(
      report(
        Array.from({ length: 60 }, (_, i) =>
          contract({
            acme_contract_id: i + 1,
            account_id: 100 + (i % 7),
            sans: [`s${i}.example`, `t${i}.example`],
          }),
        ),
      ),
    );
  const changes: [string, (r: Reporting) => void][] = [
    ["nothing", () => undefined],
    [
      "a contract canceled, SANs edited, expiry and product changed",
      (r) => {
        const [a, b, c] = [r.accounts[0]?.acme[0], r.accounts[1]?.acme[1], r.accounts[2]?.acme[2]];
        if (a) a.date_canceled = "2026-05-01T00:00:00Z";
        if (b) b.sans = ["new.example", "s1.example"];
        if (c) {
          c.valid_till = "2030-01-01T00:00:00Z";
          c.product_name_id = "ssl_basic";
        }
      },
    ],
    [
      "a contract moved to another subaccount",
      (r) => {
        const moved = r.accounts[0]?.acme.shift();
        if (moved) r.accounts[3]?.acme.push({ ...moved, account_id: r.accounts[3]?.account_id ?? 0 });
      },
    ],
    [
      "contracts removed and added, a subaccount gone and one new",
      (r) => {
        r.accounts[4]?.acme.splice(1, 2);
        r.accounts[5]?.acme.push(
          contract({ acme_contract_id: 999, account_id: r.accounts[5]?.account_id ?? 0 }),
        );
        r.accounts.splice(6, 1);
        r.accounts.push({ account_id: 500, acme: [contract({ acme_contract_id: 1000, account_id: 500 })] });
      },
    ],
    [
      "a contract listed under a group with another owner",
      (r) => {
        const c = r.accounts[1]?.acme[0];
        if (c) c.account_id = 4242;
      },
    ],
  ];
  for (const [name, change] of changes) {
    it(`gives the same diff as matching every contract by id: ${name}`, () => {
      const from = base();
      const to = clone(from);
      change(to);
      const stored = normaliseReport(to);
      const d = diffReports(from, stored);
      expect(d).toEqual(diffReports(from, stored, { pairUp: false }));
      // a contract's move between subaccounts is not one of the diff's changes
      expect(d.unchanged).toBe(name === "nothing" || name === "a contract moved to another subaccount");
    });
  }
});
