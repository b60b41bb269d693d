import { comparableName } from "./domain.js";
import { ownerOf, type Reporting, type ReportingContract } from "./model.js";

export interface ContractBrief {
  acme_contract_id: number;
  account_id: number;
  product_name_id: string;
  valid_till: string;
  date_canceled: string | null;
  sans: string[];
}

export interface SansChange {
  acme_contract_id: number;
  account_id: number;
  added: string[];
  removed: string[];
}

export interface ReportDiff {
  counts: {
    added: number;
    removed: number;
    canceled: number;
    reinstated: number;
    sans_changed: number;
    sans_added: number;
    sans_removed: number;
    expiry_moved: number;
    product_changed: number;
    subaccounts_appeared: number;
    subaccounts_disappeared: number;
  };
  /** in `to`, not in `from` */
  added: ContractBrief[];
  /** in `from`, gone from `to` (the report no longer lists it) */
  removed: ContractBrief[];
  /** listed in both; date_canceled set in `to` only */
  canceled: { acme_contract_id: number; account_id: number; date_canceled: string }[];
  /** listed in both; canceled in `from`, not in `to` */
  reinstated: { acme_contract_id: number; account_id: number }[];
  sans_changed: SansChange[];
  expiry_moved: { acme_contract_id: number; account_id: number; from: string; to: string }[];
  product_changed: { acme_contract_id: number; account_id: number; from: string; to: string }[];
  subaccounts_appeared: number[];
  subaccounts_disappeared: number[];
  /** true when nothing differs */
  unchanged: boolean;
}

/** SANs of `a` not in `b`, compared as DNS names (case, trailing dot and IDN form do not count as changes). */
function missingFrom(a: readonly string[], b: readonly string[]): string[] {
  if (a.length === 0) return [];
  const other = new Set(b.map(comparableName));
  return a.filter((s) => !other.has(comparableName(s)));
}

const NONE: string[] = [];

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameInstant(a: string, b: string): boolean {
  return a === b || Date.parse(a) === Date.parse(b);
}

type Group = Reporting["accounts"][number];

/** Subaccounts at the same place in both reports, with the same contract ids in the same order. */
function aligned(a: Group | undefined, b: Group | undefined): boolean {
  if (!a || !b || a.account_id !== b.account_id || a.acme.length !== b.acme.length) return false;
  for (let i = 0; i < a.acme.length; i++) {
    if (a.acme[i]?.acme_contract_id !== b.acme[i]?.acme_contract_id) return false;
  }
  return true;
}

/** What the diff compares of a contract. */
export type DiffContract = Pick<
  ReportingContract,
  "acme_contract_id" | "product_name_id" | "valid_till" | "date_canceled" | "sans"
>;

/** A diff with nothing in it yet, for compareContracts and finishDiff. */
export function emptyDiff(): ReportDiff {
  return {
    counts: {
      added: 0,
      removed: 0,
      canceled: 0,
      reinstated: 0,
      sans_changed: 0,
      sans_added: 0,
      sans_removed: 0,
      expiry_moved: 0,
      product_changed: 0,
      subaccounts_appeared: 0,
      subaccounts_disappeared: 0,
    },
    added: [],
    removed: [],
    canceled: [],
    reinstated: [],
    sans_changed: [],
    expiry_moved: [],
    product_changed: [],
    subaccounts_appeared: [],
    subaccounts_disappeared: [],
    unchanged: true,
  };
}

/** Adds to `diff` what changed from `o` to `c`, the same contract in both reports (`account`: c's owner). */
export function compareContracts(diff: ReportDiff, o: DiffContract, c: DiffContract, account: number): void {
  const id = c.acme_contract_id;
  if (!o.date_canceled && c.date_canceled) {
    diff.canceled.push({ acme_contract_id: id, account_id: account, date_canceled: c.date_canceled });
  } else if (o.date_canceled && !c.date_canceled) {
    diff.reinstated.push({ acme_contract_id: id, account_id: account });
  }
  // the usual case, the same list (both are sorted): nothing to compare name by name
  const same = sameList(c.sans, o.sans);
  const added = same ? NONE : missingFrom(c.sans, o.sans);
  const removed = same ? NONE : missingFrom(o.sans, c.sans);
  if (added.length > 0 || removed.length > 0) {
    diff.sans_changed.push({ acme_contract_id: id, account_id: account, added, removed });
    diff.counts.sans_added += added.length;
    diff.counts.sans_removed += removed.length;
  }
  if (!sameInstant(o.valid_till, c.valid_till)) {
    diff.expiry_moved.push({
      acme_contract_id: id,
      account_id: account,
      from: o.valid_till,
      to: c.valid_till,
    });
  }
  if (o.product_name_id !== c.product_name_id) {
    diff.product_changed.push({
      acme_contract_id: id,
      account_id: account,
      from: o.product_name_id,
      to: c.product_name_id,
    });
  }
}

