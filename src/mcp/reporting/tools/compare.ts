import { z } from "zod";
import { diffReports, limitDiff } from "../../../reporting/index.js";
import type { ResourceLink } from "../../../sdk/server.js";
import { defineTool } from "../../define-tool.js";
import { progressFor } from "../../progress.js";
import type { ReportingContext } from "../context.js";
import { diffOut, limitIn, snapshotIdIn, snapshotMetaOut } from "../schemas.js";
import { diffText } from "../tool-text.js";
import { diffUri } from "../uris.js";
import { result, SAN_PREVIEW, snapshotLinks } from "./shared.js";

export const compareReportingSnapshots = defineTool({
  name: "compare_reporting_snapshots",
  title: "Compare reporting snapshots",
  description: "What changed between two snapshots: contracts added, removed, canceled; SANs; expiry.",
  toolset: "reporting",
  effect: "read",
  idempotent: true,
  input: {
    from_id: snapshotIdIn.describe("older snapshot id; default the one before to_id"),
    to_id: snapshotIdIn,
    limit: limitIn(100, 20).describe("max items per list"),
  },
  output: {
    from: snapshotMetaOut.nullable(),
    to: snapshotMetaOut,
    diff: diffOut.nullable(),
    note: z.string().optional(),
  },
  async run({ from_id, to_id, limit }, ctx: ReportingContext, extra) {
    const to = await ctx.snapshot(to_id ?? "latest", progressFor(extra));
    const from = from_id ? await ctx.snapshot(from_id) : await ctx.previousOf(to.meta);
    if (!from) {
      const note = `Only one snapshot (${to.meta.id}) is stored; take another later to compare.`;
      return result(note, { from: null, to: to.meta, diff: null, note }, snapshotLinks(ctx, to.meta));
    }
    const full = diffReports(from.report, to.report);
    const diff = limitDiff(full, limit);
    const shortSans = <T extends { sans: string[] }>(c: T) => ({
      ...c,
      sans: c.sans.slice(0, SAN_PREVIEW),
      san_count: c.sans.length,
    });
    const compact = { ...diff, added: diff.added.map(shortSans), removed: diff.removed.map(shortSans) };
    const link: ResourceLink = {
      type: "resource_link",
      uri: diffUri(from.meta.id, to.meta.id),
      name: `diff ${from.meta.id}..${to.meta.id}`,
      mimeType: "application/json",
      description: "the full diff",
    };
    const text = `${from.meta.id} → ${to.meta.id}: ${full.unchanged ? "no changes" : diffText(full.counts)}${
      diff.truncated ? ` (lists cut to ${limit}; full diff in the linked resource)` : ""
    }`;
    return result(text, { from: from.meta, to: to.meta, diff: compact }, [
      ...(ctx.offersReportingResources ? [link] : []),
      ...snapshotLinks(ctx, to.meta),
    ]);
  },
});
