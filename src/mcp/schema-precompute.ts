import { OPERATIONS, type Operation } from "../operations/index.js";
import type { McpServer } from "../sdk/server.js";
import { AccessPolicy } from "./access.js";
import { recordSchemaJson } from "./precomputed-schemas.js";
import type { ReportingContext } from "./reporting/context.js";
import { registerReportingTools } from "./reporting/tools.js";
import { computeCatalogSchemas } from "./tool-schemas.js";

/**
 * Every advertised JSON Schema the server can register (catalog tools with and without confirmation, the
 * reporting tools), computed from the zod schemas: what `scripts/precompute-schemas.mjs` writes at build time,
 * and what the drift test compares the written file with.
 */
export function collectSchemaJson(): Record<string, { [key: string]: unknown }> {
  return recordSchemaJson(() => {
    computeCatalogSchemas(OPERATIONS as readonly Operation[]);
    // the reporting tools build their schemas while registering; nothing else of the server or context is used
    const server = { registerTool: () => ({ remove: () => undefined }) } as unknown as McpServer;
    const ctx = { deps: {}, access: AccessPolicy.everything() } as unknown as ReportingContext;
    registerReportingTools(server, ctx);
  });
}
