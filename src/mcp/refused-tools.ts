import { OPERATIONS } from "../operations/index.js";
import { CallToolRequestSchema, type McpServer } from "../sdk/server.js";

type RawHandler = (request: unknown, extra: unknown) => Promise<unknown>;

const CATALOG: ReadonlySet<string> = new Set(OPERATIONS.map((op) => op.name));

/** Told when a caller names a catalog tool its server does not offer it (not for names that are no tool at all). */
export type ToolRefusedHook = (tool: string, sessionId: string | undefined) => void;

/**
 * A read-only token calling `cancel_acme_contract` by name gets the SDK's "not found" and nothing runs; whoever
 * keeps the audit log still wants to know somebody tried. Wraps the SDK's own tools/call handler (as
 * trim-tools-list.ts wraps tools/list) and reports such calls before passing them on unchanged. If a future SDK
 * moves its internals, nothing is reported and nothing else changes (test/mcp/audit.test.ts says so).
 *
 * The wrapper goes into the handler map as it is, not through `setRequestHandler`: that would wrap it in the
 * SDK's checks a second time (the request parsed twice more, the result checked and copied once more, on every
 * call; ~10 us of a call's CPU under 50 HTTP clients), while the handler it wraps already does all of them. So
 * it sees the request as it arrived, unparsed: a call is reported only once it is a valid tools/call request,
 * as before (checked only for a catalog tool not offered, the rare case).
 */
export function reportRefusedTools(server: McpServer, onRefused: ToolRefusedHook): void {
  const handlers = (server.server as unknown as { _requestHandlers?: Map<string, RawHandler> })
    ._requestHandlers;
  const registered = (server as unknown as { _registeredTools?: Record<string, unknown> })._registeredTools;
  const original = handlers?.get("tools/call");
  if (!handlers || !original || !registered) return;
  handlers.set("tools/call", (request, extra) => {
    const name = (request as { params?: { name?: unknown } } | undefined)?.params?.name;
    if (
      typeof name === "string" &&
      CATALOG.has(name) &&
      !Object.hasOwn(registered, name) &&
      CallToolRequestSchema.safeParse(request).success
    ) {
      try {
        onRefused(name, (extra as { sessionId?: string } | undefined)?.sessionId);
      } catch {
        // the caller's answer does not depend on the audit log
      }
    }
    return original(request, extra);
  });
}
