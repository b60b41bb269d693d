import { describe, expect, it } from "vitest";
import { expiringContracts, findContractsForDomain } from "../../src/reporting/index.js";
import { contract, report, SEED_REPORT } from "./fixtures.js";

const NOW = Date.parse("2026-06-01T00:00:00Z");
const ids = (r: { matches: { acme_contract_id: number }[] }) => r.matches.map((m) => m.acme_contract_id);

describe("findContractsForDomain", () => {
  it("finds exact and wildcard coverage across subaccounts", () => {
    expect(findContractsForDomain(SEED_REPORT, "example1.com", NOW).matches).toMatchObject([
      { acme_contract_id: 1, match: "exact", san: "example1.com", status: "active" },
    ]);
    expect(findContractsForDomain(SEED_REPORT, "shop.example1.com", NOW).matches).toMatchObject([
      { acme_contract_id: 1, match: "wildcard", san: "*.example1.com" },
    ]);
    expect(ids(findContractsForDomain(SEED_REPORT, "WWW.Example.COM.", NOW))).toEqual([3]);
  });

  it("a wildcard covers one label only, never the bare domain", () => {
    expect(ids(findContractsForDomain(SEED_REPORT, "a.b.example1.com", NOW))).toEqual([]);
    const bareOnly = report([contract({ acme_contract_id: 7, sans: ["*.example.org"] })]);
    expect(ids(findContractsForDomain(bareOnly, "example.org", NOW))).toEqual([]);
    expect(ids(findContractsForDomain(bareOnly, "x.example.org", NOW))).toEqual([7]);
    expect(ids(findContractsForDomain(bareOnly, "*.example.org", NOW))).toEqual([7]);
  });

  it("compares IDNs as punycode in both directions", () => {
    const idn = report([
      contract({ acme_contract_id: 1, sans: ["bücher.de"] }),
      contract({ acme_contract_id: 2, sans: ["*.xn--bcher-kva.de"] }),
    ]);
    expect(ids(findContractsForDomain(idn, "xn--bcher-kva.de", NOW))).toEqual([1]);
    expect(ids(findContractsForDomain(idn, "Shop.BÜCHER.de", NOW))).toEqual([2]);
  });

  it("orders active before canceled and rejects non-domains", () => {
    const r = report([
      contract({ acme_contract_id: 1, sans: ["x.test.com"], date_canceled: "2026-01-02T00:00:00Z" }),
      contract({ acme_contract_id: 2, sans: ["*.test.com"] }),
    ]);
    expect(
      findContractsForDomain(r, "x.test.com", NOW).matches.map((m) => [m.acme_contract_id, m.status]),
    ).toEqual([
      [2, "active"],
      [1, "canceled"],
    ]);
    expect(() => findContractsForDomain(r, "not a domain", NOW)).toThrow(/"not a domain"/);
  });
});

describe("expiringContracts", () => {
  it("lists not-canceled contracts expiring within N days, soonest first", () => {
    const r = report([
      contract({ acme_contract_id: 1, valid_till: "2026-06-20T00:00:00Z" }),
      contract({ acme_contract_id: 2, valid_till: "2026-06-05T00:00:00Z" }),
      contract({
        acme_contract_id: 3,
        valid_till: "2026-06-04T00:00:00Z",
        date_canceled: "2026-05-01T00:00:00Z",
      }),
      contract({ acme_contract_id: 4, valid_till: "2026-05-30T00:00:00Z" }), // already expired
      contract({ acme_contract_id: 5, valid_till: "2026-08-01T00:00:00Z" }),
      contract({ acme_contract_id: 6, valid_till: "2026-06-10T00:00:00Z", account_id: 2 }),
    ]);
    const list = expiringContracts(r, { days: 30, nowMs: NOW });
    expect(list.map((c) => [c.acme_contract_id, c.days_left])).toEqual([
      [2, 4],
      [6, 9],
      [1, 19],
    ]);
    expect(
      expiringContracts(r, { days: 30, nowMs: NOW, accountId: 2 }).map((c) => c.acme_contract_id),
    ).toEqual([6]);
    expect(expiringContracts(r, { days: 90, nowMs: NOW })).toHaveLength(4);
  });
});
