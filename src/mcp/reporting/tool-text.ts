import type { DomainMatch, ExpiringContract, ReportDiff, SnapshotMeta } from "../../reporting/index.js";
import { code, num, plural } from "../../reporting/markdown.js";

// Compact text versions of the tool results, for clients that show only text. API values go through code(),
// which strips anything that could turn data into markup or instructions.

export function snapshotLine(meta: SnapshotMeta): string {
  const c = meta.counts;
  return `Snapshot ${meta.id} taken ${meta.taken_at} (checked ${meta.checked_at}): ${plural(c.contracts, "contract")} in ${plural(
    c.subaccounts,
    "subaccount",
  )}; ${num(c.active)} active, ${num(c.expired)} expired, ${num(c.canceled)} canceled; ${plural(c.sans, "SAN")}`;
}

export function diffText(k: ReportDiff["counts"]): string {
  const parts = [
    `${num(k.added)} added`,
    `${num(k.removed)} removed`,
    `${num(k.canceled)} canceled`,
    `${num(k.sans_changed)} with SAN changes (+${num(k.sans_added)}/−${num(k.sans_removed)})`,
    `${num(k.expiry_moved)} expiry moved`,
  ];
  if (k.reinstated) parts.push(`${num(k.reinstated)} reinstated`);
  if (k.product_changed) parts.push(`${num(k.product_changed)} product changed`);
  if (k.subaccounts_appeared || k.subaccounts_disappeared) {
    parts.push(`subaccounts +${num(k.subaccounts_appeared)}/−${num(k.subaccounts_disappeared)}`);
  }
  return parts.join(", ");
}

export function contractLines(
  rows: {
    acme_contract_id: number;
    product_name_id: string;
    status: string;
    valid_till: string;
    san_count: number;
    sans: string[];
  }[],
): string {
  return rows
    .map(
      (r) =>
        `- ${r.acme_contract_id} ${code(r.product_name_id, 40)} ${r.status}, valid till ${r.valid_till}, ${plural(
          r.san_count,
          "SAN",
        )}: ${r.sans.map((s) => code(s, 80)).join(" ")}`,
    )
    .join("\n");
}

export function domainText(
  domain: string,
  matches: DomainMatch[],
  total: number,
  snapshotId: string,
): string {
  if (total === 0) return `No contract in snapshot ${snapshotId} covers ${code(domain)}.`;
  const lines = matches.map(
    (m) =>
      `- contract ${m.acme_contract_id} (subaccount ${m.account_id}, ${code(m.product_name_id, 40)}, ${m.status}, valid till ${m.valid_till}) via ${m.match} SAN ${code(m.san)}`,
  );
  const more = total > matches.length ? `\n(${total - matches.length} more; raise limit)` : "";
  return `${plural(total, "contract")} cover ${code(domain)} (snapshot ${snapshotId}):\n${lines.join("\n")}${more}`;
}

export function expiringText(
  rows: ExpiringContract[],
  total: number,
  days: number,
  offset: number,
  next: number | undefined,
): string {
  if (total === 0) return `No contract (not canceled) expires within ${days} days.`;
  const lines = rows.map(
    (r) =>
      `- ${r.acme_contract_id} (subaccount ${r.account_id}, ${code(r.product_name_id, 40)}) in ${r.days_left} d, ${r.valid_till}: ${r.sans
        .map((s) => code(s, 80))
        .join(" ")}${r.san_count > r.sans.length ? ` +${r.san_count - r.sans.length}` : ""}`,
  );
  const page = next === undefined ? "" : `\n(more: call again with offset ${next})`;
  return `${plural(total, "contract")} expire within ${days} days; ${offset + 1}–${offset + rows.length}:\n${lines.join("\n")}${page}`;
}
