import type { IncomingMessage, ServerResponse } from "node:http";
import { StreamableHTTPServerTransport } from "../../sdk/http.js";
import type { McpServer } from "../../sdk/server.js";
import type { KnownToken } from "../auth.js";
import type { HttpContext } from "./context.js";
import { scrubOutgoing } from "./scrub-outgoing.js";

/**
 * Requests after which a stateless server holds nothing of the request and may serve the same caller's next
 * one. Not `initialize` (the server keeps the client's capabilities, and would then offer elicitation to
 * requests that cannot answer it), not `logging/setLevel` nor subscriptions (state for later requests), not
 * notifications or anything unknown.
 */
const REUSABLE_AFTER = new Set([
  "tools/call",
  "tools/list",
  "prompts/get",
  "prompts/list",
  "resources/read",
  "resources/list",
  "resources/templates/list",
  "completion/complete",
  "ping",
]);

/** idle stateless servers kept for the whole process, across callers: ~177 KiB of heap each (11 MiB for 64, measured) */
const MAX_IDLE = 64;

/**
 * Servers built for stateless requests, kept idle between requests, by caller. Building one (every tool's
 * registration, the reporting tools') was most of a stateless request's CPU time (BENCHMARKS.md, section 5);
 * a server is built for one caller (its token's grant and identity), serves one request at a time, and goes
 * back only after a request listed above, disconnected. The least recently used caller's go first when full.
 */
export class StatelessServers {
  private readonly idle = new Map<string, McpServer[]>();
  private count = 0;

  take(key: string): McpServer | undefined {
    const list = this.idle.get(key);
    const server = list?.pop();
    if (!server) return undefined;
    this.count--;
    if (list?.length === 0) this.idle.delete(key);
    return server;
  }

  give(key: string, server: McpServer): void {
    if (this.count >= MAX_IDLE) {
      const [oldest, list] = this.idle.entries().next().value as [string, McpServer[]];
      list.shift();
      this.count--;
      if (list.length === 0) this.idle.delete(oldest);
    }
    const list = this.idle.get(key) ?? [];
    // the most recently used caller last in the map's order
    this.idle.delete(key);
    this.idle.set(key, list);
    list.push(server);
    this.count++;
  }

  /** Drops every idle server (after a tokens reload: a server keeps the grant it was built with). */
  clear(): void {
    this.idle.clear();
    this.count = 0;
  }

  get size(): number {
    return this.count;
  }
}

/** A caller as a server is built for it: the token (name and hash), its grant, the OAuth identity. */
function callerKey(caller: KnownToken): string {
  return JSON.stringify([caller.name, caller.digest.toString("hex"), caller.grant, caller.identity ?? null]);
}

function methodOf(body: unknown): string | undefined {
  const method = (body as { method?: unknown; id?: unknown } | null)?.method;
  return typeof method === "string" && (body as { id?: unknown }).id !== undefined ? method : undefined;
}

/** One stateless request: a server for the caller (an idle one, else a new one), on a transport for this request. */
export async function serveStateless(
  ctx: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  caller: KnownToken,
  bearer: string,
  body: unknown,
): Promise<void> {
  const key = callerKey(caller);
  const method = methodOf(body);
  const reusable = method !== undefined && REUSABLE_AFTER.has(method);
  const server =
    (reusable ? ctx.statelessServers.take(key) : undefined) ??
    ctx.deps.createServer({
      principal: { name: caller.name, grant: caller.grant, identity: caller.identity },
      stateless: true,
    });
  // Plain JSON answers instead of an SSE stream: without a session nothing can follow the answer (no
  // elicitation, no later notification), and the stream's extra writes cost (A/B, 500 stateless calls:
  // p99 44 -> 27 ms; p50 unchanged, where building a server per request dominates).
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  scrubOutgoing(transport, bearer);
  res.once("close", () => {
    void transport
      .close()
      .catch(() => undefined)
      .then(() => {
        // closing the transport disconnects the server (the SDK aborts what it still runs for the request)
        if (reusable && !server.isConnected() && !ctx.shuttingDown) ctx.statelessServers.give(key, server);
        else void server.close().catch(() => undefined);
      });
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}
