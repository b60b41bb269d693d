import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AuditLog, REFUSAL_WINDOW_MS, type Refusal, type RefusalLine } from "../../src/audit/log.js";

const TOKEN = "pasted-token-0123456789abcdef0123456789";

describe("audit log: refused requests", () => {
  let dir: string;
  let path: string;
  let clock: number;
  let audit: AuditLog;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "audit-refusals-"));
    path = join(dir, "audit.jsonl");
    clock = Date.parse("2026-11-22T10:00:00Z");
    audit = AuditLog.open(
      { kind: "file", path },
      { secrets: [TOKEN], now: () => new Date(clock) },
    ) as AuditLog;
  });
  afterEach(() => {
    audit.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const lines = (): RefusalLine[] =>
    readFileSync(path, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as RefusalLine);
  const unauthorized = (remote: string): Refusal => ({
    reason: "unauthorized",
    token: null,
    transport: "http",
    remote,
    status: 401,
  });

  it("writes the first refusal at once, as an audit line marked refused", () => {
    audit.refused(unauthorized("10.0.0.7"));
    expect(lines()).toEqual([
      {
        time: "2026-11-22T10:00:00.000Z",
        type: "audit",
        event: "refused",
        reason: "unauthorized",
        token: null,
        transport: "http",
        remote: "10.0.0.7",
        status: 401,
        suppressed: 0,
      },
    ]);
  });

  it("a burst from one caller is one line per window; the next line counts the ones held back", () => {
    for (let i = 0; i < 50; i++) audit.refused(unauthorized("10.0.0.7"));
    expect(lines()).toHaveLength(1);
    clock += REFUSAL_WINDOW_MS - 1;
    audit.refused(unauthorized("10.0.0.7"));
    expect(lines()).toHaveLength(1);
    clock += 1;
    audit.refused(unauthorized("10.0.0.7"));
    expect(lines().map((l) => l.suppressed)).toEqual([0, 50]);
  });

  it("other callers and other reasons are not held back by someone else's burst", () => {
    for (let i = 0; i < 5; i++) audit.refused(unauthorized("10.0.0.7"));
    audit.refused(unauthorized("10.0.0.8"));
    audit.refused({
      reason: "rate_limited",
      token: "team-a",
      transport: "http",
      remote: "10.0.0.7",
      status: 429,
    });
    audit.refused({
      reason: "tool_not_offered",
      token: "support-bot",
      transport: "http",
      remote: null,
      tool: "cancel_acme_contract",
      status: null,
    });
    expect(lines().map((l) => [l.reason, l.remote, l.token])).toEqual([
      ["unauthorized", "10.0.0.7", null],
      ["unauthorized", "10.0.0.8", null],
      ["rate_limited", "10.0.0.7", "team-a"],
      ["tool_not_offered", null, "support-bot"],
    ]);
  });

  it("on close, writes the counts still held back", () => {
    for (let i = 0; i < 4; i++) audit.refused(unauthorized("10.0.0.7"));
    audit.refused(unauthorized("10.0.0.8"));
    audit.close();
    expect(lines().map((l) => [l.remote, l.suppressed])).toEqual([
      ["10.0.0.7", 0],
      ["10.0.0.8", 0],
      ["10.0.0.7", 3],
    ]);
  });

  it("scrubs configured secrets from refusal lines too", () => {
    audit.refused({ ...unauthorized("10.0.0.7"), tool: `x${TOKEN}` });
    expect(readFileSync(path, "utf8")).not.toContain(TOKEN);
  });
});
