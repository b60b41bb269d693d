import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Operation } from "../operations/index.js";
import { compactData } from "./compact.js";
import type { Page } from "./paging.js";
import { oneTimeSecretNote } from "./secrets.js";

/** "acme_contract_id 123, credential_id 7": the path parameters, so a summary names its target. */
function target(op: Operation, args: Record<string, unknown>): string {
  const parts = Object.keys(op.params.shape)
    .filter((k) => args[k] !== undefined)
    .map((k) => `${k} ${String(args[k])}`);
  if (typeof args.account_id === "number" && !("account_id" in op.params.shape)) {
    parts.push(`as subaccount ${args.account_id}`);
  }
  return parts.length ? ` (${parts.join(", ")})` : "";
}

/** "3 api_keys" for each list directly in the answer. */
function counts(data: unknown, full: unknown): string {
  if (!data || typeof data !== "object" || !full || typeof full !== "object") return "";
  const parts: string[] = [];
  for (const [k, v] of Object.entries(full as Record<string, unknown>)) {
    if (Array.isArray(v)) parts.push(`${v.length} ${k}`);
  }
  return parts.length ? `: ${parts.join(", ")}` : "";
}

/** The result of a call that went through: structured (for clients that read it) and compact text. */
export function successResult(
  op: Operation,
  args: Record<string, unknown>,
  response: { status: number; data: unknown },
  page: Partial<Page>,
): CallToolResult {
  const compacted = compactData(op.name, response.data, page);
  const notes = [...compacted.notes];
  const secret = oneTimeSecretNote(op.name, compacted.data);
  if (secret) notes.unshift(secret);
  const summary =
    response.data === undefined
      ? `${op.title}: done${target(op, args)} (HTTP ${response.status}).`
      : `${op.title}${target(op, args)}${counts(compacted.data, response.data)}.`;
  const structured: Record<string, unknown> = { ok: true, summary };
  if (op.confirm) structured.status = "done";
  if (compacted.data !== undefined) structured.data = compacted.data;
  if (notes.length) structured.note = notes.join(" ");
  const text = [summary, ...notes];
  if (compacted.data !== undefined) text.push(JSON.stringify(compacted.data));
  return { content: [{ type: "text", text: text.join("\n") }], structuredContent: structured };
}
