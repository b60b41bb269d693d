import { driftText } from "../../client/answer.js";
import { DigiCertError } from "../../client/errors.js";
import { getReporting } from "../../operations/account.js";
import { getCostReport } from "../../operations/finance.js";
import { canonicalText, renderSummaryMarkdown, toCsv } from "../../reporting/index.js";
import type { Variables } from "../../sdk/server.js";
import {
  ErrorCode,
  McpError,
  type McpServer,
  type ReadResourceResult,
  ResourceTemplate,
} from "../../sdk/server.js";
import { type LatestSnapshot, RESOURCE_NOT_FOUND, type ReportingContext, reasonOf } from "./context.js";
import { refuseUnavailableResources } from "./unavailable.js";
import {
  isCostReportUri,
  isReportingUri,
  LATEST_ALIAS,
  LATEST_URI,
  snapshotUri,
  summaryUri,
  TEMPLATES,
} from "./uris.js";

/** Snapshots offered in resources/list besides `latest`; older ones stay readable and completable. */
const LISTED_SNAPSHOTS = 20;

const JSON_TYPE = "application/json";

function one(variables: Variables, name: string): string {
  const value = variables[name];
  return decodeURIComponent(Array.isArray(value) ? (value[0] ?? "") : (value ?? ""));
}

function json(uri: URL, value: unknown): ReadResourceResult {
  return { contents: [{ uri: uri.href, mimeType: JSON_TYPE, text: JSON.stringify(value) }] };
}

/**
 * A snapshot as JSON, its report written canonically (sorted keys at every depth): the same text whether the
 * report was just fetched (keys in DigiCert's order) or read back from the store.
 */
function snapshotJson(uri: URL, snapshot: LatestSnapshot): ReadResourceResult {
  const head = JSON.stringify({ snapshot: snapshot.meta, refresh_error: snapshot.refresh_error });
  const text = `${head.slice(0, -1)},"report":${canonicalText(snapshot.report)}}`;
  return { contents: [{ uri: uri.href, mimeType: JSON_TYPE, text }] };
}

/**
 * The reporting resources this caller is offered (see ReportingContext.offersReportingResources), and a clear
 * refusal for the others: neither listed nor read, and nothing fetched from DigiCert for them.
 */
export function registerReportingResources(server: McpServer, ctx: ReportingContext): void {
  if (ctx.offersReportingResources) registerSnapshotResources(server, ctx);
  if (ctx.offersCostReport) registerCostReport(server, ctx);
  refuseUnavailableResources(server, ctx.access, [
    ...(ctx.offersReportingResources ? [] : [{ matches: isReportingUri, owner: getReporting }]),
    ...(ctx.deps.hasDevkey && !ctx.offersCostReport
      ? [{ matches: isCostReportUri, owner: getCostReport }]
      : []),
  ]);
}

