import { type ContractStatus, DAY_MS, daysUntil, forEachContract, type Reporting, timeOf } from "./model.js";

export interface GroupStats {
  contracts: number;
  active: number;
  sans: number;
}

export interface SoonExpiring {
  acme_contract_id: number;
  account_id: number;
  product_name_id: string;
  valid_till: string;
  days_left: number;
  first_san: string;
  san_count: number;
}

export interface ReportSummary {
  /** expiry windows are measured from this instant (ISO 8601) */
  as_of: string;
  totals: {
    subaccounts: number;
    contracts: number;
    active: number;
    expired: number;
    canceled: number;
    /** SANs of contracts not canceled */
    sans: number;
    wildcard_sans: number;
  };
  by_product: ({ product_name_id: string } & GroupStats)[];
  /** products beyond the top N, folded together */
  other_products: { products: number } & GroupStats;
  by_subaccount: ({ account_id: number } & GroupStats)[];
  other_subaccounts: { subaccounts: number } & GroupStats;
  /** contracts not canceled, valid_till after as_of and within 30/60/90 days (cumulative) */
  expiring: {
    within_30_days: number;
    within_60_days: number;
    within_90_days: number;
    soonest: SoonExpiring[];
  };
  canceled: {
    count: number;
    latest: { acme_contract_id: number; account_id: number; date_canceled: string }[];
  };
  /** against the previous snapshot, when one was given */
  subaccount_changes?: {
    appeared_count: number;
    appeared: number[];
    disappeared_count: number;
    disappeared: number[];
  };
}

export interface SummaryOptions {
  nowMs: number;
  /** rows in the product and subaccount tables (default 10) */
  top?: number;
  /** soonest-expiring contracts listed (default 10) */
  soonest?: number;
  /** the previous report, for subaccounts that appeared or disappeared */
  previous?: Reporting;
}

const emptyStats = (): GroupStats => ({ contracts: 0, active: 0, sans: 0 });
const LIST_CAP = 20;

function groupOf<K>(groups: Map<K, GroupStats>, key: K): GroupStats {
  let stats = groups.get(key);
  if (!stats) {
    stats = emptyStats();
    groups.set(key, stats);
  }
  return stats;
}

/** Keeps the `limit` smallest items by `compare` in a sorted array: n log k, memory bounded by k. */
function keepSmallest<T>(list: T[], item: T, limit: number, compare: (a: T, b: T) => number): void {
  if (limit <= 0) return;
  if (list.length === limit) {
    const last = list[limit - 1] as T;
    if (compare(item, last) >= 0) return;
    list.pop();
  }
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(list[mid] as T, item) <= 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, item);
}

function topGroups<K>(
  groups: Map<K, GroupStats>,
  top: number,
): { rows: [K, GroupStats][]; rest: GroupStats & { groups: number } } {
  const rows = [...groups.entries()].sort((a, b) => b[1].contracts - a[1].contracts || b[1].sans - a[1].sans);
  const rest = { ...emptyStats(), groups: 0 };
  for (const [, s] of rows.slice(top)) {
    rest.groups++;
    rest.contracts += s.contracts;
    rest.active += s.active;
    rest.sans += s.sans;
  }
  return { rows: rows.slice(0, top), rest };
}

/**
 * Totals and bounded breakdowns of one report. Whatever the partner's size, every list is capped, so the
 * rendered Markdown stays a few kilobytes. One pass plus a sort of the groups.
 */
