import type { DigiCertClient } from "../../client/client.js";
import type { Operation } from "../../operations/index.js";
import type {
  CallToolResult,
  McpServer,
  RequestHandlerExtra,
  ServerNotification,
  ServerRequest,
} from "../../sdk/server.js";
import { compactData } from "../compact.js";
import { hashOf } from "./canonical.js";
import type { ConfirmationTokens } from "./token.js";

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * How a call went through (or was stopped at) the gate, for the audit log: confirmed with a `token` or by the
 * user through `elicitation`, confirmation `disabled` by the operator, `not_required` for this call, or
 * `preview_only` (a preview and token were returned; nothing ran).
 */
export type ConfirmedBy = "token" | "elicitation" | "disabled" | "not_required" | "preview_only";

export type GateDecision =
  | { proceed: true; via: ConfirmedBy }
  | {
      proceed: false;
      result: CallToolResult;
      outcome: "confirmation_required" | "not_confirmed" | "refused";
      via: ConfirmedBy;
    };

export interface GateOptions {
  server: McpServer;
  client: DigiCertClient;
  /** undefined when confirmation is disabled by the operator */
  tokens: ConfirmationTokens | undefined;
  /**
   * Who is calling (the HTTP bearer token's name), bound into tokens besides the session: in stateless mode
   * there is no session, and another caller must not redeem a preview made for this one.
   */
  caller?: string;
  /**
   * Whether tokens are bound to the session too (default). Off only with a caller (MCP_CONFIRMATION_BINDING=
   * caller): then a token made in one session can be redeemed by the same caller in another, once.
   */
  sessionBound?: boolean;
}

/**
 * Fields that change on their own (DigiCert updates last_used_date on every authenticated call, including the
 * inspection itself), left out of the state hash so they never count as "the target changed".
 */
const VOLATILE = new Set(["last_used_date"]);

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!VOLATILE.has(k)) out[k] = stable(v);
    return out;
  }
  return value;
}

