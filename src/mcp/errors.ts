import { DigiCertError } from "../client/errors.js";
import type { Operation } from "../operations/index.js";
import { InvalidQueryError } from "../reporting/domain.js";
import { type CallToolResult, McpError } from "../sdk/server.js";

/** How an agent can find out whether a write whose outcome is unknown happened. */
function checkAdvice(op: Operation): string {
  const read = op.confirm?.inspect?.op;
  return read
    ? `The change may or may not have been made: call ${read} to see the current state before retrying.`
    : "The change may or may not have been made: read the current state (e.g. with a list or get tool) before retrying.";
}

/** The one shape of a tool error: the lines as text, the first as summary, and the machine-readable cause. */
function toolError(lines: readonly string[], error: Record<string, unknown>): CallToolResult {
  return {
    isError: true,
    content: [{ type: "text", text: lines.join("\n") }],
    structuredContent: { ok: false, summary: lines[0] as string, error },
  };
}

/** Arguments that break the tool's schema: every field and rule, and the assurance that nothing was sent. */
export function invalidArgumentsResult(
  op: Operation,
  issues: readonly { path: string; message: string }[],
): CallToolResult {
  const lines = [
    `Invalid arguments for ${op.name}; nothing was sent to DigiCert:`,
    ...issues.map((i) => (i.path ? `- ${i.path}: ${i.message}` : `- ${i.message}`)),
  ];
  return toolError(lines, { kind: "validation", issues });
}

/** One place that turns any failure into a tool error the agent can act on. Never includes arguments. */
export function errorResult(op: Operation, err: unknown): CallToolResult {
  if (err instanceof DigiCertError && err.kind === "validation") {
    // e.g. the catalog's cross-field check, which only the client applies: same wording as a schema error
    return invalidArgumentsResult(
      op,
      err.issues.map((i) => ({ path: i.path === "(input)" ? "" : i.path, message: i.message })),
    );
  }
  if (err instanceof DigiCertError) {
    const lines: string[] = [];
    switch (err.kind) {
      case "http":
        lines.push(
          `${op.name} failed: DigiCert answered HTTP ${err.status}${err.code ? ` (${err.code})` : ""}` +
            (err.apiMessage ? `: ${err.apiMessage}` : "."),
        );
        // a refusal (4xx) of a write: nothing was done, unlike an applied call with an odd answer
        if (op.effect !== "read" && !err.outcomeUnknown && (err.status ?? 0) < 500) {
          lines.push("DigiCert did not apply it.");
        }
        break;
      case "config":
        lines.push(`${op.name} cannot run with the current configuration; nothing was sent to DigiCert.`);
        break;
      default:
        // network / timeout / aborted / response: the client's text, without its generic "read again" advice,
        // which is replaced below by one naming the read tool
        lines.push(
          `${op.name} failed: ${err.message.replace(/\s*The change may or may not have been made[^.]*\./, "")}`,
        );
    }
    if (err.hint) lines.push(`Hint: ${err.hint}`);
    if (err.outcomeUnknown) lines.push(checkAdvice(op));
    return toolError(lines, {
      kind: err.kind,
      status: err.status,
      code: err.code,
      hint: err.hint,
      outcome_unknown: err.outcomeUnknown || undefined,
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  return toolError([`${op.name} failed inside digicert-partner-mcp: ${message}`], { kind: "internal" });
}

/**
 * A computed tool's failure (reporting, the contracts view, check_setup): the text only. No structuredContent,
 * unlike toolError's: these tools' output schemas describe their results, not an error envelope, and the SDK's
 * client validates structuredContent against the output schema even on an error. DigiCert's and the server's
 * own refusals (an unknown snapshot id) are sentences for the agent already, said as they are (without
 * McpError's "MCP error -32002:" prefix); anything else is said as this tool's failure.
 */
export function computedToolError(tool: string, err: unknown): { kind: string; result: CallToolResult } {
  const said = (text: string): CallToolResult => ({ content: [{ type: "text", text }], isError: true });
  if (err instanceof DigiCertError) return { kind: err.kind, result: said(err.message) };
  if (err instanceof McpError) {
    return { kind: "request", result: said(err.message.replace(/^MCP error -?\d+: /, "")) };
  }
  if (err instanceof InvalidQueryError) {
    return { kind: "invalid_arguments", result: said(`Invalid arguments for ${tool}: ${err.message}.`) };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { kind: "internal", result: said(`${tool} failed: ${message}`) };
}
