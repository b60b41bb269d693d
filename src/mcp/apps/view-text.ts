import type { ReportSummary, SnapshotMeta } from "../../reporting/index.js";
import { code, num, plural } from "../../reporting/markdown.js";
import type { ExpiryBucket } from "../../reporting/timeline.js";

export interface ContractsOverview {
  snapshot: SnapshotMeta;
  as_of: string;
  totals: ReportSummary["totals"];
  expiring: Omit<ReportSummary["expiring"], "soonest"> & { by_week: ExpiryBucket[] };
  subaccounts: { top: ReportSummary["by_subaccount"]; other: ReportSummary["other_subaccounts"] };
  products: { top: ReportSummary["by_product"]; other: ReportSummary["other_products"] };
  refresh_error?: string;
}

/**
 * The overview for hosts that do not render the view, and for the model: a few lines whatever the report's
 * size, each number one the view shows too, and where to look next.
 */
export function viewText(o: ContractsOverview): string {
  const t = o.totals;
  const weeks = o.expiring.by_week.map((b) => `${b.from_day}–${b.to_day} d: ${num(b.contracts)}`).join(", ");
  const subaccounts = o.subaccounts.top.map((s) => `${s.account_id} (${num(s.contracts)})`).join(", ");
  const products = o.products.top
    .map((p) => `${code(p.product_name_id, 40)} (${num(p.contracts)})`)
    .join(", ");
  const others = (n: number, what: string, contracts: number) =>
    n > 0 ? `; ${plural(n, what)} more with ${plural(contracts, "contract")}` : "";
  return [
    `Snapshot ${o.snapshot.id} taken ${o.snapshot.taken_at}${o.refresh_error ? ` (refresh failed: ${o.refresh_error})` : ""}: ${plural(t.contracts, "contract")} in ${plural(t.subaccounts, "subaccount")}; ${num(t.active)} active, ${num(t.expired)} expired, ${num(t.canceled)} canceled.`,
    `Expiring (as of ${o.as_of}): ${num(o.expiring.within_30_days)} within 30 days, ${num(o.expiring.within_60_days)} within 60, ${num(o.expiring.within_90_days)} within 90.`,
    `By week: ${weeks}.`,
    `Top subaccounts: ${subaccounts || "none"}${others(o.subaccounts.other.subaccounts, "subaccount", o.subaccounts.other.contracts)}.`,
    `Products: ${products || "none"}${others(o.products.other.products, "product", o.products.other.contracts)}.`,
    "Lists: list_expiring_contracts (days, account_id, offset); a domain: find_contracts_for_domain; a subaccount: reporting_summary with account_id.",
  ].join("\n");
}