function definedOnly(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

/**
 * The guard in front of every call whose catalog entry declares `confirm` (and whose `when` matches): asks the
 * user through elicitation when the client can, otherwise answers with a preview and a single-use token the
 * agent must send back. Nothing an agent sends can switch it off; only the operator's `confirmation.mode`.
 */
export class ConfirmationGate {
  constructor(private readonly options: GateOptions) {}

  private binding(extra: ToolExtra): string {
    const session = this.options.sessionBound === false ? "" : (extra.sessionId ?? "");
    return this.options.caller === undefined ? session : `${session}\u0000${this.options.caller}`;
  }

  /** false when the operator disabled confirmation */
  get enabled(): boolean {
    return this.options.tokens !== undefined;
  }

  applies(op: Operation, args: Record<string, unknown>): boolean {
    if (!this.options.tokens || !op.confirm) return false;
    return op.confirm.when ? op.confirm.when(args) : true;
  }

  async check(
    op: Operation,
    args: Record<string, unknown>,
    token: string | undefined,
    extra: ToolExtra,
  ): Promise<GateDecision> {
    const tokens = this.options.tokens;
    const confirm = op.confirm;
    if (!confirm || !(confirm.when ? confirm.when(args) : true))
      return { proceed: true, via: "not_required" };
    if (!tokens) return { proceed: true, via: "disabled" };

    if (token !== undefined) return this.redeem(op, args, token, tokens, extra);

    const state = await this.inspect(op, args, extra.signal);
    const preview = confirm.describe(args, state.current);
    const current = state.current === undefined ? undefined : compactData(undefined, state.current, {}).data;

    if (this.options.server.server.getClientCapabilities()?.elicitation?.form) {
      return this.elicit(op, args, preview, current, state.hash, extra);
    }

    const issued = tokens.issue({
      tool: op.name,
      args: hashOf(args),
      state: state.hash,
      session: this.binding(extra),
    });
    const expiresAt = new Date(issued.expiresAt).toISOString();
    const text = [
      "Confirmation required: nothing has been changed yet.",
      `Preview: ${preview}`,
      `Show this preview to the user. Only if they agree, call ${op.name} again with exactly the same arguments plus confirmation_token (below). It works once, until ${expiresAt}.`,
      `confirmation_token: ${issued.token}`,
    ].join("\n");
    return {
      proceed: false,
      outcome: "confirmation_required",
      via: "preview_only",
      result: {
        content: [{ type: "text", text }],
        structuredContent: {
          ok: false,
          status: "confirmation_required",
          summary: "Confirmation required; nothing was changed.",
          preview,
          ...(current === undefined ? {} : { current }),
          confirmation_token: issued.token,
          expires_at: expiresAt,
        },
      },
    };
  }

  /** Second call of the token flow: the token must match this call, and the target must be as previewed. */
  private async redeem(
    op: Operation,
    args: Record<string, unknown>,
    token: string,
    tokens: ConfirmationTokens,
    extra: ToolExtra,
  ): Promise<GateDecision> {
    const verdict = await tokens.verifyAndConsume(token, {
      tool: op.name,
      args: hashOf(args),
      session: this.binding(extra),
      // the used-token ledger is kept per caller: a flood from one token cannot refuse another's confirmations
      owner: this.options.caller ?? extra.sessionId ?? "",
    });
    if (!verdict.ok) {
      return refused(
        "token",
        `The confirmation token was refused: ${verdict.reason}. Nothing was changed. Call ${op.name} without confirmation_token to get a new preview, show it to the user and confirm again.`,
      );
    }
    const state = await this.inspect(op, args, extra.signal);
    if (state.hash !== verdict.claims.state) return changedSincePreview(op, "token");
    return { proceed: true, via: "token" };
  }

  private async elicit(
    op: Operation,
    args: Record<string, unknown>,
    preview: string,
    current: unknown,
    hash: string,
    extra: ToolExtra,
  ): Promise<GateDecision> {
    let answer: Awaited<ReturnType<McpServer["server"]["elicitInput"]>>;
    try {
      answer = await this.options.server.server.elicitInput(
        {
          mode: "form",
          message: `${preview}\n\nDo you want to go ahead?`,
          requestedSchema: {
            type: "object",
            properties: {
              confirm: { type: "boolean", title: "Go ahead", description: "Tick to let this change happen." },
            },
            required: ["confirm"],
          },
        },
        { signal: extra.signal, relatedRequestId: extra.requestId, timeout: this.options.tokens?.ttlMs },
      );
    } catch (err) {
      return refused(
        "elicitation",
        `Could not ask the user to confirm (${err instanceof Error ? err.message : String(err)}). Nothing was changed.`,
      );
    }
    if (answer.action !== "accept" || answer.content?.confirm !== true) {
      const summary = `The user did not confirm (${answer.action}); nothing was changed.`;
      return {
        proceed: false,
        outcome: "not_confirmed",
        via: "elicitation",
        result: {
          content: [{ type: "text", text: `${summary}\nPreview was: ${preview}` }],
          structuredContent: {
            ok: false,
            status: "not_confirmed",
            summary,
            preview,
            ...(current === undefined ? {} : { current }),
          },
        },
      };
    }
    // The user may have taken a while: the target must still be what they saw.
    const again = await this.inspect(op, args, extra.signal);
    if (again.hash !== hash) return changedSincePreview(op, "elicitation");
    return { proceed: true, via: "elicitation" };
  }

  private async inspect(
    op: Operation,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<{ current: unknown; hash: string }> {
    const inspection = op.confirm?.inspect;
    if (!inspection) return { current: undefined, hash: hashOf(null) };
    const { data } = await this.options.client.call(inspection.op, definedOnly(inspection.input(args)), {
      signal,
    });
    return { current: data, hash: hashOf(stable(data)) };
  }
}

function refused(via: ConfirmedBy, text: string): GateDecision {
  return {
    proceed: false,
    outcome: "refused",
    via,
    result: {
      isError: true,
      content: [{ type: "text", text }],
      structuredContent: { ok: false, summary: text, error: { kind: "confirmation" } },
    },
  };
}

function changedSincePreview(op: Operation, via: ConfirmedBy): GateDecision {
  return refused(
    via,
    `The target changed since the preview was made, so nothing was changed. Call ${op.name} without confirmation_token to get a new preview of the current state and confirm again.`,
  );
}
