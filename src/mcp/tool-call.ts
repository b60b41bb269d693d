import { DigiCertError } from "../client/errors.js";
import { type Operation, pathParams } from "../operations/index.js";
import type { ConfirmedBy } from "./confirmation/gate.js";

/**
 * What the MCP layer reports about each catalog tool call through `onToolCall` (e.g. to an audit log). Only
 * facts that are safe to keep: the tool, the ids of what it targeted, how it was confirmed and how it ended;
 * never other arguments (new keys, EAB HMACs, names, free text) nor results.
 */
export interface ToolCallRecord {
  tool: string;
  effect: "read" | "write" | "destructive";
  /** MCP session id (HTTP sessions); undefined over stdio and stateless HTTP */
  sessionId: string | undefined;
  /** target ids taken from the arguments: the operation's path parameters and account_id, whole numbers only */
  targets: Record<string, number>;
  /** how the confirmation gate let it through or stopped it; undefined when the arguments were invalid */
  confirmation: ConfirmedBy | undefined;
  /**
   * `ok`; `not_executed` (preview returned, or the user declined); `outcome_unknown` (a write whose request may
   * have reached DigiCert); `error:<HTTP status>` or `error:<kind>` (config, validation, network, timeout,
   * aborted, response, invalid_arguments, confirmation_refused, repeat (an identical create held back), internal)
   */
  outcome: string;
  /** DigiCert's HTTP status, when there was an answer */
  status: number | undefined;
  ms: number;
}

export type ToolCallHook = (record: ToolCallRecord) => void;

/** Per operation: the fields targetsOf reads (its path parameters, then account_id). */
const targetFields = new WeakMap<Operation, readonly string[]>();

/**
 * The ids a call acts on: its path parameters (contract, credential, API key, account, subaccount ids) and the
 * subaccount whose key it used, read from the catalog entry. Ids only: never names, SANs, emails or keys.
 */
export function targetsOf(op: Operation, args: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  let fields = targetFields.get(op);
  if (!fields) {
    fields = [...pathParams(op.path), "account_id"];
    targetFields.set(op, fields);
  }
  for (const field of fields) {
    const v = args[field];
    // Whole numbers only: a string here could be anything the agent pasted, including a key.
    if (typeof v === "number" && Number.isSafeInteger(v)) out[field] = v;
  }
  return out;
}

export function outcomeOf(err: unknown): string {
  if (!(err instanceof DigiCertError)) return "error:internal";
  if (err.outcomeUnknown) return "outcome_unknown";
  return err.kind === "http" && err.status !== undefined ? `error:${err.status}` : `error:${err.kind}`;
}