/** A contract as `added` and `removed` list it. */
export function contractBrief(c: DiffContract, accountId: number): ContractBrief {
  return {
    acme_contract_id: c.acme_contract_id,
    account_id: accountId,
    product_name_id: c.product_name_id,
    valid_till: c.valid_till,
    date_canceled: c.date_canceled,
    sans: c.sans,
  };
}

/**
 * Completes a diff filled by compareContracts and contractBrief: the subaccounts that appeared and disappeared
 * (from the two reports' sets of owners), every list sorted by contract id (subaccounts by id), the counts.
 */
export function finishDiff(
  diff: ReportDiff,
  accountsBefore: ReadonlySet<number>,
  accountsAfter: ReadonlySet<number>,
): ReportDiff {
  for (const a of accountsAfter) if (!accountsBefore.has(a)) diff.subaccounts_appeared.push(a);
  for (const a of accountsBefore) if (!accountsAfter.has(a)) diff.subaccounts_disappeared.push(a);

  const byId = (a: { acme_contract_id: number }, b: { acme_contract_id: number }) =>
    a.acme_contract_id - b.acme_contract_id;
  for (const list of [
    diff.added,
    diff.removed,
    diff.canceled,
    diff.reinstated,
    diff.sans_changed,
    diff.expiry_moved,
    diff.product_changed,
  ] as { acme_contract_id: number }[][]) {
    list.sort(byId);
  }
  diff.subaccounts_appeared.sort((a, b) => a - b);
  diff.subaccounts_disappeared.sort((a, b) => a - b);

  const k = diff.counts;
  k.added = diff.added.length;
  k.removed = diff.removed.length;
  k.canceled = diff.canceled.length;
  k.reinstated = diff.reinstated.length;
  k.sans_changed = diff.sans_changed.length;
  k.expiry_moved = diff.expiry_moved.length;
  k.product_changed = diff.product_changed.length;
  k.subaccounts_appeared = diff.subaccounts_appeared.length;
  k.subaccounts_disappeared = diff.subaccounts_disappeared.length;
  diff.unchanged =
    k.added + k.removed + k.canceled + k.reinstated + k.sans_changed + k.expiry_moved + k.product_changed ===
      0 && k.subaccounts_appeared + k.subaccounts_disappeared === 0;
  return diff;
}

/**
 * What changed between two reports, contract by contract (matched by acme_contract_id). Linear. Stored reports
 * are normalised (subaccounts and contracts ordered by id), so most subaccounts line up in both: their contracts
 * are compared pair by pair, and only the others' go through a map by id. Lists are sorted by contract id
 * (subaccounts by id). `pairUp: false` puts every contract through the map (the tests compare both ways).
 */
export function diffReports(from: Reporting, to: Reporting, options: { pairUp?: boolean } = {}): ReportDiff {
  const diff = emptyDiff();
  const pairUp = options.pairUp ?? true;
  const paired: boolean[] = [];
  if (pairUp) {
    for (let i = 0; i < from.accounts.length && i < to.accounts.length; i++) {
      paired[i] = aligned(from.accounts[i], to.accounts[i]);
    }
  }
  const before = new Map<number, { c: ReportingContract; account: number }>();
  const accountsBefore = new Set<number>();
  const accountsAfter = new Set<number>();
  const seen = new Set<number>();
  from.accounts.forEach((group, i) => {
    const pairedHere = paired[i] === true;
    for (const c of group.acme) {
      const account = ownerOf(c, group.account_id);
      accountsBefore.add(account);
      if (!pairedHere) before.set(c.acme_contract_id, { c, account });
    }
  });
  to.accounts.forEach((group, i) => {
    if (paired[i] === true) {
      const old = (from.accounts[i] as Group).acme;
      group.acme.forEach((c, j) => {
        const account = ownerOf(c, group.account_id);
        accountsAfter.add(account);
        compareContracts(diff, old[j] as ReportingContract, c, account);
      });
      return;
    }
    for (const c of group.acme) {
      const account = ownerOf(c, group.account_id);
      accountsAfter.add(account);
      seen.add(c.acme_contract_id);
      const old = before.get(c.acme_contract_id);
      if (old) compareContracts(diff, old.c, c, account);
      else diff.added.push(contractBrief(c, account));
    }
  });
  for (const [id, old] of before) if (!seen.has(id)) diff.removed.push(contractBrief(old.c, old.account));
  return finishDiff(diff, accountsBefore, accountsAfter);
}

const LISTS = [
  "added",
  "removed",
  "canceled",
  "reinstated",
  "sans_changed",
  "expiry_moved",
  "product_changed",
  "subaccounts_appeared",
  "subaccounts_disappeared",
] as const;

/** The same diff with every list cut to `limit` entries (counts stay exact); `truncated` says whether any was cut. */
export function limitDiff(diff: ReportDiff, limit: number): ReportDiff & { truncated: boolean } {
  let truncated = false;
  const out = { ...diff, truncated };
  for (const key of LISTS) {
    const list = diff[key] as unknown[];
    if (list.length > limit) truncated = true;
    (out as Record<string, unknown>)[key] = list.slice(0, limit);
  }
  out.truncated = truncated;
  return out;
}
