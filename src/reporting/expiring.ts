import { DAY_MS, daysUntil, forEachContract, type Reporting, timeOf } from "./model.js";

export interface ExpiringContract {
  acme_contract_id: number;
  account_id: number;
  product_name_id: string;
  valid_till: string;
  days_left: number;
  san_count: number;
  /** the first SANs (at most `sanPreview`), enough to recognise the contract */
  sans: string[];
}

export interface ExpiringOptions {
  days: number;
  nowMs: number;
  /** only this subaccount */
  accountId?: number;
  /** SANs shown per contract (default 3) */
  sanPreview?: number;
}

/**
 * Contracts not canceled whose valid_till falls after now and within `days`, soonest first. Contracts already
 * past valid_till are not "expiring"; the summary counts them as expired.
 */
export function expiringContracts(report: Reporting, options: ExpiringOptions): ExpiringContract[] {
  const { nowMs, accountId } = options;
  const limit = nowMs + options.days * DAY_MS;
  const preview = options.sanPreview ?? 3;
  const found: { till: number; item: ExpiringContract }[] = [];
  forEachContract(report, (c, owner) => {
    if (c.date_canceled) return;
    if (accountId !== undefined && owner !== accountId) return;
    const till = timeOf(c.valid_till);
    if (!(till > nowMs && till <= limit)) return;
    found.push({
      till,
      item: {
        acme_contract_id: c.acme_contract_id,
        account_id: owner,
        product_name_id: c.product_name_id,
        valid_till: c.valid_till,
        days_left: daysUntil(till, nowMs),
        san_count: c.sans.length,
        sans: c.sans.slice(0, preview),
      },
    });
  });
  found.sort((a, b) => a.till - b.till || a.item.acme_contract_id - b.item.acme_contract_id);
  return found.map((f) => f.item);
}
