import { OPERATIONS, type Operation, type Toolset } from "../operations/index.js";

/** Which catalog operations become tools. Pure, so transports, config and tests can compute it too. */
export interface ToolSelection {
  /** register only read tools: no write or destructive tool exists at all */
  readOnly?: boolean;
  /** named groups to enable; with `tools`, the union of both is enabled; neither = everything */
  toolsets?: readonly Toolset[];
  /** individual tools to enable (in addition to `toolsets`) */
  tools?: readonly string[];
  /** tools to leave out; wins over `toolsets` and `tools` */
  excludeTools?: readonly string[];
}

import { TOOLSETS } from "../operations/index.js";

export { TOOLSETS };

/**
 * Decides whether a tool with this name, toolset and effect is on. Shared by the catalog loop and by tools that
 * `extend` registers (e.g. reporting), so one selection rule applies to every tool the server offers.
 */
export function isToolSelected(
  selection: ToolSelection,
  tool: { name: string; toolset?: string; effect: "read" | "write" | "destructive" },
): boolean {
  if (selection.excludeTools?.includes(tool.name)) return false;
  if (selection.readOnly && tool.effect !== "read") return false;
  const byToolset = selection.toolsets !== undefined;
  const byName = selection.tools !== undefined;
  if (!byToolset && !byName) return true;
  if (byName && selection.tools?.includes(tool.name)) return true;
  return (
    byToolset &&
    tool.toolset !== undefined &&
    (selection.toolsets as readonly string[]).includes(tool.toolset)
  );
}

/** The catalog operations that are registered as tools under this selection, in catalog order. */
export function selectOperations(
  selection: ToolSelection,
  operations: readonly Operation[] = OPERATIONS as readonly Operation[],
): Operation[] {
  return operations.filter((op) => isToolSelected(selection, op));
}

/**
 * Names in `tools` / `excludeTools` / `toolsets` that match nothing, for a config layer that wants to warn or
 * fail on typos. `extraToolNames` are tools registered outside the catalog (e.g. by the reporting extension).
 */
export function unknownSelectionNames(
  selection: ToolSelection,
  extraToolNames: readonly string[] = [],
): string[] {
  const known = new Set<string>([...OPERATIONS.map((op) => op.name), ...extraToolNames]);
  const unknown = [...(selection.tools ?? []), ...(selection.excludeTools ?? [])].filter(
    (n) => !known.has(n),
  );
  for (const t of selection.toolsets ?? []) if (!TOOLSETS.includes(t)) unknown.push(t);
  return unknown;
}
