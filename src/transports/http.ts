import type { HashedToken, HttpConfig } from "../config/index.js";
import { knownTokens } from "./auth.js";
import { closeOnce } from "./close-once.js";
import type { HttpContext } from "./http/context.js";
import { allowLists } from "./http/host-check.js";
import { listen, stopListening } from "./http/listen.js";
import { MCP_PATH, requestListener } from "./http/routes.js";
import { SessionTable } from "./http/sessions.js";
import { StatelessServers } from "./http/stateless.js";
import { replaceFileTokens, type TokensReplaced } from "./http/tokens.js";
import { OAuthResourceServer } from "./oauth/index.js";
import { localRateLimits, RateLimiter } from "./rate-limit.js";
import type { RunningTransport, TransportDeps } from "./types.js";

export { HEALTH_PATH, MCP_PATH } from "./http/routes.js";
export type { TokensReplaced } from "./http/tokens.js";

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

/**
 * Streamable HTTP at /mcp (bearer token, Host/Origin allow-lists, sessions bound to their token, idle expiry,
 * session cap, body limit) and GET /healthz. Resolves once listening. The steps of a request are in ./http/:
 * routes → mcp-endpoint (authenticate, read the message) → stateful (sessions) or stateless.
 */
export async function startHttpServer(config: HttpConfig, deps: TransportDeps): Promise<RunningHttpServer> {
  const ctx = httpContext(config, deps);
  const { logger } = deps;
  const { http, port } = await listen(config.host, config.port, requestListener(ctx), logger);
  Object.assign(ctx, allowLists(config, port));
  const stopSweeping = ctx.sessions.sweepIdle(config.sessionIdleMs);

  const { close, closed } = closeOnce(async () => {
    ctx.shuttingDown = true;
    stopSweeping();
    ctx.statelessServers.clear();
    await stopListening(http, () =>
      Promise.all(ctx.sessions.all().map((s) => ctx.sessions.close(s, "shutdown"))),
    );
    logger.info("HTTP server stopped");
  });

  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  logger.info(
    {
      url: `${url}${MCP_PATH}`,
      stateless: config.stateless,
      tokens: ctx.known.map((k) => k.name),
      oauth: config.oauth && { issuer: config.oauth.issuer, resource: config.oauth.resource },
      rateLimit: config.rateLimit,
      allowedHosts: ctx.allowedHosts,
      allowedOrigins: [...ctx.allowedOrigins],
    },
    "serving MCP over Streamable HTTP",
  );
  return {
    url,
    port,
    close,
    closed,
    sessionCount: () => ctx.sessions.size,
    replaceFileTokens: (hashedTokens) => replaceFileTokens(ctx, hashedTokens),
  };
}

/** The shared state of a server about to listen; refuses a configuration that would let no one in. */
function httpContext(config: HttpConfig, deps: TransportDeps): HttpContext {
  const { logger } = deps;
  const known = knownTokens(config);
  const oauth = config.oauth && new OAuthResourceServer(config.oauth, logger, MCP_PATH);
  if (known.length === 0 && !oauth) {
    throw new Error(
      "startHttpServer needs at least one bearer token (MCP_HTTP_TOKEN or MCP_HTTP_TOKENS_FILE) or OAuth",
    );
  }
  return {
    config,
    deps,
    logger,
    oauth: oauth || undefined,
    // in memory per process, unless the CLI shares them through the database (DATABASE_URL)
    limiter: deps.rateLimits ?? localRateLimits(new RateLimiter()),
    sessions: new SessionTable(logger),
    statelessServers: new StatelessServers(),
    known,
    shuttingDown: false,
    allowedHosts: [],
    allowedOrigins: new Set(),
  };
}
