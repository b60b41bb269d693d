import type { McpServer } from "../../sdk/server.js";
import { registerContractsView } from "../apps/contracts-view.js";
import { ReportingContext, type ReportingDeps } from "./context.js";
import { registerReportingPrompts } from "./prompts.js";
import { registerReportingResources } from "./resources.js";
import { registerReportingSubscriptions } from "./subscriptions.js";
import { registerReportingTools } from "./tools.js";

export { DEFAULT_MAX_AGE_MS, type ReportingDeps } from "./context.js";
export { LATEST_URI, TEMPLATES as REPORTING_TEMPLATES } from "./uris.js";

/**
 * Reporting snapshots as MCP resources (latest, snapshots, CSV, summary, diff, cost report), tools and prompts.
 * Call before server.connect(): it declares the resources.subscribe capability.
 */
export function registerReporting(server: McpServer, deps: ReportingDeps): void {
  const ctx = new ReportingContext(deps);
  registerReportingResources(server, ctx);
  registerReportingSubscriptions(server, ctx);
  registerReportingTools(server, ctx);
  registerContractsView(server, ctx);
  registerReportingPrompts(server, ctx);
}
