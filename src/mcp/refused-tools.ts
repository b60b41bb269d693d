import { OPERATIONS } from "../operations/index.js";
import type { McpServer } from "../sdk/server.js";
import { CallToolRequestSchema, type CallToolResult } from "../sdk/server.js";

type RawHandler = (request: unknown, extra: unknown) => Promise<unknown>;

const CATALOG: ReadonlySet<string> = new Set(OPERATIONS.map((op) => op.name));

/** Told when a caller names a catalog tool its server does not offer it (not for names that are no tool at all). */
export type ToolRefusedHook = (tool: string, sessionId: string | undefined) => void;

/**
 * A read-only token calling `cancel_acme_contract` by name gets the SDK's "not found" and nothing runs; whoever
 * keeps the audit log still wants to know somebody tried. Wraps the SDK's own tools/call handler (as
 * trim-tools-list.ts wraps tools/list) and reports such calls before passing them on unchanged. If a future SDK
 * moves its internals, nothing is reported and nothing else changes (test/mcp/audit.test.ts says so).
 */
export function reportRefusedTools(server: McpServer, onRefused: ToolRefusedHook): void {
  const handlers = (server.server as unknown as { _requestHandlers?: Map<string, RawHandler> })
    ._requestHandlers;
  const registered = (server as unknown as { _registeredTools?: Record<string, unknown> })._registeredTools;
  const original = handlers?.get("tools/call");
  if (!original || !registered) return;
  server.server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const name = request.params.name;
    if (CATALOG.has(name) && !Object.hasOwn(registered, name)) {
      try {
        onRefused(name, extra.sessionId);
      } catch {
        // the caller's answer does not depend on the audit log
      }
    }
    return (await original(request, extra)) as CallToolResult;
  });
}