export function summarizeReport(report: Reporting, options: SummaryOptions): ReportSummary {
  const { nowMs } = options;
  const top = options.top ?? 10;
  const soonestLimit = options.soonest ?? 10;
  const d30 = nowMs + 30 * DAY_MS;
  const d60 = nowMs + 60 * DAY_MS;
  const d90 = nowMs + 90 * DAY_MS;
  const totals = {
    subaccounts: 0,
    contracts: 0,
    active: 0,
    expired: 0,
    canceled: 0,
    sans: 0,
    wildcard_sans: 0,
  };
  const products = new Map<string, GroupStats>();
  const accounts = new Map<number, GroupStats>();
  const expiring = { within_30_days: 0, within_60_days: 0, within_90_days: 0 };
  const soonest: (SoonExpiring & { till: number })[] = [];
  const canceled: { acme_contract_id: number; account_id: number; date_canceled: string; at: number }[] = [];

  forEachContract(report, (c, accountId) => {
    // statusOf, with valid_till parsed once for both it and the expiry windows
    const till = c.date_canceled ? Number.NaN : timeOf(c.valid_till);
    const status: ContractStatus = c.date_canceled ? "canceled" : till <= nowMs ? "expired" : "active";
    totals.contracts++;
    totals[status]++;
    const live = status !== "canceled";
    if (live) {
      totals.sans += c.sans.length;
      for (const san of c.sans) if (san.startsWith("*.")) totals.wildcard_sans++;
    }
    const p = groupOf(products, c.product_name_id);
    const a = groupOf(accounts, accountId);
    p.contracts++;
    a.contracts++;
    if (status === "active") {
      p.active++;
      a.active++;
    }
    if (live) {
      p.sans += c.sans.length;
      a.sans += c.sans.length;
    }
    if (status === "canceled") {
      const date = c.date_canceled as string;
      keepSmallest(
        canceled,
        {
          acme_contract_id: c.acme_contract_id,
          account_id: accountId,
          date_canceled: date,
          at: timeOf(date),
        },
        5,
        (x, y) => y.at - x.at || x.acme_contract_id - y.acme_contract_id,
      );
      return;
    }
    if (!(till > nowMs && till <= d90)) return;
    expiring.within_90_days++;
    if (till <= d60) expiring.within_60_days++;
    if (till <= d30) expiring.within_30_days++;
    keepSmallest(
      soonest,
      {
        acme_contract_id: c.acme_contract_id,
        account_id: accountId,
        product_name_id: c.product_name_id,
        valid_till: c.valid_till,
        days_left: daysUntil(till, nowMs),
        first_san: c.sans[0] ?? "",
        san_count: c.sans.length,
        till,
      },
      soonestLimit,
      (x, y) => x.till - y.till || x.acme_contract_id - y.acme_contract_id,
    );
  });
  totals.subaccounts = accounts.size;

  const productTop = topGroups(products, top);
  const accountTop = topGroups(accounts, top);
  const summary: ReportSummary = {
    as_of: new Date(nowMs).toISOString(),
    totals,
    by_product: productTop.rows.map(([product_name_id, s]) => ({ product_name_id, ...s })),
    other_products: {
      products: productTop.rest.groups,
      contracts: productTop.rest.contracts,
      active: productTop.rest.active,
      sans: productTop.rest.sans,
    },
    by_subaccount: accountTop.rows.map(([account_id, s]) => ({ account_id, ...s })),
    other_subaccounts: {
      subaccounts: accountTop.rest.groups,
      contracts: accountTop.rest.contracts,
      active: accountTop.rest.active,
      sans: accountTop.rest.sans,
    },
    expiring: { ...expiring, soonest: soonest.map(({ till: _, ...rest }) => rest) },
    canceled: { count: totals.canceled, latest: canceled.map(({ at: _, ...rest }) => rest) },
  };
  if (options.previous) {
    const before = new Set<number>();
    forEachContract(options.previous, (_, accountId) => before.add(accountId));
    const appeared = [...accounts.keys()].filter((a) => !before.has(a)).sort((x, y) => x - y);
    const disappeared = [...before].filter((a) => !accounts.has(a)).sort((x, y) => x - y);
    summary.subaccount_changes = {
      appeared_count: appeared.length,
      appeared: appeared.slice(0, LIST_CAP),
      disappeared_count: disappeared.length,
      disappeared: disappeared.slice(0, LIST_CAP),
    };
  }
  return summary;
}
