import type { IncomingMessage, ServerResponse } from "node:http";
import { PACKAGE_NAME } from "../../version.js";
import type { HttpContext } from "./context.js";
import { serveMcp } from "./mcp-endpoint.js";
import { SERVER_ERROR, sendJson, sendRpcError } from "./respond.js";

export const MCP_PATH = "/mcp";
export const HEALTH_PATH = "/healthz";

/** The node:http request listener: /healthz, the OAuth metadata, /mcp, else 404; each request logged at debug. */
export function requestListener(ctx: HttpContext): (req: IncomingMessage, res: ServerResponse) => void {
  const { logger } = ctx;
  return (req, res) => {
    const started = performance.now();
    const path = (req.url ?? "/").split("?")[0] as string;
    // the debug line's listener only when it is written (the level is set at start-up)
    if (logger.isLevelEnabled("debug")) {
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
    }
    route(ctx, path, req, res).catch((err: unknown) => {
      logger.error({ err: err instanceof Error ? err.message : String(err), path }, "http request failed");
      sendRpcError(res, 500, SERVER_ERROR, "Internal server error");
    });
  };
}

async function route(
  ctx: HttpContext,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (path === HEALTH_PATH) {
    await serveHealth(ctx, req, res);
    return;
  }
  if (ctx.oauth?.isMetadataPath(path)) {
    ctx.oauth.serveMetadata(req.method, res);
    return;
  }
  if (path !== MCP_PATH) {
    sendJson(res, 404, { error: "not found", endpoints: [MCP_PATH, HEALTH_PATH] });
    return;
  }
  await serveMcp(ctx, req, res);
}

async function serveHealth(ctx: HttpContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    sendJson(res, 405, { ok: false, error: "method not allowed" }, { allow: "GET, HEAD" });
    return;
  }
  // The database's state is reported, not made the answer's status: without it a replica still serves
  // DigiCert reads, and a load balancer taking every replica out with the database would stop those too.
  const extra = ctx.deps.health ? await ctx.deps.health() : {};
  sendJson(res, ctx.shuttingDown ? 503 : 200, {
    ok: !ctx.shuttingDown,
    name: PACKAGE_NAME,
    version: ctx.deps.version,
    ...extra,
  });
}
