import type { Operation } from "../operations/index.js";
import type { ToolAnnotations } from "../sdk/server.js";

/**
 * Annotations derived once from the catalog's effect and idempotence, never written per tool. Only what differs
 * from the MCP spec's defaults is sent (ToolAnnotations: readOnlyHint false, destructiveHint true,
 * idempotentHint false, openWorldHint true; destructive and idempotent "meaningful only when readOnlyHint ==
 * false"), so every tools/list is shorter and a client applying the defaults reads the same hints. readOnlyHint
 * is always explicit: it is the one clients act on. No `title` here: the tool's own `title` takes precedence.
 */
export function annotationsFor(op: Pick<Operation, "effect" | "idempotent">): ToolAnnotations {
  const readOnly = op.effect === "read";
  const hints: ToolAnnotations = { readOnlyHint: readOnly };
  if (!readOnly) {
    if (op.effect !== "destructive") hints.destructiveHint = false;
    if (op.idempotent) hints.idempotentHint = true;
  }
  // openWorldHint left at its default (true): every tool talks to DigiCert, an external system
  return hints;
}
