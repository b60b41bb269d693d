import type { ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type { Operation } from "../operations/index.js";

/** Annotations derived once from the catalog's effect and idempotence, never written per tool. */
export function annotationsFor(op: Pick<Operation, "title" | "effect" | "idempotent">): ToolAnnotations {
  return {
    title: op.title,
    readOnlyHint: op.effect === "read",
    destructiveHint: op.effect === "destructive",
    idempotentHint: op.idempotent,
    // every tool talks to DigiCert, an external system
    openWorldHint: true,
  };
}
