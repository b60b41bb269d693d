export const DAY_MS = 86_400_000;

/**
 * The sandbox's notion of "now". Business rules (30-day cancel window, term length, timestamps) read this
 * clock, never Date.now(), so tests can move time instead of waiting for it.
 */
export class Clock {
  private offset = 0;

  constructor(private readonly base: () => number = Date.now) {}

  now(): number {
    return this.base() + this.offset;
  }

  advance(ms: number): number {
    this.offset += ms;
    return this.now();
  }

  set(epochMs: number): number {
    this.offset = epochMs - this.base();
    return this.now();
  }

  /** Back to the base time source (used by reset). */
  restore(): void {
    this.offset = 0;
  }
}

const dayPrefix = new Map<number, string>();
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * ISO 8601 at second precision with Z, the form DigiCert's examples use (2026-02-02T09:45:18Z). The date part
 * is cached per day because reporting over 100,000 contracts formats 200,000 timestamps per request, and
 * Date#toISOString was most of that request's time.
 */
export function iso(epochMs: number): string {
  const day = Math.floor(epochMs / DAY_MS);
  let prefix = dayPrefix.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    if (dayPrefix.size >= 50_000) dayPrefix.clear();
    dayPrefix.set(day, prefix);
  }
  const seconds = Math.floor((epochMs - day * DAY_MS) / 1000);
  return `${prefix}${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}Z`;
}

/** The documented quirk of the credential listing: "2026-06-01 14:00:00" (UTC, no zone). */
export function credentialTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace("T", " ");
}

/** Same calendar date and time one year later (UTC); 29 February becomes 1 March. */
export function plusOneYear(epochMs: number): number {
  const d = new Date(epochMs);
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.getTime();
}

/** Truncates to whole seconds so stored and displayed timestamps agree. */
export function wholeSecond(epochMs: number): number {
  return Math.floor(epochMs / 1000) * 1000;
}
