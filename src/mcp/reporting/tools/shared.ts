import type { SnapshotMeta } from "../../../reporting/index.js";
import type { CallToolResult, ResourceLink } from "../../../sdk/server.js";
import type { ReportingContext } from "../context.js";
import { csvUri, snapshotUri, summaryUri } from "../uris.js";

/** SANs shown per contract in a result; the count says how many there are. */
export const SAN_PREVIEW = 5;

/** Links to the snapshot's resources, none for a caller they are not offered to (they would not read). */
export function snapshotLinks(ctx: ReportingContext, meta: SnapshotMeta): ResourceLink[] {
  if (!ctx.offersReportingResources) return [];
  return [
    {
      type: "resource_link",
      uri: snapshotUri(meta.id),
      name: `snapshot ${meta.id}`,
      mimeType: "application/json",
    },
    {
      type: "resource_link",
      uri: summaryUri(meta.id),
      name: `summary ${meta.id}`,
      mimeType: "text/markdown",
    },
    { type: "resource_link", uri: csvUri(meta.id), name: `csv ${meta.id}`, mimeType: "text/csv" },
  ];
}

export function result(
  text: string,
  structured: Record<string, unknown>,
  links: ResourceLink[],
): CallToolResult {
  return { content: [{ type: "text", text }, ...links], structuredContent: structured };
}
