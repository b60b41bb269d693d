import type { Contract } from "../schemas/entities.js";

/**
 * A value read from DigiCert, as a JSON string literal: quoted and escaped, so a SAN, name or email that reads
 * like an instruction (or holds a newline or quote) stays visibly data inside a preview sentence.
 */
export function quote(value: unknown): string {
  return JSON.stringify(String(value));
}

/** Values read from DigiCert, each quoted. */
export function quotedList(values: unknown): string {
  return Array.isArray(values) ? values.map(quote).join(", ") : "";
}

/** One line naming a contract for confirmation previews: product, SAN count, expiry, state. */
export function describeContract(current: unknown): string {
  const c = current as Partial<Contract> | undefined;
  if (!c || typeof c !== "object") return "";
  const sans = Array.isArray(c.sans) ? c.sans : [];
  const shown = quotedList(sans.slice(0, 5)) + (sans.length > 5 ? ` and ${sans.length - 5} more` : "");
  const state = c.date_canceled ? `canceled ${quote(c.date_canceled)}` : `valid till ${quote(c.valid_till)}`;
  return `(${quote(c.product_name_id)}, ${sans.length} SAN(s): ${shown}; ${state}; auto_renew ${c.auto_renew === true})`;
}

export function list(values: unknown): string {
  return Array.isArray(values) ? values.join(", ") : "";
}
