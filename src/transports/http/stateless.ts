import type { IncomingMessage, ServerResponse } from "node:http";
import { StreamableHTTPServerTransport } from "../../sdk/http.js";
import type { KnownToken } from "../auth.js";
import type { HttpContext } from "./context.js";
import { scrubOutgoing } from "./scrub-outgoing.js";

/** One stateless request: a server built for the caller, connected to a transport for this request only. */
export async function serveStateless(
  ctx: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  caller: KnownToken,
  bearer: string,
  body: unknown,
): Promise<void> {
  const server = ctx.deps.createServer({
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
    void transport.close().catch(() => undefined);
    void server.close().catch(() => undefined);
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}
