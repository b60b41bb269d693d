import { z } from "zod";
import { summarizeReport } from "../../reporting/index.js";
import { expiryTimeline } from "../../reporting/timeline.js";
import type { CallToolResult, McpServer } from "../../sdk/server.js";
import { defineTool } from "../define-tool.js";
import type { ReportingContext } from "../reporting/context.js";
import { snapshotIdIn, snapshotMetaOut, summaryOut } from "../reporting/schemas.js";
import { CONTRACTS_VIEW_URI, RESOURCE_MIME_TYPE, uiMeta } from "./ui.js";
import { viewText } from "./view-text.js";

export const VIEW_TOOL = "view_contracts";

const bucketOut = z.object({ from_day: z.number(), to_day: z.number(), contracts: z.number() });

// Few top-level fields: tools/list shows only those (nested ones are "object"), so each costs every agent tokens.
const viewOut = {
  snapshot: snapshotMetaOut,
  as_of: z.string(),
  totals: summaryOut.shape.totals,
  expiring: z.object({
    within_30_days: z.number(),
    within_60_days: z.number(),
    within_90_days: z.number(),
    by_week: z.array(bucketOut),
  }),
  subaccounts: z.object({ top: summaryOut.shape.by_subaccount, other: summaryOut.shape.other_subaccounts }),
  products: z.object({ top: summaryOut.shape.by_product, other: summaryOut.shape.other_products }),
  refresh_error: z.string().optional(),
};

/**
 * The reporting view (an MCP App): a tool whose result is the overview (totals, weekly expiry over 90 days,
 * subaccounts and products), and the page that shows it in hosts with the MCP Apps extension. Everything else
 * the page shows it asks for through the host, with this server's own read tools, so the operator's tool
 * selection (and an HTTP token's grant) applies to the page exactly as to an agent. Hosts without the extension
 * get the same overview as text. Registered with the other reporting tools (REPORTING_TOOLS).
 */
export const viewContracts = defineTool({
  name: VIEW_TOOL,
  title: "View contracts",
  description:
    "Overview of ACME contracts: totals, expiry by week (90 days), top subaccounts and products; interactive in MCP Apps hosts.",
  toolset: "reporting",
  effect: "read",
  idempotent: true,
  input: { snapshot_id: snapshotIdIn },
  output: viewOut,
  _meta: uiMeta(CONTRACTS_VIEW_URI),
  run: async ({ snapshot_id }, ctx: ReportingContext) => overview(ctx, snapshot_id ?? "latest"),
});

/** The view's page, a ui:// resource, for a caller offered the view. */
export function registerContractsView(server: McpServer, ctx: ReportingContext): void {
  if (!ctx.access.offersTool(viewContracts)) return;
  server.registerResource(
    "contracts-view",
    CONTRACTS_VIEW_URI,
    {
      title: "ACME contracts view",
      description: `The page ${VIEW_TOOL} shows in hosts with MCP Apps: self-contained, no external origins.`,
      mimeType: RESOURCE_MIME_TYPE,
    },
    async (uri) => {
      const { contractsViewHtml } = await import("./page.js");
      return { contents: [{ uri: uri.href, mimeType: RESOURCE_MIME_TYPE, text: await contractsViewHtml() }] };
    },
  );
}

async function overview(ctx: ReportingContext, snapshotId: string): Promise<CallToolResult> {
  const snapshot = await ctx.snapshot(snapshotId);
  // measured from now, like list_expiring_contracts, so a count and the list it opens agree
  const nowMs = ctx.now();
  const summary = summarizeReport(snapshot.report, { nowMs });
  const { within_30_days, within_60_days, within_90_days } = summary.expiring;
  const structured = {
    snapshot: snapshot.meta,
    as_of: summary.as_of,
    totals: summary.totals,
    expiring: {
      within_30_days,
      within_60_days,
      within_90_days,
      by_week: expiryTimeline(snapshot.report, { nowMs }),
    },
    subaccounts: { top: summary.by_subaccount, other: summary.other_subaccounts },
    products: { top: summary.by_product, other: summary.other_products },
    refresh_error: snapshot.refresh_error,
  };
  return { content: [{ type: "text", text: viewText(structured) }], structuredContent: structured };
}
