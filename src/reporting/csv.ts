import { ownerOf, type Reporting } from "./model.js";

export const CSV_COLUMNS = [
  "account_id",
  "acme_contract_id",
  "product_name_id",
  "sans",
  "created_at",
  "valid_till",
  "date_canceled",
] as const;

/**
 * Spreadsheets run a cell that starts with one of these as a formula (CSV injection); a leading apostrophe
 * makes them show it as text. Tab and CR are on OWASP's list too.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV cell: formula guard, then RFC 4180 quoting (double the quotes, wrap when needed). */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The report as CSV lines (each ending in CRLF, as RFC 4180 asks), header first, one row per contract; SANs
 * in one cell separated by a space, which no DNS name contains. A generator, so a caller streaming to a file
 * never holds the whole text.
 */
export function* csvLines(report: Reporting): Generator<string> {
  yield `${CSV_COLUMNS.join(",")}\r\n`;
  for (const account of report.accounts) {
    for (const c of account.acme) {
      yield `${[
        csvCell(ownerOf(c, account.account_id)),
        csvCell(c.acme_contract_id),
        csvCell(c.product_name_id),
        csvCell(c.sans.join(" ")),
        csvCell(c.created_at),
        csvCell(c.valid_till),
        csvCell(c.date_canceled),
      ].join(",")}\r\n`;
    }
  }
}

export function toCsv(report: Reporting): string {
  // Array + join keeps the peak near the size of the result (string += on 100k rows makes ropes V8 must flatten).
  return Array.from(csvLines(report)).join("");
}
