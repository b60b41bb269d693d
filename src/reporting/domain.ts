import { domainToASCII } from "node:url";
import { normaliseDnsName } from "../schemas/primitives.js";
import {
  type ContractStatus,
  forEachContract,
  type Reporting,
  type ReportingContract,
  statusOf,
} from "./model.js";

export interface DomainMatch {
  acme_contract_id: number;
  account_id: number;
  product_name_id: string;
  /** the SAN that covers the domain, as the report lists it */
  san: string;
  match: "exact" | "wildcard";
  valid_till: string;
  date_canceled: string | null;
  status: ContractStatus;
}

export interface DomainCoverage {
  /** the domain as compared: lower case, punycode, no trailing dot */
  domain: string;
  matches: DomainMatch[];
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the range is "anything outside ASCII", not control chars
const NON_ASCII = /[^\u0000-\u007f]/;

/**
 * A SAN from the report in comparable form. Cheap for the usual ASCII case; IDNs become punycode so "bücher.de"
 * and "xn--bcher-kva.de" compare equal.
 */
export function comparableName(san: string): string {
  let name = san.trim().toLowerCase();
  if (name.endsWith(".")) name = name.slice(0, -1);
  if (!NON_ASCII.test(name)) return name;
  const wildcard = name.startsWith("*.");
  const ascii = domainToASCII(wildcard ? name.slice(2) : name);
  if (ascii === "") return name;
  return wildcard ? `*.${ascii}` : ascii;
}

/** The parent of a name for wildcard matching: a.example.com → example.com; one label → undefined. */
function parentOf(name: string): string | undefined {
  const dot = name.indexOf(".");
  return dot > 0 ? name.slice(dot + 1) : undefined;
}

/**
 * Which contracts cover `domain`: a SAN equal to it, or a wildcard `*.parent` where the domain is exactly one
 * label below `parent` (so *.example.com covers a.example.com, not a.b.example.com nor example.com). Case
 * does not matter and IDNs are compared as punycode. A wildcard query matches only the same wildcard SAN.
 * Throws with a readable reason when `domain` is not a DNS name. One pass over all SANs.
 */
export function findContractsForDomain(report: Reporting, domain: string, nowMs: number): DomainCoverage {
  const targets = domainTargets(domain);
  const matches: DomainMatch[] = [];
  forEachContract(report, (contract, accountId) => {
    const found = sanCovering(contract.sans, targets);
    if (found) matches.push(domainMatch(contract, accountId, found, nowMs));
  });
  return { domain: targets.target, matches: sortMatches(matches) };
}

/** What a domain is compared as: the name itself and, unless it is a wildcard or one label, `*.parent`. */
export interface DomainTargets {
  target: string;
  wildcardTarget: string | undefined;
}

/**
 * A query's argument the schema could not refuse (a domain that is not a DNS name): the caller's mistake, not a
 * failure of this server, so the tools word and count it as invalid arguments rather than an internal error.
 */
export class InvalidQueryError extends Error {
  override name = "InvalidQueryError";
}

/** The comparable forms of a queried domain; throws InvalidQueryError when it is not a DNS name. */
export function domainTargets(domain: string): DomainTargets {
  const parsed = normaliseDnsName(domain);
  if (!parsed.ok) throw new InvalidQueryError(`"${domain.slice(0, 80)}" ${parsed.reason}`);
  const target = parsed.value;
  const parent = target.startsWith("*.") ? undefined : parentOf(target);
  return { target, wildcardTarget: parent === undefined ? undefined : `*.${parent}` };
}

/** The SAN of a contract that covers the target: an exact one first, else the first wildcard. */
export function sanCovering(
  sans: readonly string[],
  { target, wildcardTarget }: DomainTargets,
): { san: string; match: "exact" | "wildcard" } | undefined {
  let found: { san: string; match: "exact" | "wildcard" } | undefined;
  for (const san of sans) {
    const name = comparableName(san);
    if (name === target) return { san, match: "exact" };
    if (found === undefined && name === wildcardTarget) found = { san, match: "wildcard" };
  }
  return found;
}

export function domainMatch(
  contract: Pick<ReportingContract, "acme_contract_id" | "product_name_id" | "valid_till" | "date_canceled">,
  accountId: number,
  found: { san: string; match: "exact" | "wildcard" },
  nowMs: number,
): DomainMatch {
  return {
    acme_contract_id: contract.acme_contract_id,
    account_id: accountId,
    product_name_id: contract.product_name_id,
    san: found.san,
    match: found.match,
    valid_till: contract.valid_till,
    date_canceled: contract.date_canceled,
    status: statusOf(contract, nowMs),
  };
}

/** Usable coverage first: active, then expired, then canceled; exact before wildcard; then by id (stable). */
export function sortMatches(matches: DomainMatch[]): DomainMatch[] {
  const rank: Record<ContractStatus, number> = { active: 0, expired: 1, canceled: 2 };
  return matches.sort(
    (a, b) =>
      rank[a.status] - rank[b.status] ||
      (a.match === b.match ? 0 : a.match === "exact" ? -1 : 1) ||
      a.acme_contract_id - b.acme_contract_id,
  );
}
