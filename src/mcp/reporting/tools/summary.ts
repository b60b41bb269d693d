import { z } from "zod";
import { renderSummaryMarkdown, statusOf, summarizeReport } from "../../../reporting/index.js";
import { defineTool } from "../../define-tool.js";
import { progressFor } from "../../progress.js";
import type { ReportingContext } from "../context.js";
import {
  accountIdIn,
  contractRowOut,
  limitIn,
  snapshotIdIn,
  snapshotMetaOut,
  summaryOut,
} from "../schemas.js";
import { contractLines } from "../tool-text.js";
import { result, SAN_PREVIEW, snapshotLinks } from "./shared.js";

export const reportingSummary = defineTool({
  name: "reporting_summary",
  title: "Reporting summary",
  description:
    "Summary of a reporting snapshot: totals, per product and subaccount, expiring, canceled; with account_id, one subaccount and its contracts.",
  toolset: "reporting",
  effect: "read",
  idempotent: true,
  input: {
    snapshot_id: snapshotIdIn,
    account_id: accountIdIn.optional(),
    limit: limitIn(200, 50).describe("max contracts listed with account_id"),
  },
  output: {
    snapshot: snapshotMetaOut,
    account_id: z.number().int().optional(),
    summary: summaryOut,
    contracts: z.array(contractRowOut).optional(),
    contracts_total: z.number().optional(),
    truncated: z.boolean().optional(),
    refresh_error: z.string().optional(),
  },
  async run({ snapshot_id, account_id, limit }, ctx: ReportingContext, extra) {
    const id = snapshot_id ?? "latest";
    if (account_id === undefined) {
      const { answer, ...snapshot } = await ctx.query(id, progressFor(extra), (meta) =>
        ctx.store.summary(meta.id),
      );
      const links = snapshotLinks(ctx, snapshot.meta);
      const { summary } = answer;
      const text = renderSummaryMarkdown(summary, {
        snapshot_id: snapshot.meta.id,
        taken_at: snapshot.meta.taken_at,
        previous_id: answer.previous_id,
      });
      return result(text, { snapshot: snapshot.meta, summary, refresh_error: snapshot.refresh_error }, links);
    }
    const { answer: report, ...snapshot } = await ctx.query(id, progressFor(extra), (meta) =>
      ctx.store.accountReport(meta.id, account_id),
    );
    const at = Date.parse(snapshot.meta.taken_at);
    const links = snapshotLinks(ctx, snapshot.meta);
    const summary = summarizeReport(report, { nowMs: at });
    const all = report.accounts[0]?.acme ?? [];
    const contracts = all.slice(0, limit).map((c) => ({
      acme_contract_id: c.acme_contract_id,
      account_id,
      product_name_id: c.product_name_id,
      status: statusOf(c, at),
      valid_till: c.valid_till,
      date_canceled: c.date_canceled,
      san_count: c.sans.length,
      sans: c.sans.slice(0, SAN_PREVIEW),
    }));
    const truncated = all.length > contracts.length;
    const text =
      all.length === 0
        ? `Subaccount ${account_id} has no ACME contracts in snapshot ${snapshot.meta.id} (the report omits subaccounts without contracts).`
        : `${renderSummaryMarkdown(summary, { snapshot_id: snapshot.meta.id, taken_at: snapshot.meta.taken_at })}\n## Contracts of subaccount ${account_id}\n${contractLines(contracts)}${
            truncated ? `\n(${all.length - contracts.length} more: raise limit or read the CSV resource)` : ""
          }`;
    return result(
      text,
      {
        snapshot: snapshot.meta,
        account_id,
        summary,
        contracts,
        contracts_total: all.length,
        truncated,
        refresh_error: snapshot.refresh_error,
      },
      links,
    );
  },
});
