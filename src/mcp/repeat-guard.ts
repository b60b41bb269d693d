import type { Operation } from "../operations/index.js";
import type { CallToolResult } from "../sdk/server.js";
import { hashOf } from "./confirmation/canonical.js";

/** How long an identical call to a create is refused after it succeeded. */
export const REPEAT_WINDOW_MS = 10 * 60_000;
/** Bound on remembered calls, per guard; the oldest go first. */
const MAX_REMEMBERED = 1_000;

/**
 * Holds back an identical repeat of a write that is not idempotent (create contract, create API key, create
 * subaccount) for a few minutes after it succeeded. An agent that did not trust the first answer (it was not in
 * the expected form, or it lost the once-shown key) would otherwise buy a second contract or subaccount. The
 * repeat is refused before anything is sent; a different argument, or the window passing, lets it through.
 */
export class RepeatGuard {
  private readonly done = new Map<string, { at: number; status: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  static applies(op: Operation): boolean {
    return op.effect === "write" && !op.idempotent && !op.confirm;
  }

  private key(op: Operation, caller: string, args: Record<string, unknown>): string {
    return hashOf({ tool: op.name, caller, args });
  }

  /** The refusal when this exact call succeeded within the window, else undefined. */
  check(op: Operation, caller: string, args: Record<string, unknown>): CallToolResult | undefined {
    const key = this.key(op, caller, args);
    const hit = this.done.get(key);
    if (!hit) return undefined;
    const ago = this.now() - hit.at;
    if (ago >= REPEAT_WINDOW_MS) {
      this.done.delete(key);
      return undefined;
    }
    const minutes = Math.max(1, Math.round(ago / 60_000));
    const text =
      `Not sent: an identical ${op.name} succeeded about ${minutes} min ago (HTTP ${hit.status}), and repeating it would ` +
      `create a second one (for a contract or subaccount, a second billable one). Nothing was changed. If the user ` +
      `really wants another, say so to them and call again with a different argument, or after ${Math.ceil(REPEAT_WINDOW_MS / 60_000)} min.`;
    return {
      isError: true,
      content: [{ type: "text", text }],
      structuredContent: { ok: false, summary: text, error: { kind: "repeat" } },
    };
  }

  /** Records a call DigiCert accepted (2xx). */
  remember(op: Operation, caller: string, args: Record<string, unknown>, status: number): void {
    if (this.done.size >= MAX_REMEMBERED) this.done.delete(this.done.keys().next().value as string);
    this.done.set(this.key(op, caller, args), { at: this.now(), status });
  }
}
