import { z } from "zod";
import { findContractsForDomain as coverageOf } from "../../../reporting/index.js";
import { defineTool } from "../../define-tool.js";
import { progressFor } from "../../progress.js";
import type { ReportingContext } from "../context.js";
import { domainMatchOut, limitIn, snapshotIdIn } from "../schemas.js";
import { domainText } from "../tool-text.js";
import { result, snapshotLinks } from "./shared.js";

export const findContractsForDomain = defineTool({
  name: "find_contracts_for_domain",
  title: "Find contracts covering a domain",
  description:
    "ACME contracts, across all subaccounts, covering a domain: exact SAN or a one-label *.parent wildcard.",
  toolset: "reporting",
  effect: "read",
  idempotent: true,
  input: {
    domain: z.string().min(1).max(300).describe("e.g. shop.example.com"),
    snapshot_id: snapshotIdIn,
    include_canceled: z.boolean().default(true),
    limit: limitIn(200, 50),
  },
  output: {
    snapshot_id: z.string(),
    domain: z.string(),
    total: z.number(),
    matches: z.array(domainMatchOut),
    truncated: z.boolean(),
  },
  async run({ domain, snapshot_id, include_canceled, limit }, ctx: ReportingContext, extra) {
    const snapshot = await ctx.snapshot(snapshot_id ?? "latest", progressFor(extra));
    const coverage = coverageOf(snapshot.report, domain, ctx.now());
    const all = include_canceled ? coverage.matches : coverage.matches.filter((m) => m.status !== "canceled");
    const matches = all.slice(0, limit);
    const truncated = all.length > matches.length;
    return result(
      domainText(coverage.domain, matches, all.length, snapshot.meta.id),
      { snapshot_id: snapshot.meta.id, domain: coverage.domain, total: all.length, matches, truncated },
      snapshotLinks(ctx, snapshot.meta),
    );
  },
});
