import { describe, expect, it } from "vitest";
import { RateLimiter } from "../../src/transports/rate-limit.js";

describe("RateLimiter", () => {
  it("allows a burst, then paces at the rate, per name", () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    for (let i = 0; i < 3; i++) expect(limiter.take("a", 60, 3)).toBe(0);
    expect(limiter.take("a", 60, 3)).toBe(1); // one a second
    expect(limiter.take("b", 60, 3)).toBe(0);
    now += 1_000;
    expect(limiter.take("a", 60, 3)).toBe(0);
    expect(limiter.take("a", 60, 3)).toBe(1);
    now += 60_000; // refills up to the burst, not beyond
    for (let i = 0; i < 3; i++) expect(limiter.take("a", 60, 3)).toBe(0);
    expect(limiter.take("a", 60, 3)).toBeGreaterThan(0);
  });

  it("says how long to wait at slow rates, and 0 means no limit", () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    expect(limiter.take("a", 2, 1)).toBe(0);
    expect(limiter.take("a", 2, 1)).toBe(30);
    now += 29_000;
    expect(limiter.take("a", 2, 1)).toBe(1);
    for (let i = 0; i < 1_000; i++) expect(limiter.take("z", 0, 1)).toBe(0);
  });
});
