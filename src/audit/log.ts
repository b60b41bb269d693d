import { closeSync, openSync, writeSync } from "node:fs";
import { scrubDeep } from "../client/redact.js";
import type { AuditTarget } from "../config/index.js";
import type { ToolCallRecord } from "../mcp/index.js";

/** Who made a call: the HTTP token's name (never the token) and the key profile it used. */
export interface Caller {
  /** token name; null over stdio (the local user who started the server) */
  token: string | null;
  profile: string;
  transport: "stdio" | "http";
}

/** One line of the audit log. */
export interface AuditLine {
  time: string;
  type: "audit";
  token: string | null;
  profile: string;
  transport: "stdio" | "http";
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

type Sink = (line: string) => void;

/**
 * The audit log: one JSON line per write or destructive tool call, apart from the debug logs (its own file, or
 * stderr lines marked "type":"audit"), so it can be kept longer and shipped elsewhere. Written synchronously:
 * a line is out before the caller sees the result, and a crash loses none.
 */
export class AuditLog {
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

  close(): void {
    this.onClose();
  }
}
