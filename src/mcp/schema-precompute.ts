import { OPERATIONS, type Operation } from "../operations/index.js";
import { COMPUTED_TOOLS } from "./computed-tools.js";
import { recordSchemaJson } from "./precomputed-schemas.js";
import { computeCatalogSchemas } from "./tool-schemas.js";

/**
 * Every advertised JSON Schema the server can register (catalog tools with and without confirmation, the
 * computed tools), computed from the zod schemas: what `scripts/precompute-schemas.mjs` writes at build time,
 * and what the drift test compares the written file with.
 */
export function collectSchemaJson(): Record<string, { [key: string]: unknown }> {
  return recordSchemaJson(() => {
    computeCatalogSchemas(OPERATIONS as readonly Operation[]);
    for (const tool of COMPUTED_TOOLS) tool.buildSchemas();
  });
}
