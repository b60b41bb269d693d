import type { Reporting, ReportingContract } from "../../src/reporting/index.js";

/** The documented example answer of GET /account/reporting (seed 000). */
export const SEED_REPORT: Reporting = {
  accounts: [
    {
      account_id: 1234,
      acme: [
        {
          product_name_id: "ssl_ev_basic",
          account_id: 1234,
          sans: ["*.example1.com", "example1.com"],
          acme_contract_id: 1,
          valid_till: "2027-02-02T09:45:18Z",
          created_at: "2026-02-02T09:45:18Z",
          date_canceled: null,
        },
        {
          product_name_id: "ssl_dv_rapidssl",
          account_id: 1234,
          sans: ["example2.com"],
          acme_contract_id: 2,
          valid_till: "2027-02-02T09:45:18Z",
          created_at: "2026-02-02T09:45:18Z",
          date_canceled: null,
        },
      ],
    },
    {
      account_id: 5678,
      acme: [
        {
          product_name_id: "ssl_basic",
          account_id: 5678,
          sans: ["api.example.com", "www.example.com"],
          acme_contract_id: 3,
          valid_till: "2027-03-15T14:30:00Z",
          created_at: "2026-03-15T14:30:00Z",
          date_canceled: null,
        },
      ],
    },
  ],
};

export function contract(
  partial: Partial<ReportingContract> & { acme_contract_id: number },
): ReportingContract {
  return {
    product_name_id: "ssl_dv_rapidssl",
    account_id: 1,
    sans: [`c${partial.acme_contract_id}.example.com`],
    valid_till: "2027-01-01T00:00:00Z",
    created_at: "2026-01-01T00:00:00Z",
    date_canceled: null,
    ...partial,
  };
}

/** Groups contracts by account the way the API does. */
export function report(contracts: ReportingContract[]): Reporting {
  const byAccount = new Map<number, ReportingContract[]>();
  for (const c of contracts) {
    const list = byAccount.get(c.account_id) ?? [];
    list.push(c);
    byAccount.set(c.account_id, list);
  }
  return { accounts: [...byAccount].map(([account_id, acme]) => ({ account_id, acme })) };
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}
