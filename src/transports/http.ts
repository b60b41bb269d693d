import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { scrubDeep } from "../client/redact.js";
import {
  DEFAULT_MAX_SESSIONS_PER_TOKEN,
  DEFAULT_RATE_BURST,
  type HashedToken,
  type HttpConfig,
} from "../config/index.js";
import { StreamableHTTPServerTransport } from "../sdk/http.js";
import type { JSONRPCMessage, McpServer } from "../sdk/server.js";
import { isInitializeRequest } from "../sdk/server.js";
import { PACKAGE_NAME } from "../version.js";
import { type KnownToken, knownTokens, matchToken } from "./auth.js";
import { closeOnce } from "./close-once.js";
import { OAuthResourceServer } from "./oauth/index.js";
import { localRateLimits, RateLimiter } from "./rate-limit.js";
import type { RefusedRequest, RunningTransport, TransportDeps } from "./types.js";

export const MCP_PATH = "/mcp";
export const HEALTH_PATH = "/healthz";

export interface RunningHttpServer extends RunningTransport {
  /** base URL, e.g. http://127.0.0.1:3000 (the MCP endpoint is `${url}/mcp`) */
  url: string;
  port: number;
  /** open sessions (stateful mode) */
  sessionCount(): number;
  /**
   * Puts a new tokens file's entries in place of the old ones (MCP_HTTP_TOKEN's tokens stay). A removed token
   * is refused from the next request on, and the sessions of a removed or changed token are closed: a session
   * keeps the grant it was opened with, so a narrowed grant must not live on in it.
   */
  replaceFileTokens(hashedTokens: readonly HashedToken[]): TokensReplaced;
}

/** What `replaceFileTokens` changed, by token name (never a token or its hash). */
export interface TokensReplaced {
  added: string[];
  removed: string[];
  changed: string[];
  sessionsClosed: number;
}

interface Session {
  id: string;
  server: McpServer;
  transport: StreamableHTTPServerTransport;
  /** the token that created the session: only that token may use it (re-pointed when the file is reloaded) */
  caller: KnownToken;
  lastSeen: number;
  /** requests (including open SSE streams) currently being served */
  inflight: number;
}

/** JSON-RPC error codes used at the HTTP edge. */
const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
const SERVER_ERROR = -32000;

const SHUTDOWN_GRACE_MS = 5_000;

class TooLarge extends Error {}

/**
 * Scrubs the bearer token a session authenticated with from everything sent back on it: an agent that pastes
 * its token into a tool argument must not find it echoed in an error (and so in its transcript). Only messages
 * that contain it are copied.
 */
function scrubOutgoing(transport: StreamableHTTPServerTransport, bearer: string): void {
  const send = transport.send.bind(transport);
  transport.send = (message: JSONRPCMessage, options) =>
    send(holdsText(message, bearer, 0) ? scrubDeep(message, [bearer]) : message, options);
}

/**
 * Whether a key or string anywhere in a JSON value contains `needle`. Walked rather than serialised: stringifying
 * every outgoing message was one of the server's larger allocations under load (docs/reliability.md), and
 * JSON escaping would hide a token holding a quote or backslash. Too deep to walk counts as holding it.
 */
function holdsText(value: unknown, needle: string, depth: number): boolean {
  if (typeof value === "string") return value.includes(needle);
  if (value === null || typeof value !== "object") return false;
  if (depth > 64) return true;
  if (Array.isArray(value)) return value.some((v) => holdsText(v, needle, depth + 1));
  for (const key in value) {
    if (key.includes(needle) || holdsText((value as Record<string, unknown>)[key], needle, depth + 1))
      return true;
  }
  return false;
}

function splitHost(value: string): { name: string; port: string | undefined } {
  const v = value.toLowerCase();
  if (v.startsWith("[")) {
    const end = v.indexOf("]");
    const rest = v.slice(end + 1);
    return { name: v.slice(0, end + 1), port: rest.startsWith(":") ? rest.slice(1) : undefined };
  }
  const colon = v.lastIndexOf(":");
  return colon === -1 ? { name: v, port: undefined } : { name: v.slice(0, colon), port: v.slice(colon + 1) };
}

