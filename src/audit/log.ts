import { closeSync, openSync, writeSync } from "node:fs";
import { scrubDeep } from "../client/redact.js";
import type { AuditTarget } from "../config/index.js";
import type { ToolCallRecord } from "../mcp/index.js";
import type { RefusedRequest } from "../transports/types.js";

/** Who made a call: the HTTP token's name (never the token) and the key profile it used. */
export interface Caller {
  /** token name; null over stdio (the local user who started the server) */
  token: string | null;
  profile: string;
  transport: "stdio" | "http";
  /** an OAuth caller's `sub` and client (the token's claims, never the token) */
  subject?: string;
  clientId?: string | null;
}

/** One line of the audit log. */
export interface AuditLine {
  time: string;
  type: "audit";
  token: string | null;
  profile: string;
  transport: "stdio" | "http";
  /** OAuth callers only: who the access token was issued to, and to which client */
  subject?: string;
  client_id?: string | null;
  /** first 8 characters of the MCP session id, as in the debug logs; null without a session */
  session: string | null;
  tool: string;
  effect: "write" | "destructive";
  targets: Record<string, number>;
  confirmation: ToolCallRecord["confirmation"] | null;
  outcome: string;
  status: number | null;
  ms: number;
}

/** Why a request was turned away before any tool ran: at the HTTP edge (the transport's reasons), or by tool. */
export type RefusalReason = RefusedRequest["reason"] | "tool_not_offered";

/** A request refused at the door: the HTTP edge (401, 403, 413, 429) or a tool the caller was not given. */
export interface Refusal {
  reason: RefusalReason;
  /** the token's name when it authenticated; null for 401 and the Host/Origin checks, which come first */
  token: string | null;
  transport: "stdio" | "http";
  /** the peer's address as the socket sees it (a reverse proxy's, behind one); null over stdio */
  remote: string | null;
  /** the tool a caller asked for without having it (tool_not_offered) */
  tool?: string;
  /** the HTTP status answered; null when the refusal is a tool error inside a 200 */
  status: number | null;
}

/** One audit line for a refusal, or for the last of a burst of them (see `suppressed`). */
export interface RefusalLine extends Refusal {
  time: string;
  type: "audit";
  event: "refused";
  /** refusals of the same kind from the same caller not written since the previous line (flood guard) */
  suppressed: number;
}

/** A refusal of the same reason from the same caller is written at most once per window; the rest are counted. */
export const REFUSAL_WINDOW_MS = 60_000;
/** callers remembered for the flood guard; beyond it the stalest are forgotten (their counts are written first) */
const REFUSAL_KEYS_MAX = 10_000;

type Sink = (line: string) => void;

/**
 * The audit log: one JSON line per write or destructive tool call, apart from the debug logs (its own file, or
 * stderr lines marked "type":"audit"), so it can be kept longer and shipped elsewhere. Written synchronously:
 * a line is out before the caller sees the result, and a crash loses none.
 */
export class AuditLog {
  /** per reason and caller: when its last line was written, and how many refusals were not written since */
  private closed = false;
  private readonly refusals = new Map<string, { writtenAt: number; suppressed: number; last: Refusal }>();

  private constructor(
    private readonly sink: Sink,
    private readonly secrets: readonly string[],
    private readonly onClose: () => void,
    private readonly now: () => Date,
  ) {}

  /** undefined when the target is "off". A file is opened for appending (created 0600) now, so errors show at start. */
  static open(
    target: AuditTarget,
    options: { secrets: readonly string[]; now?: () => Date },
  ): AuditLog | undefined {
    const now = options.now ?? (() => new Date());
    switch (target.kind) {
      case "off":
        return undefined;
      case "stderr":
        return new AuditLog(
          (line) => process.stderr.write(line),
          options.secrets,
          () => undefined,
          now,
        );
      case "file": {
        const fd = openSync(target.path, "a", 0o600);
        return new AuditLog(
          (line) => writeSync(fd, line),
          options.secrets,
          () => closeSync(fd),
          now,
        );
      }
    }
  }

  /** Builds the line for a call, or undefined for reads (not audited). */
  line(call: ToolCallRecord, caller: Caller): AuditLine | undefined {
    if (call.effect === "read") return undefined;
    return {
      time: this.now().toISOString(),
      type: "audit",
      token: caller.token,
      profile: caller.profile,
      transport: caller.transport,
      ...(caller.subject !== undefined && { subject: caller.subject, client_id: caller.clientId ?? null }),
      session: call.sessionId ? call.sessionId.slice(0, 8) : null,
      tool: call.tool,
      effect: call.effect,
      targets: call.targets,
      confirmation: call.confirmation ?? null,
      outcome: call.outcome,
      status: call.status ?? null,
      ms: call.ms,
    };
  }

  record(call: ToolCallRecord, caller: Caller): void {
    const line = this.line(call, caller);
    // Nothing here should hold a secret; scrubbing anyway keeps a future field from leaking one.
    if (line) this.sink(`${JSON.stringify(scrubDeep(line, this.secrets))}\n`);
  }

  /**
   * Records a refused request. A client retrying with a wrong token (or a scan) must not fill the log: per reason
   * and caller (token name, else address) one line per REFUSAL_WINDOW_MS, the next one saying how many were held
   * back; counts still held are written on close.
   */
  refused(refusal: Refusal): void {
    const key = `${refusal.reason}\0${refusal.token ?? ""}\0${refusal.remote ?? ""}\0${refusal.tool ?? ""}`;
    const at = this.now().getTime();
    const seen = this.refusals.get(key);
    if (seen && at - seen.writtenAt < REFUSAL_WINDOW_MS) {
      seen.suppressed++;
      seen.last = refusal;
      return;
    }
    this.refusals.delete(key);
    this.refusals.set(key, { writtenAt: at, suppressed: 0, last: refusal });
    this.writeRefusal(refusal, seen?.suppressed ?? 0);
    if (this.refusals.size > REFUSAL_KEYS_MAX) {
      const [oldestKey, oldest] = this.refusals.entries().next().value as [
        string,
        { suppressed: number; last: Refusal },
      ];
      this.refusals.delete(oldestKey);
      if (oldest.suppressed > 0) this.writeRefusal(oldest.last, oldest.suppressed);
    }
  }

  private writeRefusal(refusal: Refusal, suppressed: number): void {
    const line: RefusalLine = {
      time: this.now().toISOString(),
      type: "audit",
      event: "refused",
      ...refusal,
      suppressed,
    };
    this.sink(`${JSON.stringify(scrubDeep(line, this.secrets))}\n`);
  }

  /** Idempotent: shutdown paths may each close it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const held of this.refusals.values()) {
      if (held.suppressed > 0) this.writeRefusal(held.last, held.suppressed);
    }
    this.refusals.clear();
    this.onClose();
  }
}
