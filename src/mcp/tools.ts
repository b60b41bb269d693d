import type { DigiCertClient } from "../client/client.js";
import { DigiCertError } from "../client/errors.js";
import type { Logger } from "../logging.js";
import type { Operation } from "../operations/index.js";
import type { CallToolResult, McpServer } from "../sdk/server.js";
import { annotationsFor } from "./annotations.js";
import type { ConfirmationGate, ConfirmedBy, ToolExtra } from "./confirmation/gate.js";
import { toolDescription } from "./descriptions.js";
import { errorResult, invalidArgumentsResult } from "./errors.js";
import type { Page } from "./paging.js";
import { progressFor } from "./progress.js";
import { type ResultText, successResult } from "./render.js";
import { RepeatGuard } from "./repeat-guard.js";
import { outcomeOf, type ToolCallHook, type ToolCallRecord, targetsOf } from "./tool-call.js";
import { advertisedInputSchema, MCP_ONLY_ARGS, toolInputSchema, toolOutputSchema } from "./tool-schemas.js";

export interface ToolDeps {
  client: DigiCertClient;
  logger: Logger;
  gate: ConfirmationGate;
  /** told once per call, after it ended (audit log) */
  onToolCall?: ToolCallHook;
  /** holds back identical repeats of creates (see RepeatGuard) */
  repeats?: RepeatGuard;
  /** the caller's name, besides the session, for the repeat guard */
  caller?: string;
  /** heartbeat of notifications/progress while DigiCert has not answered (default HEARTBEAT_MS) */
  progressIntervalMs?: number;
  /** how results show the data in their text (render.ts) */
  resultText?: ResultText;
}

interface SplitArgs {
  api: Record<string, unknown>;
  token: string | undefined;
  page: Partial<Page>;
}

/** Separates what goes to DigiCert from what only the MCP layer reads (token, paging). */
function splitArgs(args: Record<string, unknown>): SplitArgs {
  const api: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    if (!(MCP_ONLY_ARGS as readonly string[]).includes(k)) api[k] = v;
  }
  return {
    api,
    token: typeof args.confirmation_token === "string" ? args.confirmation_token : undefined,
    page: {
      offset: typeof args.offset === "number" ? args.offset : undefined,
      limit: typeof args.limit === "number" ? args.limit : undefined,
    },
  };
}

/** "sans[1]", "organization.city": how the path of a field reads in an error. */
function dotPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    "",
  );
}

/**
 * The DigiCert call, telling a client that asked for progress (a progress token) what it waits for: a retry's
 * Retry-After or backoff, a large answer arriving, and every second that DigiCert has not answered yet.
 */
async function callWithProgress(
  op: Operation,
  deps: ToolDeps,
  api: Record<string, unknown>,
  extra: ToolExtra,
): ReturnType<DigiCertClient["call"]> {
  const progress = progressFor(extra);
  if (!progress) return deps.client.call(op, api, { signal: extra.signal });
  const stop = progress.heartbeat(`waiting for DigiCert (${op.name})`, deps.progressIntervalMs);
  try {
    return await deps.client.call(op, api, { signal: extra.signal, onProgress: (e) => progress.client(e) });
  } finally {
    stop();
  }
}

/** Runs one tool call: confirmation gate, DigiCert call, rendering; every failure becomes a tool error here. */
async function runTool(
  op: Operation,
  deps: ToolDeps,
  args: Record<string, unknown>,
  extra: ToolExtra,
): Promise<CallToolResult> {
  const started = performance.now();
  let outcome = "ok";
  let status: number | undefined;
  // for onToolCall: how the gate decided, and the outcome in the audit log's terms
  let confirmation: ConfirmedBy | undefined;
  let result = "ok";
  try {
    const parsed = toolInputSchema(op, { confirmation: deps.gate.enabled }).safeParse(args);
    if (!parsed.success) {
      outcome = "invalid";
      result = "error:invalid_arguments";
      const issues = parsed.error.issues.map((i) => ({ path: dotPath(i.path), message: i.message }));
      return deps.client.scrub(invalidArgumentsResult(op, issues));
    }
    const { api, token, page } = splitArgs(parsed.data as Record<string, unknown>);
    // the catalog's cross-field rules, before anything is read or asked
    deps.client.validate(op, api);
    const guard = deps.repeats && RepeatGuard.applies(op) ? deps.repeats : undefined;
    const caller = `${extra.sessionId ?? ""}\u0000${deps.caller ?? ""}`;
    const repeat = guard?.check(op, caller, api);
    if (repeat) {
      outcome = "repeat";
      result = "error:repeat";
      return repeat;
    }
    const decision = await deps.gate.check(op, api, token, extra);
    confirmation = decision.via;
    if (!decision.proceed) {
      outcome = decision.outcome;
      result = decision.outcome === "refused" ? "error:confirmation_refused" : "not_executed";
      return deps.client.scrub(decision.result);
    }
    const response = await callWithProgress(op, deps, api, extra);
    status = response.status;
    guard?.remember(op, caller, api, response.status);
    return deps.client.scrub(successResult(op, api, response, page, deps.resultText));
  } catch (err) {
    outcome = err instanceof DigiCertError ? `error:${err.kind}` : "error:internal";
    result = outcomeOf(err);
    if (err instanceof DigiCertError) status = err.status;
    else deps.logger.error({ tool: op.name, err }, "tool failed unexpectedly");
    return deps.client.scrub(errorResult(op, err));
  } finally {
    const ms = Math.round(performance.now() - started);
    // never the arguments or the result: they may hold secrets (new keys, EAB HMAC) and personal data
    deps.logger.debug({ tool: op.name, ms, outcome, status }, "tool call");
    if (deps.onToolCall) {
      const record: ToolCallRecord = {
        tool: op.name,
        effect: op.effect,
        sessionId: extra.sessionId,
        targets: targetsOf(op, args),
        confirmation,
        outcome: result,
        status,
        ms,
      };
      try {
        deps.onToolCall(record);
      } catch (err) {
        // a failing sink must not turn a done call into an error (the change has happened)
        deps.logger.error({ tool: op.name, err }, "onToolCall failed");
      }
    }
  }
}

/** The one registration loop: every selected catalog operation becomes a tool with the same wrapping. */
export function registerOperationTools(
  server: McpServer,
  operations: readonly Operation[],
  deps: ToolDeps,
): void {
  const confirmation = deps.gate.enabled;
  for (const op of operations) {
    server.registerTool(
      op.name,
      {
        title: op.title,
        description: toolDescription(op, confirmation),
        inputSchema: advertisedInputSchema(op, { confirmation }),
        outputSchema: toolOutputSchema(op, { confirmation }),
        annotations: annotationsFor(op),
      },
      (args: Record<string, unknown>, extra: ToolExtra) => runTool(op, deps, args, extra),
    );
  }
}