function hostAllowed(header: string | undefined, allowed: readonly string[]): boolean {
  if (!header) return false;
  const got = splitHost(header);
  return allowed.some((entry) => {
    const want = splitHost(entry);
    return want.name === got.name && (want.port === undefined || want.port === got.port);
  });
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(text);
}

function sendRpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { jsonrpc: "2.0", error: { code, message }, id: null }, headers);
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) throw new TooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new TooLarge();
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Whether the initializing client declares elicitation (it may then be asked to confirm in the middle of a call). */
function declaresElicitation(body: unknown): boolean {
  return isInitializeRequest(body) && body.params.capabilities.elicitation !== undefined;
}

/**
 * Streamable HTTP at /mcp (bearer token, Host/Origin allow-lists, sessions bound to their token, idle expiry,
 * session cap, body limit) and GET /healthz. Resolves once listening.
 */
export async function startHttpServer(config: HttpConfig, deps: TransportDeps): Promise<RunningHttpServer> {
  const { logger } = deps;
  let known = knownTokens(config);
  const oauth = config.oauth && new OAuthResourceServer(config.oauth, logger, MCP_PATH);
  if (known.length === 0 && !oauth) {
    throw new Error(
      "startHttpServer needs at least one bearer token (MCP_HTTP_TOKEN or MCP_HTTP_TOKENS_FILE) or OAuth",
    );
  }
  // in memory per process, unless the CLI shares them through the database (DATABASE_URL)
  const limiter = deps.rateLimits ?? localRateLimits(new RateLimiter());
  const sessions = new Map<string, Session>();
  let pendingSessions = 0;
  /** sessions being initialized, by token name (counted against its cap like open ones) */
  const pendingOf = new Map<string, number>();
  const sessionsOf = (name: string): number => {
    let n = pendingOf.get(name) ?? 0;
    for (const s of sessions.values()) if (s.caller.name === name) n++;
    return n;
  };
  const oldestIdleSessionOf = (name: string): Session | undefined => {
    let oldest: Session | undefined;
    for (const s of sessions.values()) {
      if (s.caller.name !== name || s.inflight > 0) continue;
      if (!oldest || s.lastSeen < oldest.lastSeen) oldest = s;
    }
    return oldest;
  };
  let shuttingDown = false;
  let allowedHosts: string[] = [];
  let allowedOrigins: Set<string> = new Set();

  const closeSession = async (session: Session, why: string): Promise<void> => {
    if (!sessions.delete(session.id)) return;
    logger.debug({ session: session.id.slice(0, 8), why }, "closing MCP session");
    try {
      await session.transport.close();
      await session.server.close();
    } catch (err) {
      logger.debug({ err }, "error while closing an MCP session");
    }
  };

  const track = (res: ServerResponse, session: Session): void => {
    session.inflight++;
    session.lastSeen = Date.now();
    res.once("close", () => {
      session.inflight--;
      session.lastSeen = Date.now();
    });
  };

  const handleStateless = async (
    req: IncomingMessage,
    res: ServerResponse,
    caller: KnownToken,
    bearer: string,
    body: unknown,
  ): Promise<void> => {
    const server = deps.createServer({
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
  };

  const handleStateful = async (
    req: IncomingMessage,
    res: ServerResponse,
    caller: KnownToken,
    bearer: string,
    body: unknown,
  ): Promise<void> => {
    const header = req.headers["mcp-session-id"];
    const sessionId = Array.isArray(header) ? header[0] : header;
    if (sessionId) {
      const session = sessions.get(sessionId);
      // A session belongs to the token that created it: another token gets the same answer as an unknown id.
      // (compared by name and hash, not identity: a reload may re-point the session while this request waited)
      if (!session || session.caller.name !== caller.name || !session.caller.digest.equals(caller.digest)) {
        sendRpcError(res, 404, SERVER_ERROR, "Session not found");
        return;
      }
      track(res, session);
      await session.transport.handleRequest(req, res, body);
      return;
    }
    if (req.method !== "POST" || !isInitializeRequest(body)) {
      sendRpcError(res, 400, INVALID_REQUEST, "Bad Request: no valid session id (send initialize first)");
      return;
    }
    if (sessions.size + pendingSessions >= config.maxSessions) {
      logger.warn({ max: config.maxSessions }, "MCP session limit reached");
      sendRpcError(res, 503, SERVER_ERROR, "Too many sessions; try again later", { "retry-after": "30" });
      return;
    }
    // One token's sessions are capped well under the server's, so it cannot lock every other token out. At its
    // cap, its own least recently used idle session makes room (clients rarely DELETE theirs, and a client told
    // 404 for it starts a new one); only when all of them are busy is the token refused.
    const ownLimit = Math.min(
      caller.grant.maxSessions ?? config.maxSessionsPerToken ?? DEFAULT_MAX_SESSIONS_PER_TOKEN,
      config.maxSessions,
    );
    if (sessionsOf(caller.name) >= ownLimit) {
      const idle = oldestIdleSessionOf(caller.name);
      if (idle) await closeSession(idle, "its token opened a new one at its session cap");
    }
    if (sessionsOf(caller.name) >= ownLimit) {
      logger.warn({ tokenName: caller.name, max: ownLimit }, "MCP session limit of a token reached");
      refuse(req, "session_limit", caller.name, 429);
      sendRpcError(
        res,
        429,
        SERVER_ERROR,
        `Too many sessions for this token (${ownLimit} open, all busy); try again when one of them is done`,
        { "retry-after": "30" },
      );
      return;
    }
    pendingSessions++;
    pendingOf.set(caller.name, (pendingOf.get(caller.name) ?? 0) + 1);
    const server = deps.createServer({
      principal: { name: caller.name, grant: caller.grant, identity: caller.identity },
    });
    let created: Session | undefined;
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      // A call's answer as plain JSON, unless the client can elicit: the server then may ask it to confirm in the
      // middle of a call, which needs the answer's SSE stream. Nothing else is ever tied to a call here (no
      // progress, no log messages; resource updates use the GET stream), and the SSE path cost ~3 ms a call
      // (BENCHMARKS.md, fix 13).
      enableJsonResponse: !declaresElicitation(body),
      onsessioninitialized: (id) => {
        created = { id, server, transport, caller, lastSeen: Date.now(), inflight: 0 };
        sessions.set(id, created);
        track(res, created);
        logger.info(
          // "tokenName": the logger censors any field called "token"
          { session: id.slice(0, 8), tokenName: caller.name, sessions: sessions.size },
          "MCP session opened",
        );
      },
      onsessionclosed: (id) => {
        const s = sessions.get(id);
        if (s) void closeSession(s, "deleted by client");
      },
    });
    scrubOutgoing(transport, bearer);
    transport.onclose = () => {
      if (created) void closeSession(created, "transport closed");
    };
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
    } finally {
      pendingSessions--;
      const pending = (pendingOf.get(caller.name) ?? 1) - 1;
      if (pending > 0) pendingOf.set(caller.name, pending);
      else pendingOf.delete(caller.name);
      if (!created) {
        // initialize failed: nothing to keep
        void transport.close().catch(() => undefined);
        void server.close().catch(() => undefined);
      }
    }
  };

  const refuse = (
    req: IncomingMessage,
    reason: RefusedRequest["reason"],
    token: string | null,
    status: number,
  ) => {
    try {
      deps.onRefused?.({ reason, token, remote: req.socket.remoteAddress ?? null, status });
    } catch (err) {
      // the answer goes out anyway; a failing audit sink must not turn a 401 into a 500
      logger.error(
        { err: err instanceof Error ? err.message : String(err) },
        "could not record a refused request",
      );
    }
  };

  const handleMcp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends Host: evil.example.
    if (!hostAllowed(req.headers.host, allowedHosts)) {
      refuse(req, "host_not_allowed", null, 403);
      sendRpcError(res, 403, SERVER_ERROR, "Forbidden: Host header not allowed");
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin.toLowerCase())) {
      refuse(req, "origin_not_allowed", null, 403);
      sendRpcError(res, 403, SERVER_ERROR, "Forbidden: Origin not allowed");
      return;
    }
    const auth = req.headers.authorization;
    const match = auth ? /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(auth) : null;
    const bearer = match ? (match[1] as string) : "";
    const token = match ? matchToken(bearer, known) : -1;
    // a bearer that is none of the static tokens may be an OAuth access token
    const authenticated = token === -1 && oauth ? await oauth.authenticate(bearer) : undefined;
    if (authenticated && !authenticated.ok) {
      const { status } = authenticated;
      // 503: the token could not be checked, which refuses no one in particular
      if (status !== 503) refuse(req, status === 401 ? "unauthorized" : "insufficient_scope", null, status);
      sendRpcError(res, status, SERVER_ERROR, authenticated.message, authenticated.headers);
      return;
    }
    if (token === -1 && !authenticated) {
      refuse(req, "unauthorized", null, 401);
      const challenge = auth
        ? `Bearer realm="${PACKAGE_NAME}", error="invalid_token"`
        : `Bearer realm="${PACKAGE_NAME}"`;
      sendRpcError(res, 401, SERVER_ERROR, "Unauthorized: send Authorization: Bearer <MCP_HTTP_TOKEN>", {
        "www-authenticate": challenge,
      });
      return;
    }
    const caller = authenticated?.ok ? authenticated.caller : (known[token] as KnownToken);
    const limit = caller.grant.rateLimit ?? config.rateLimit?.perMinute ?? 0;
    const wait = await limiter.take(caller.name, limit, config.rateLimit?.burst ?? DEFAULT_RATE_BURST);
    if (wait > 0) {
      logger.warn({ tokenName: caller.name, retryAfter: wait }, "rate limit reached");
      refuse(req, "rate_limited", caller.name, 429);
      sendRpcError(res, 429, SERVER_ERROR, `Too many requests for this token; retry after ${wait} s`, {
        "retry-after": String(wait),
      });
      return;
    }
    if (shuttingDown) {
      sendRpcError(res, 503, SERVER_ERROR, "Server is shutting down", { connection: "close" });
      return;
    }
    if (req.method !== "POST" && req.method !== "GET" && req.method !== "DELETE") {
      sendRpcError(res, 405, SERVER_ERROR, "Method not allowed", { allow: "GET, POST, DELETE" });
      return;
    }
    let body: unknown;
    const maxBodyBytes = caller.grant.maxBodyBytes ?? config.maxBodyBytes;
    if (req.method === "POST") {
      let text: string;
      try {
        text = await readBody(req, maxBodyBytes);
      } catch (err) {
        if (err instanceof TooLarge) {
          refuse(req, "body_too_large", caller.name, 413);
          sendRpcError(res, 413, SERVER_ERROR, `Request body larger than ${maxBodyBytes} bytes`, {
            connection: "close",
          });
          return;
        }
        throw err;
      }
      try {
        body = JSON.parse(text);
      } catch {
        sendRpcError(res, 400, PARSE_ERROR, "Parse error: the body is not valid JSON");
        return;
      }
      // MCP 2025-06-18 removed JSON-RPC batching (2025-11-25 has none). Refused rather than unpacked: the rate
      // limit counts requests, and one batch could carry hundreds of tool calls past it.
      if (Array.isArray(body)) {
        refuse(req, "batch_refused", caller.name, 400);
        sendRpcError(
          res,
          400,
          INVALID_REQUEST,
          "Invalid Request: JSON-RPC batches are not supported (MCP 2025-11-25 has no batching); send one message per request",
        );
        return;
      }
      const denied = authenticated?.ok && oauth?.authorize(authenticated.scopes, body);
      if (denied) {
        refuse(req, "insufficient_scope", caller.name, denied.status);
        sendRpcError(res, denied.status, SERVER_ERROR, denied.message, denied.headers);
        return;
      }
    }
    if (config.stateless) {
      if (req.method !== "POST") {
        sendRpcError(res, 405, SERVER_ERROR, "Method not allowed in stateless mode", { allow: "POST" });
        return;
      }
      await handleStateless(req, res, caller, bearer, body);
      return;
    }
    await handleStateful(req, res, caller, bearer, body);
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const started = performance.now();
    const path = (req.url ?? "/").split("?")[0] as string;
    res.once("finish", () => {
      logger.debug(
        {
          method: req.method,
          path,
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
        },
        "http request",
      );
    });
    const run = async (): Promise<void> => {
      if (path === HEALTH_PATH) {
        if (req.method !== "GET" && req.method !== "HEAD") {
          sendJson(res, 405, { ok: false, error: "method not allowed" }, { allow: "GET, HEAD" });
          return;
        }
        // The database's state is reported, not made the answer's status: without it a replica still serves
        // DigiCert reads, and a load balancer taking every replica out with the database would stop those too.
        const extra = deps.health ? await deps.health() : {};
        sendJson(res, shuttingDown ? 503 : 200, {
          ok: !shuttingDown,
          name: PACKAGE_NAME,
          version: deps.version,
          ...extra,
        });
        return;
      }
      if (oauth?.isMetadataPath(path)) {
        oauth.serveMetadata(req.method, res);
        return;
      }
      if (path !== MCP_PATH) {
        sendJson(res, 404, { error: "not found", endpoints: [MCP_PATH, HEALTH_PATH] });
        return;
      }
      await handleMcp(req, res);
    };
    run().catch((err: unknown) => {
      logger.error({ err: err instanceof Error ? err.message : String(err), path }, "http request failed");
      sendRpcError(res, 500, SERVER_ERROR, "Internal server error");
    });
  };

  const http: Server = createServer(handler);
  http.on("clientError", (err, socket) => {
    logger.debug({ err: err.message }, "bad HTTP request");
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(config.port, config.host, () => {
      http.off("error", reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  allowedHosts = config.allowedHosts ?? ["localhost", "127.0.0.1", "[::1]"].map((h) => `${h}:${port}`);
  allowedOrigins = new Set(
    (config.allowedOrigins ?? ["localhost", "127.0.0.1", "[::1]"].map((h) => `http://${h}:${port}`)).map(
      (o) => o.toLowerCase(),
    ),
  );

  const sweepEvery = Math.max(250, Math.min(config.sessionIdleMs / 2, 60_000));
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const session of sessions.values()) {
      if (session.inflight === 0 && now - session.lastSeen > config.sessionIdleMs) {
        void closeSession(session, "idle");
      }
    }
  }, sweepEvery);
  sweeper.unref();

  const { close, closed } = closeOnce(async () => {
    shuttingDown = true;
    clearInterval(sweeper);
    const stopped = new Promise<void>((r) => http.close(() => r()));
    await Promise.all([...sessions.values()].map((s) => closeSession(s, "shutdown")));
    http.closeIdleConnections();
    const force = setTimeout(() => http.closeAllConnections(), SHUTDOWN_GRACE_MS);
    force.unref();
    await stopped;
    clearTimeout(force);
    logger.info("HTTP server stopped");
  });

  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  logger.info(
    {
      url: `${url}${MCP_PATH}`,
      stateless: config.stateless,
      tokens: known.map((k) => k.name),
      oauth: config.oauth && { issuer: config.oauth.issuer, resource: config.oauth.resource },
      rateLimit: config.rateLimit,
      allowedHosts,
      allowedOrigins: [...allowedOrigins],
    },
    "serving MCP over Streamable HTTP",
  );
  const replaceFileTokens = (hashedTokens: readonly HashedToken[]): TokensReplaced => {
    const next = knownTokens({ ...config, hashedTokens: [...hashedTokens] });
    const same = (a: KnownToken, b: KnownToken) =>
      a.name === b.name && a.digest.equals(b.digest) && JSON.stringify(a.grant) === JSON.stringify(b.grant);
    const before = new Map(known.map((k) => [k.name, k]));
    const after = new Map(next.map((k) => [k.name, k]));
    const result: TokensReplaced = {
      added: next.filter((k) => !before.has(k.name)).map((k) => k.name),
      removed: known.filter((k) => !after.has(k.name)).map((k) => k.name),
      changed: next
        .filter((k) => before.has(k.name) && !same(before.get(k.name) as KnownToken, k))
        .map((k) => k.name),
      sessionsClosed: 0,
    };
    // from here on, requests authenticate against the new list only
    known = next;
    for (const session of [...sessions.values()]) {
      if (session.caller.identity) continue; // an OAuth caller's session: not the tokens file's
      const kept = after.get(session.caller.name);
      if (kept && same(kept, session.caller)) {
        session.caller = kept;
      } else {
        result.sessionsClosed++;
        void closeSession(session, kept ? "its token's grant changed" : "its token was removed");
      }
    }
    return result;
  };

  return { url, port, close, closed, sessionCount: () => sessions.size, replaceFileTokens };
}
