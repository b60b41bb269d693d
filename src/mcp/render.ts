import { type Drift, driftText } from "../client/answer.js";
import type { Operation } from "../operations/index.js";
import type { CallToolResult } from "../sdk/server.js";
import { compactData, MAX_RESULT_BYTES } from "./compact.js";
import type { Page } from "./paging.js";
import { readableData } from "./readable.js";
import { onceShown, pickPaths, secretPaths } from "./secrets.js";

/**
 * How the data appears in a result's text: `readable` (default) renders it for a person (readable.ts), with
 * the data itself in structuredContent; `json` appends it as compact JSON, for a client known to need the
 * JSON in the text (one that hands only the text to code that parses it).
 */
export type ResultText = "readable" | "json";

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

/** How the answer differed from the expected form, in one warning; the summary says what that means. */
function warningOf(
  drift: Drift | undefined,
  data: unknown,
  missingSecret: string | undefined,
): string | undefined {
  const parts: string[] = [];
  if (drift) {
    const sent = data === undefined ? "" : "; the data is its answer as sent";
    parts.push(`DigiCert's answer was not in the expected form (${driftText(drift)})${sent}.`);
  }
  if (missingSecret) parts.push(missingSecret);
  return parts.length ? parts.join(" ") : undefined;
}

function summaryOf(
  op: Operation,
  args: Record<string, unknown>,
  response: { status: number; data: unknown },
  data: unknown,
  warned: boolean,
): string {
  const where = target(op, args);
  if (warned && op.effect !== "read") {
    return `${op.title}: applied${where} (HTTP ${response.status}); the answer was not in the expected form: do not repeat this call.`;
  }
  if (warned) return `${op.title}${where}: DigiCert's answer was not in the expected form (see warning).`;
  return response.data === undefined
    ? `${op.title}: done${where} (HTTP ${response.status}).`
    : `${op.title}${where}${counts(data, response.data)}.`;
}

/**
 * The result of a call DigiCert answered with a 2xx: structured (for clients that read it) and compact text.
 * Always a success, whatever the body: a write DigiCert completed is never reported as failed.
 */
export function successResult(
  op: Operation,
  args: Record<string, unknown>,
  response: { status: number; data: unknown; drift?: Drift | undefined },
  page: Partial<Page>,
  format: ResultText = "readable",
): CallToolResult {
  const compacted = compactData(op.paging, response.data, page);
  let data = compacted.data;
  const secret = onceShown(op, response.data);
  // a once-shown secret is never cut away with an answer too large to show: its values are kept at least
  if (data === undefined && secret.note) data = pickPaths(response.data, secretPaths(response.data));
  const notes = [...compacted.notes];
  if (secret.note) notes.unshift(secret.note);
  let warning = warningOf(response.drift, data, secret.missing);
  // a tool whose answer is documented as 204 has no `note`: what would be noted about an answer goes here
  if (!op.response && warning && notes.length) warning = [warning, ...notes.splice(0)].join(" ");
  const summary = summaryOf(op, args, response, data, warning !== undefined);
  const structured: Record<string, unknown> = { ok: true, summary };
  if (op.confirm) structured.status = "done";
  if (warning) structured.warning = warning;
  if (data !== undefined) structured.data = data;
  if (notes.length) structured.note = notes.join(" ");
  const text = [summary, ...(warning ? [`Warning: ${warning}`] : []), ...notes];
  if (data !== undefined) text.push(dataText(data, format, secret.note ? response.data : undefined));
  return { content: [{ type: "text", text: text.join("\n") }], structuredContent: structured };
}

/**
 * The data as text. A readable rendering larger than the result limit falls back to compact JSON (which
 * compactData sized). A once-shown secret must be in the text whatever the form: any value the rendering
 * escaped is added as is, with the path where it was.
 */
function dataText(data: unknown, format: ResultText, secretsIn: unknown): string {
  if (format === "json") return JSON.stringify(data);
  const readable = readableData(data);
  // the JSON only when it is needed (fix 16.2); 4 bytes per character bounds the UTF-8 size without counting
  const text =
    readable.length * 4 > MAX_RESULT_BYTES && Buffer.byteLength(readable) > MAX_RESULT_BYTES
      ? JSON.stringify(data)
      : readable;
  if (secretsIn === undefined) return text;
  const missing = Object.entries(pickPaths(secretsIn, secretPaths(secretsIn))).filter(
    ([, value]) => typeof value === "string" && !text.includes(value),
  );
  return [text, ...missing.map(([path, value]) => `${path} (as sent): \`${String(value)}\``)].join("\n");
}
