import { DAY_MS, daysUntil, forEachContract, type Reporting, timeOf } from "./model.js";

export interface ExpiryBucket {
  /** whole days left from as_of, inclusive */
  from_day: number;
  /** whole days left, exclusive (the last bucket also holds a valid_till exactly `days` ahead) */
  to_day: number;
  contracts: number;
}

export interface TimelineOptions {
  nowMs: number;
  /** horizon in days (default 90) */
  days?: number;
  /** bucket width in days (default 7) */
  bucketDays?: number;
}

/**
 * How many contracts (not canceled) expire in each week of the next `days`: the same contracts the summary counts
 * as expiring within that horizon (valid_till after now, at most `days` ahead), so the buckets add up to it.
 * One pass, memory bounded by the number of buckets, whatever the size of the report.
 */
export function expiryTimeline(report: Reporting, options: TimelineOptions): ExpiryBucket[] {
  const { nowMs } = options;
  const days = options.days ?? 90;
  const width = options.bucketDays ?? 7;
  const buckets: ExpiryBucket[] = [];
  for (let from = 0; from < days; from += width) {
    buckets.push({ from_day: from, to_day: Math.min(from + width, days), contracts: 0 });
  }
  const limit = nowMs + days * DAY_MS;
  forEachContract(report, (c) => {
    if (c.date_canceled) return;
    const till = timeOf(c.valid_till);
    if (!(till > nowMs && till <= limit)) return;
    const index = Math.min(Math.floor(daysUntil(till, nowMs) / width), buckets.length - 1);
    const bucket = buckets[index];
    if (bucket) bucket.contracts++;
  });
  return buckets;
}
