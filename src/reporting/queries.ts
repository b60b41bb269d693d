import { diffReports, limitDiff, type ReportDiff } from "./diff.js";
import type { DomainMatch } from "./domain.js";
import { findContractsForDomain } from "./domain.js";
import { type ExpiringContract, expiringContracts } from "./expiring.js";
import { ownerOf, type Reporting, type ReportingContract } from "./model.js";
import { type ReportSummary, summarizeReport } from "./summary.js";

/** What list_expiring_contracts asks a store: expiringContracts' options and one page of its answer. */
export interface ExpiringQuery {
  days: number;
  nowMs: number;
  accountId?: number;
  /** SANs shown per contract (default 3) */
  sanPreview?: number;
  offset: number;
  limit: number;
}

export interface ExpiringPage {
  /** all contracts in the window */
  total: number;
  /** expiringContracts(...).slice(offset, offset + limit) */
  contracts: ExpiringContract[];
}

/** What find_contracts_for_domain asks a store. */
export interface DomainQuery {
  nowMs: number;
  /** default true */
  includeCanceled?: boolean;
  limit: number;
}

export interface DomainPage {
  /** the domain as compared (see findContractsForDomain) */
  domain: string;
  /** all matches (canceled ones only with includeCanceled) */
  total: number;
  /** the first `limit` of them, in findContractsForDomain's order */
  matches: DomainMatch[];
}

/** The expiry query over a whole report: the reference every store's answer must equal. */
export function expiringPage(report: Reporting, query: ExpiringQuery): ExpiringPage {
  const all = expiringContracts(report, query);
  return { total: all.length, contracts: all.slice(query.offset, query.offset + query.limit) };
}

/** The domain query over a whole report (throws, as findContractsForDomain, when `domain` is not a DNS name). */
export function domainPage(report: Reporting, domain: string, query: DomainQuery): DomainPage {
  const coverage = findContractsForDomain(report, domain, query.nowMs);
  return pageOfMatches(coverage.domain, coverage.matches, query);
}

/** Canceled matches dropped unless asked for, then the first `limit`. */
export function pageOfMatches(domain: string, matches: DomainMatch[], query: DomainQuery): DomainPage {
  const all = query.includeCanceled === false ? matches.filter((m) => m.status !== "canceled") : matches;
  return { domain, total: all.length, matches: all.slice(0, query.limit) };
}

/** What reporting_summary (without account_id) and the summary resource show of a snapshot. */
export interface SnapshotSummary {
  /** summarizeReport(report, { nowMs: taken_at, previous: the previous snapshot's report, if it reads }) */
  summary: ReportSummary;
  /** that previous snapshot */
  previous_id?: string;
}

/** The summary over whole reports: the reference every store's answer must equal. */
export function snapshotSummary(
  report: Reporting,
  takenAt: string,
  previous?: { id: string; report: Reporting },
): SnapshotSummary {
  const summary = summarizeReport(report, { nowMs: Date.parse(takenAt), previous: previous?.report });
  return previous ? { summary, previous_id: previous.id } : { summary };
}

/** One subaccount's contracts as a report of its own (none: no accounts, as the API omits such subaccounts). */
export function accountReport(report: Reporting, accountId: number): Reporting {
  const acme: ReportingContract[] = [];
  for (const account of report.accounts) {
    for (const c of account.acme) if (ownerOf(c, account.account_id) === accountId) acme.push(c);
  }
  return { accounts: acme.length ? [{ account_id: accountId, acme }] : [] };
}

/** The subaccounts that own a contract in the report (as summaries count them), ascending. */
export function accountIds(report: Reporting): number[] {
  const owners = new Set<number>();
  for (const account of report.accounts) {
    for (const c of account.acme) owners.add(ownerOf(c, account.account_id));
  }
  return [...owners].sort((a, b) => a - b);
}

/** summarizeReport's subaccount_changes from two sorted-or-not lists of subaccount ids. */
export function subaccountChanges(current: readonly number[], previous: readonly number[]) {
  const now = new Set(current);
  const before = new Set(previous);
  const appeared = [...now].filter((a) => !before.has(a)).sort((x, y) => x - y);
  const disappeared = [...before].filter((a) => !now.has(a)).sort((x, y) => x - y);
  return {
    appeared_count: appeared.length,
    appeared: appeared.slice(0, 20),
    disappeared_count: disappeared.length,
    disappeared: disappeared.slice(0, 20),
  };
}

/** What compare_reporting_snapshots, the diff resource and take_reporting_snapshot ask a store. */
export type SnapshotDiff = ReportDiff & {
  /** with a limit only: whether any list was cut (limitDiff) */
  truncated?: boolean;
};

/** The diff over whole reports, lists cut to `limit` when given: the reference every store's answer must equal. */
export function snapshotDiff(from: Reporting, to: Reporting, limit?: number): SnapshotDiff {
  const diff = diffReports(from, to);
  return limit === undefined ? diff : limitDiff(diff, limit);
}
