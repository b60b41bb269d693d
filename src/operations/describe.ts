import type { Contract } from "../schemas/entities.js";

/** One line naming a contract for confirmation previews: product, SAN count, expiry, state. */
export function describeContract(current: unknown): string {
  const c = current as Partial<Contract> | undefined;
  if (!c || typeof c !== "object") return "";
  const sans = Array.isArray(c.sans) ? c.sans : [];
  const shown = sans.slice(0, 5).join(", ") + (sans.length > 5 ? ` and ${sans.length - 5} more` : "");
  const state = c.date_canceled ? `canceled ${c.date_canceled}` : `valid till ${c.valid_till}`;
  return `(${c.product_name_id}, ${sans.length} SAN(s): ${shown}; ${state}; auto_renew ${c.auto_renew})`;
}

export function list(values: unknown): string {
  return Array.isArray(values) ? values.join(", ") : "";
}
