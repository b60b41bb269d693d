/**
 * Token buckets, one per token name: `burst` requests at once, refilled at `perMinute`. In memory and per
 * process, so with several replicas each enforces its own share (see docs/reliability.md).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { level: number; at: number }>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /**
   * Takes one request from `name`'s bucket. Returns 0 when allowed, else the seconds to wait until one is free
   * (at least 1). A limit of 0 means unlimited.
   */
  take(name: string, perMinute: number, burst: number): number {
    if (perMinute <= 0) return 0;
    const now = this.now();
    const perMs = perMinute / 60_000;
    const bucket = this.buckets.get(name) ?? { level: burst, at: now };
    bucket.level = Math.min(burst, bucket.level + (now - bucket.at) * perMs);
    bucket.at = now;
    this.buckets.set(name, bucket);
    if (bucket.level >= 1) {
      bucket.level -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.level) / perMs / 1000));
  }
}

/** Where the HTTP edge takes from a token's bucket: this process (RateLimiter) or a store shared by replicas. */
export interface RateLimits {
  take(name: string, perMinute: number, burst: number): Promise<number>;
}

export function localRateLimits(limiter: RateLimiter): RateLimits {
  return { take: async (name, perMinute, burst) => limiter.take(name, perMinute, burst) };
}
