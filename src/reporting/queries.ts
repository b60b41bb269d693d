import type { DomainMatch } from "./domain.js";
import { findContractsForDomain } from "./domain.js";
import { type ExpiringContract, expiringContracts } from "./expiring.js";
import type { Reporting } from "./model.js";

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
