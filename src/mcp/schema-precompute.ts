import { OPERATIONS, type Operation } from "../operations/index.js";
import type { McpServer } from "../sdk/server.js";
import { AccessPolicy } from "./access.js";
import { registerContractsView } from "./apps/contracts-view.js";
import { recordSchemaJson } from "./precomputed-schemas.js";
import type { ReportingContext } from "./reporting/context.js";
import { registerReportingTools } from "./reporting/tools.js";
import { computeCatalogSchemas } from "./tool-schemas.js";

/**
 * Every advertised JSON Schema the server can register (catalog tools with and without confirmation, the
 * reporting tools and the contracts view), computed from the zod schemas: what `scripts/precompute-schemas.mjs` writes at build time,
 * and what the drift test compares the written file with.
 */
export function collectSchemaJson(): Record<string, { [key: string]: unknown }> {
  return recordSchemaJson(() => {
    computeCatalogSchemas(OPERATIONS as readonly Operation[]);
    // the reporting tools build their schemas while registering; nothing else of the server or context is used
    const registered = { remove: () => undefined };
    const server = {
      registerTool: () => registered,
      registerResource: () => registered,
    } as unknown as McpServer;
    const ctx = { deps: {}, access: AccessPolicy.everything() } as unknown as ReportingContext;
    registerReportingTools(server, ctx);
    // without it view_contracts' schemas were converted at start-up and for every session (~15 ms, then ~0.4 ms)
    registerContractsView(server, ctx);
  });
}
