import { z } from "zod";
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
    const { answer: page, ...snapshot } = await ctx.query(
      snapshot_id ?? "latest",
      progressFor(extra),
      (meta) =>
        ctx.store.findDomain(meta.id, domain, { nowMs: ctx.now(), includeCanceled: include_canceled, limit }),
    );
    const { matches, total } = page;
    const truncated = total > matches.length;
    return result(
      domainText(page.domain, matches, total, snapshot.meta.id),
      { snapshot_id: snapshot.meta.id, domain: page.domain, total, matches, truncated },
      snapshotLinks(ctx, snapshot.meta),
    );
  },
});
