import { z } from "zod";
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
    // descriptions only: the store compares the two snapshots itself (PostgreSQL from their rows)
    const to = await ctx.snapshotMeta(to_id ?? "latest", progressFor(extra));
    const from = from_id
      ? await ctx.snapshotMeta(from_id)
      : await ctx.store.previous(to.meta.id).then((m) => m && { meta: m });
    const diff = from && (await ctx.store.diff(from.meta.id, to.meta.id, limit));
    if (from && !diff) {
      // removed (retention) or found damaged since it was listed: as when its report could not be read
      const gone = await ctx.goneOf(from.meta.id, to.meta.id);
      if (from_id || gone === to.meta.id) throw ctx.unreadable(gone);
    }
    if (!from || !diff) {
      const note = `Only one snapshot (${to.meta.id}) is stored; take another later to compare.`;
      return result(note, { from: null, to: to.meta, diff: null, note }, snapshotLinks(ctx, to.meta));
    }
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
    const text = `${from.meta.id} → ${to.meta.id}: ${diff.unchanged ? "no changes" : diffText(diff.counts)}${
      diff.truncated ? ` (lists cut to ${limit}; full diff in the linked resource)` : ""
    }`;
    return result(text, { from: from.meta, to: to.meta, diff: compact }, [
      ...(ctx.offersReportingResources ? [link] : []),
      ...snapshotLinks(ctx, to.meta),
    ]);
  },
});
