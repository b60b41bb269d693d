import { z } from "zod";
import type { ReportDiff } from "../../../reporting/index.js";
import { defineTool } from "../../define-tool.js";
import { progressFor } from "../../progress.js";
import type { ReportingContext } from "../context.js";
import { diffOut, snapshotMetaOut } from "../schemas.js";
import { diffText, snapshotLine } from "../tool-text.js";
import { diffUri } from "../uris.js";
import { result, snapshotLinks } from "./shared.js";

/** Read-only and idempotent: it writes only the local store, and a repeat only moves the check time. */
export const takeReportingSnapshot = defineTool({
  name: "take_reporting_snapshot",
  title: "Take reporting snapshot",
  description:
    "Fetch ACME reporting now and store it as a snapshot; returns counts and changes since the previous one.",
  toolset: "reporting",
  effect: "read",
  idempotent: true,
  input: {},
  output: {
    snapshot: snapshotMetaOut,
    created: z.boolean(),
    previous_id: z.string().nullable(),
    changes: diffOut.shape.counts.nullable(),
  },
  async run(_args, ctx: ReportingContext, extra) {
    const progress = progressFor(extra);
    const recorded = await ctx.take(progress);
    const previous = recorded.created ? recorded.previous : await ctx.store.previous(recorded.meta.id);
    let changes: ReportDiff["counts"] | null = null;
    if (recorded.created && previous) {
      progress?.step(`compare: changes since ${previous.id}`);
      // lists cut to none: only the counts are shown
      changes = (await ctx.store.diff(previous.id, recorded.meta.id, 0))?.counts ?? null;
    }
    const links = snapshotLinks(ctx, recorded.meta);
    if (changes && previous && ctx.offersReportingResources) {
      links.push({
        type: "resource_link",
        uri: diffUri(previous.id, recorded.meta.id),
        name: `diff ${previous.id}..${recorded.meta.id}`,
        mimeType: "application/json",
      });
    }
    const text = `${snapshotLine(recorded.meta)}; ${recorded.created ? "new snapshot" : "unchanged since it was taken"}${
      changes ? `. Since ${previous?.id}: ${diffText(changes)}` : ""
    }`;
    return result(
      text,
      { snapshot: recorded.meta, created: recorded.created, previous_id: previous?.id ?? null, changes },
      links,
    );
  },
});
