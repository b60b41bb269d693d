import type { McpServer } from "../../sdk/server.js";
import { registerContractsView } from "../apps/contracts-view.js";
import { registerComputedTools } from "../define-tool.js";
import { ReportingContext, type ReportingDeps } from "./context.js";
import { registerReportingPrompts } from "./prompts.js";
import { registerReportingResources } from "./resources.js";
import { registerReportingSubscriptions } from "./subscriptions.js";
import { REPORTING_TOOLS } from "./tools/index.js";

export { DEFAULT_MAX_AGE_MS, type ReportingDeps } from "./context.js";
export { LATEST_URI, TEMPLATES as REPORTING_TEMPLATES } from "./uris.js";

/**
 * Reporting snapshots as MCP resources (latest, snapshots, CSV, summary, diff, cost report), tools and prompts,
 * each only as far as deps.access offers it. Call before server.connect(): it declares the resources.subscribe
 * capability (unless deps.subscriptions is false, or no reporting resource is offered).
 */
export function registerReporting(server: McpServer, deps: ReportingDeps): void {
  const ctx = new ReportingContext(deps);
  // the view's ui:// page is a resource too: registered before registerReportingResources, which must come
  // after every resource (it wraps resources/read to word refusals)
  registerContractsView(server, ctx);
  registerReportingResources(server, ctx);
  if (ctx.offersReportingResources && deps.subscriptions !== false)
    registerReportingSubscriptions(server, ctx);
  registerComputedTools(server, REPORTING_TOOLS, ctx, {
    offersTool: (tool) => ctx.access.offersTool(tool),
    scrub: (value) => deps.client.scrub(value),
    logger: deps.logger,
  });
  registerReportingPrompts(server, ctx);
}
