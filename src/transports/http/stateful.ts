import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { DEFAULT_MAX_SESSIONS_PER_TOKEN } from "../../config/index.js";
import { StreamableHTTPServerTransport } from "../../sdk/http.js";
import { isInitializeRequest, type McpServer } from "../../sdk/server.js";
import type { KnownToken } from "../auth.js";
import { type HttpContext, refuse } from "./context.js";
import { INVALID_REQUEST, SERVER_ERROR, sendRpcError } from "./respond.js";
import { scrubOutgoing } from "./scrub-outgoing.js";
import type { Session } from "./sessions.js";

/** Whether the initializing client declares elicitation (it may then be asked to confirm in the middle of a call). */
function declaresElicitation(body: unknown): boolean {
  return isInitializeRequest(body) && body.params.capabilities.elicitation !== undefined;
}

/** A request in a session (it must belong to the caller), or an initialize that opens one. */
export async function serveStateful(
  ctx: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  caller: KnownToken,
  bearer: string,
  body: unknown,
): Promise<void> {
  const header = req.headers["mcp-session-id"];
  const sessionId = Array.isArray(header) ? header[0] : header;
  if (sessionId) {
    const session = ctx.sessions.get(sessionId);
    // A session belongs to the token that created it: another token gets the same answer as an unknown id.
    // (compared by name and hash, not identity: a reload may re-point the session while this request waited)
    if (!session || session.caller.name !== caller.name || !session.caller.digest.equals(caller.digest)) {
      sendRpcError(res, 404, SERVER_ERROR, "Session not found");
      return;
    }
    ctx.sessions.track(res, session);
    await session.transport.handleRequest(req, res, body);
    return;
  }
  if (req.method !== "POST" || !isInitializeRequest(body)) {
    sendRpcError(res, 400, INVALID_REQUEST, "Bad Request: no valid session id (send initialize first)");
    return;
  }
  if (!(await makeRoomFor(ctx, req, res, caller))) return;
  await openSession(ctx, req, res, caller, bearer, body);
}

/**
 * Whether the caller may open one more session: under the server's cap, and under its token's, where its own
 * least recently used idle session makes room. Answers the request (503, 429) when not.
 */
async function makeRoomFor(
  ctx: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  caller: KnownToken,
): Promise<boolean> {
  const { config, sessions, logger } = ctx;
  if (sessions.total >= config.maxSessions) {
    logger.warn({ max: config.maxSessions }, "MCP session limit reached");
    sendRpcError(res, 503, SERVER_ERROR, "Too many sessions; try again later", { "retry-after": "30" });
    return false;
  }
  // One token's sessions are capped well under the server's, so it cannot lock every other token out. At its
  // cap, its own least recently used idle session makes room (clients rarely DELETE theirs, and a client told
  // 404 for it starts a new one); only when all of them are busy is the token refused.
  const ownLimit = Math.min(
    caller.grant.maxSessions ?? config.maxSessionsPerToken ?? DEFAULT_MAX_SESSIONS_PER_TOKEN,
    config.maxSessions,
  );
  if (sessions.countOf(caller.name) >= ownLimit) {
    const idle = sessions.oldestIdleOf(caller.name);
    if (idle) await sessions.close(idle, "its token opened a new one at its session cap");
  }
  if (sessions.countOf(caller.name) >= ownLimit) {
    logger.warn({ tokenName: caller.name, max: ownLimit }, "MCP session limit of a token reached");
    refuse(ctx, req, "session_limit", caller.name, 429);
    sendRpcError(
      res,
      429,
      SERVER_ERROR,
      `Too many sessions for this token (${ownLimit} open, all busy); try again when one of them is done`,
      { "retry-after": "30" },
    );
    return false;
  }
  return true;
}

/** An initialize request: a server and a transport for a new session, kept once the SDK gave it its id. */
async function openSession(
  ctx: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  caller: KnownToken,
  bearer: string,
  body: unknown,
): Promise<void> {
  const { sessions, logger } = ctx;
  const release = sessions.reserve(caller.name);
  let server: McpServer | undefined;
  let transport: StreamableHTTPServerTransport | undefined;
  let created: Session | undefined;
  // everything after the reservation inside the try: a server that cannot be built must give its place back
  try {
    const opened = ctx.deps.createServer({
      principal: { name: caller.name, grant: caller.grant, identity: caller.identity },
    });
    server = opened;
    const own = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      // A call's answer as plain JSON, unless the client can elicit: the server then may ask it to confirm in
      // the middle of a call, which needs the answer's SSE stream. Nothing else is ever tied to a call here (no
      // progress, no log messages; resource updates use the GET stream), and the SSE path cost ~3 ms a call
      // (BENCHMARKS.md, fix 13).
      enableJsonResponse: !declaresElicitation(body),
      onsessioninitialized: (id) => {
        created = { id, server: opened, transport: own, caller, lastSeen: Date.now(), inflight: 0 };
        sessions.add(created);
        sessions.track(res, created);
        logger.info(
          // "tokenName": the logger censors any field called "token"
          { session: id.slice(0, 8), tokenName: caller.name, sessions: sessions.size },
          "MCP session opened",
        );
      },
      onsessionclosed: (id) => {
        const s = sessions.get(id);
        if (s) void sessions.close(s, "deleted by client");
      },
    });
    transport = own;
    scrubOutgoing(own, bearer);
    own.onclose = () => {
      if (created) void sessions.close(created, "transport closed");
    };
    await opened.connect(own);
    await own.handleRequest(req, res, body);
  } finally {
    release();
    if (!created) {
      // initialize failed: nothing to keep
      void transport?.close().catch(() => undefined);
      void server?.close().catch(() => undefined);
    }
  }
}
