/**
 * The MCP Apps extension's names (SEP-1865, `@modelcontextprotocol/ext-apps`), spelled here rather than imported:
 * the package's server helpers are two-line wrappers, and importing them would load its protocol classes and
 * schemas into every server start. test/apps/protocol.test.ts checks these equal the package's constants.
 */
export const RESOURCE_MIME_TYPE = "text/html;profile=mcp-app";
/** the flat key older hosts read, set next to `_meta.ui.resourceUri` (what registerAppTool also does) */
export const RESOURCE_URI_META_KEY = "ui/resourceUri";

export const CONTRACTS_VIEW_URI = "ui://digicert/contracts.html";

/** A tool's `_meta` that names its view, in the current and the legacy form. */
export function uiMeta(resourceUri: string): Record<string, unknown> {
  return { ui: { resourceUri }, [RESOURCE_URI_META_KEY]: resourceUri };
}
