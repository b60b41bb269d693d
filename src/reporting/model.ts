import type { Reporting, ReportingContract } from "../schemas/entities.js";
import { parseTimestamp } from "../schemas/primitives.js";
import { canonicalize } from "./canonical.js";

export type { Reporting, ReportingContract } from "../schemas/entities.js";

export const DAY_MS = 86_400_000;

/** Counts stored with each snapshot, so listings need not load the report. */
export interface SnapshotCounts {
  subaccounts: number;
  contracts: number;
  /** not canceled and not yet past valid_till at the time the snapshot was taken */
  active: number;
  /** not canceled but past valid_till */
  expired: number;
  canceled: number;
  /** SANs over all contracts, canceled ones included */
  sans: number;
}

export interface SnapshotMeta {
  /** sortable and URI-safe: 20260202T094518Z-1a2b3c4d */
  id: string;
  /** when this content was first fetched (ISO 8601) */
  taken_at: string;
  /** when DigiCert last answered with this same content (ISO 8601) */
  checked_at: string;
  /** sha256 of the canonical JSON of the normalised report */
  hash: string;
  counts: SnapshotCounts;
  /** size of the canonical JSON, before compression */
  bytes: number;
}

export interface Snapshot {
  meta: SnapshotMeta;
  report: Reporting;
}

export type ContractStatus = "active" | "expired" | "canceled";

export const SNAPSHOT_ID = /^\d{8}T\d{6}Z-[0-9a-f]{8}(?:-\d{1,4})?$/;

export function isSnapshotId(value: string): boolean {
  return SNAPSHOT_ID.test(value);
}

/** 2026-02-02T09:45:18.123Z + hash → 20260202T094518Z-<first 8 hex of the hash> */
export function snapshotId(takenAtMs: number, hash: string): string {
  const compact = new Date(takenAtMs).toISOString().slice(0, 19).replace(/[-:]/g, "");
  return `${compact}Z-${hash.slice(0, 8)}`;
}

/** The owning subaccount of a contract: its own field, else the group it was listed under. */
export function ownerOf(contract: ReportingContract, groupAccountId: number): number {
  return typeof contract.account_id === "number" ? contract.account_id : groupAccountId;
}

/** Epoch ms of a report timestamp; NaN when absent or unreadable (callers treat NaN as "unknown"). */
export function timeOf(value: string | null | undefined): number {
  return typeof value === "string" ? parseTimestamp(value) : Number.NaN;
}

export function statusOf(
  contract: Pick<ReportingContract, "date_canceled" | "valid_till">,
  nowMs: number,
): ContractStatus {
  if (contract.date_canceled) return "canceled";
  const till = timeOf(contract.valid_till);
  return till <= nowMs ? "expired" : "active";
}

/** Calls `fn` for every contract, with the subaccount it belongs to. */
export function forEachContract(
  report: Reporting,
  fn: (contract: ReportingContract, accountId: number) => void,
): void {
  for (const account of report.accounts) {
    for (const contract of account.acme) fn(contract, ownerOf(contract, account.account_id));
  }
}

const byNumber = (a: number, b: number) => a - b;
const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Orders subaccounts by id, contracts by id and SANs alphabetically, so the same content always has the same
 * canonical form (DigiCert does not document any order). Returns a new report whose objects also have their
 * keys sorted (see canonicalize), so JSON.stringify of it is already the canonical JSON. Unknown fields are kept.
 */
export function normaliseReport(report: Reporting): Reporting {
  // canonicalize returns fresh objects and arrays, so ordering them in place leaves the caller's report alone
  return orderReport(canonicalize(report) as Reporting);
}

/** normaliseReport's ordering of lists, done in place (keys untouched); returns `report`. */
export function orderReport(report: Reporting): Reporting {
  for (const account of report.accounts) {
    for (const c of account.acme) if (!inOrder(c.sans, byString)) c.sans.sort(byString);
    if (!inOrder(account.acme, byContract)) account.acme.sort(byContract);
  }
  if (!inOrder(report.accounts, byAccount)) report.accounts.sort(byAccount);
  return report;
}

const byContract = (a: ReportingContract, b: ReportingContract) =>
  byNumber(a.acme_contract_id, b.acme_contract_id);
const byAccount = (a: { account_id: number }, b: { account_id: number }) =>
  byNumber(a.account_id, b.account_id);

/** Already in the order `compare` gives (the usual case): sorting would change nothing, so it is skipped. */
function inOrder<T>(list: readonly T[], compare: (a: T, b: T) => number): boolean {
  for (let i = 1; i < list.length; i++) if (compare(list[i - 1] as T, list[i] as T) > 0) return false;
  return true;
}

export function countReport(report: Reporting, nowMs: number): SnapshotCounts {
  const counts: SnapshotCounts = {
    subaccounts: 0,
    contracts: 0,
    active: 0,
    expired: 0,
    canceled: 0,
    sans: 0,
  };
  const accounts = new Set<number>();
  forEachContract(report, (contract, accountId) => {
    accounts.add(accountId);
    counts.contracts++;
    counts.sans += contract.sans.length;
    counts[statusOf(contract, nowMs)]++;
  });
  counts.subaccounts = accounts.size;
  return counts;
}

/** Whole days from `nowMs` until `thenMs`, rounded down (negative once past). */
export function daysUntil(thenMs: number, nowMs: number): number {
  return Math.floor((thenMs - nowMs) / DAY_MS);
}
