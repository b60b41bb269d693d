import { describe, expect, it } from "vitest";
import { ConfirmationTokens } from "../../src/mcp/confirmation/token.js";

// The used-token ledger in isolation: bounded per caller, entries gone with their token.

const SECRET = "l".repeat(32);

function ledger(bound: number) {
  let now = 1_000_000;
  const tokens = new ConfirmationTokens({
    secret: SECRET,
    ttlMs: 60_000,
    now: () => now,
    maxUsedPerCaller: bound,
  });
  const redeem = (owner: string) => {
    const { token } = tokens.issue({ tool: "t", args: "a", state: "s", session: owner });
    return tokens.verifyAndConsume(token, { tool: "t", args: "a", session: owner, owner });
  };
  return { tokens, redeem, advance: (ms: number) => (now += ms) };
}

describe("confirmation ledger", () => {
  it("refuses a caller over its bound, and only that caller", () => {
    const { redeem } = ledger(3);
    for (let i = 0; i < 3; i++) expect(redeem("flooder").ok).toBe(true);
    const over = redeem("flooder");
    expect(over.ok).toBe(false);
    expect(over.ok ? "" : over.reason).toMatch(/3 confirmations in flight/);
    expect(redeem("other").ok).toBe(true);
  });

  it("forgets used tokens when they expire: the caller may confirm again, and idle callers free theirs", () => {
    const { tokens, redeem, advance } = ledger(2);
    redeem("a");
    redeem("a");
    redeem("idle");
    expect(tokens.usedCount()).toBe(3);
    expect(redeem("a").ok).toBe(false);
    advance(60_001);
    expect(redeem("a").ok).toBe(true);
    // "idle" never came back; the sweep dropped its expired entry with the others
    expect(tokens.usedCount()).toBe(1);
  });

  it("still refuses a replay within the lifetime", () => {
    const { tokens } = ledger(10);
    const { token } = tokens.issue({ tool: "t", args: "a", state: "s", session: "x" });
    const who = { tool: "t", args: "a", session: "x", owner: "x" };
    expect(tokens.verifyAndConsume(token, who).ok).toBe(true);
    const again = tokens.verifyAndConsume(token, who);
    expect(again.ok ? "" : again.reason).toMatch(/already been used/);
  });
});