function registerSnapshotResources(server: McpServer, ctx: ReportingContext): void {
  const complete = { snapshot_id: (value: string) => ctx.completeIds(value) };

  server.registerResource(
    "reporting-latest",
    LATEST_URI,
    {
      title: "ACME reporting: latest snapshot",
      description: `Newest snapshot of all subaccounts' ACME contracts (JSON), refetched when older than ${Math.round(
        ctx.maxAgeMs / 60_000,
      )} min. Subscribe to hear about changes.`,
      mimeType: JSON_TYPE,
    },
    async (uri) => {
      const snapshot = await ctx.latest();
      return snapshotJson(uri, snapshot);
    },
  );

  // Registered before the plain snapshot template: that one's {snapshot_id} would also match "<id>.csv".
  server.registerResource(
    "reporting-snapshot-csv",
    new ResourceTemplate(TEMPLATES.csv, { list: undefined, complete }),
    {
      title: "ACME reporting snapshot as CSV",
      description: "One row per contract; SANs space-separated. Use snapshot id or 'latest'.",
      mimeType: "text/csv",
    },
    async (uri, variables) => {
      const snapshot = await ctx.snapshot(one(variables, "snapshot_id"));
      return { contents: [{ uri: uri.href, mimeType: "text/csv", text: toCsv(snapshot.report) }] };
    },
  );

  server.registerResource(
    "reporting-snapshot-summary",
    new ResourceTemplate(TEMPLATES.summary, { list: undefined, complete }),
    {
      title: "ACME reporting snapshot summary",
      description: "Markdown: totals, per product and subaccount, expiring, canceled, subaccount changes.",
      mimeType: "text/markdown",
    },
    async (uri, variables) => {
      const { meta, answer } = await ctx.query(one(variables, "snapshot_id"), undefined, (m) =>
        ctx.store.summary(m.id),
      );
      const text = renderSummaryMarkdown(answer.summary, {
        snapshot_id: meta.id,
        taken_at: meta.taken_at,
        previous_id: answer.previous_id,
      });
      return { contents: [{ uri: uri.href, mimeType: "text/markdown", text }] };
    },
  );

  server.registerResource(
    "reporting-snapshot",
    new ResourceTemplate(TEMPLATES.snapshot, {
      list: async () => {
        const metas = (await ctx.store.list()).slice(0, LISTED_SNAPSHOTS);
        const latest = metas[0];
        return {
          resources: [
            ...(latest
              ? [
                  {
                    uri: summaryUri(LATEST_ALIAS),
                    name: "reporting-latest-summary",
                    title: "ACME reporting: latest summary",
                    mimeType: "text/markdown",
                  },
                ]
              : []),
            ...metas.map((m) => ({
              uri: snapshotUri(m.id),
              name: `reporting-snapshot-${m.id}`,
              title: `ACME reporting ${m.taken_at} (${m.counts.contracts} contracts)`,
              mimeType: JSON_TYPE,
            })),
          ],
        };
      },
      complete,
    }),
    {
      title: "ACME reporting snapshot",
      description: "A stored snapshot (JSON): meta (time, counts, hash) and the report.",
      mimeType: JSON_TYPE,
    },
    async (uri, variables) => {
      const snapshot = await ctx.snapshot(one(variables, "snapshot_id"));
      return snapshotJson(uri, snapshot);
    },
  );

  server.registerResource(
    "reporting-diff",
    new ResourceTemplate(TEMPLATES.diff, {
      list: undefined,
      complete: { from_id: (v) => ctx.completeIds(v), to_id: (v) => ctx.completeIds(v) },
    }),
    {
      title: "ACME reporting diff",
      description: "Changes between two snapshots (JSON): contracts added, removed, canceled; SANs; expiry.",
      mimeType: JSON_TYPE,
    },
    async (uri, variables) => {
      const from = await ctx.snapshotMeta(one(variables, "from_id"));
      const to = await ctx.snapshotMeta(one(variables, "to_id"));
      const diff = await ctx.store.diff(from.meta.id, to.meta.id);
      if (!diff) throw ctx.unreadable(await ctx.goneOf(from.meta.id, to.meta.id));
      return json(uri, { from: from.meta, to: to.meta, diff });
    },
  );
}

function registerCostReport(server: McpServer, ctx: ReportingContext): void {
  server.registerResource(
    "subaccount-cost-report",
    new ResourceTemplate(TEMPLATES.costReport, {
      list: undefined,
      complete: { subaccount_id: (v) => ctx.completeCertCentralIds(v) },
    }),
    {
      title: "CertCentral subaccount cost report",
      description:
        "Order cost totals of one CertCentral subaccount (DEVKEY). Empty when it has no orders. The id is CertCentral's: nothing public says it equals the Partner subaccount id.",
      mimeType: JSON_TYPE,
    },
    async (uri, variables, extra) => {
      const raw = one(variables, "subaccount_id");
      if (!/^[1-9]\d{0,15}$/.test(raw)) {
        throw new McpError(RESOURCE_NOT_FOUND, `"${raw.slice(0, 40)}" is not a subaccount id`);
      }
      try {
        const result = await ctx.deps.client.call(
          getCostReport,
          { subaccount_id: Number(raw) },
          { signal: extra.signal },
        );
        if (!result.drift) ctx.rememberCertCentralId(Number(raw));
        const warning = result.drift
          ? `CertCentral's answer was not in the documented form (${driftText(result.drift)}); shown as sent.`
          : undefined;
        return json(uri, { subaccount_id: Number(raw), cost_report: result.data, warning });
      } catch (err) {
        const missing = err instanceof DigiCertError && err.status === 404;
        throw new McpError(missing ? RESOURCE_NOT_FOUND : ErrorCode.InternalError, reasonOf(err));
      }
    },
  );
}
