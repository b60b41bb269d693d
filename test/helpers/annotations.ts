import type { ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";

/** The spec's defaults (ToolAnnotations): what a client assumes for a hint that is not sent. */
const DEFAULTS = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true };

/**
 * The hints a client acts on: the spec's defaults applied. destructiveHint and idempotentHint are "meaningful
 * only when readOnlyHint == false"; a tool that modifies nothing is neither destructive nor repeated-effect.
 */
export function effectiveHints(a: ToolAnnotations | undefined): typeof DEFAULTS {
  const readOnlyHint = a?.readOnlyHint ?? DEFAULTS.readOnlyHint;
  return {
    readOnlyHint,
    destructiveHint: readOnlyHint ? false : (a?.destructiveHint ?? DEFAULTS.destructiveHint),
    idempotentHint: readOnlyHint ? true : (a?.idempotentHint ?? DEFAULTS.idempotentHint),
    openWorldHint: a?.openWorldHint ?? DEFAULTS.openWorldHint,
  };
}

/**
 * Hints sent although they say nothing: equal to the spec's default, or destructive/idempotent on a read-only
 * tool. readOnlyHint is always sent (clients act on it), so it is never redundant.
 */
export function redundantHints(a: ToolAnnotations | undefined): string[] {
  const redundant: string[] = [];
  for (const key of ["destructiveHint", "idempotentHint", "openWorldHint"] as const) {
    if (a?.[key] === undefined) continue;
    const meaningless = key !== "openWorldHint" && a.readOnlyHint === true;
    if (meaningless || a[key] === DEFAULTS[key]) redundant.push(key);
  }
  if (a?.title !== undefined) redundant.push("title");
  return redundant;
}

/** The hints the catalog's effect and idempotence call for. */
export function expectedHints(op: {
  effect: "read" | "write" | "destructive";
  idempotent: boolean;
}): typeof DEFAULTS {
  return {
    readOnlyHint: op.effect === "read",
    destructiveHint: op.effect === "destructive",
    idempotentHint: op.idempotent,
    openWorldHint: true,
  };
}
