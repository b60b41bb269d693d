import type { IncomingMessage, ServerResponse } from "node:http";
import { DEFAULT_RATE_BURST } from "../../config/index.js";
import { PACKAGE_NAME } from "../../version.js";
import { type KnownToken, matchToken } from "../auth.js";
import { type HttpContext, refuse } from "./context.js";
import { hostAllowed } from "./host-check.js";
import { SERVER_ERROR, sendRpcError } from "./respond.js";

/** Who a /mcp request comes from, once it passed the edge. */
export interface Authenticated {
  caller: KnownToken;
  /** the bearer token as sent, to scrub from what goes back */
  bearer: string;
  /** an OAuth access token's scopes; undefined for a static token */
  scopes: readonly string[] | undefined;
}

/**
 * The edge of /mcp, in order: Host and Origin allow-lists, the bearer token (a static token, else an OAuth
 * access token), the token's rate limit. Answers the request and returns undefined when it is refused.
 */
export async function authenticate(
  ctx: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<Authenticated | undefined> {
  // DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends Host: evil.example.
  if (!hostAllowed(req.headers.host, ctx.allowedHosts)) {
    refuse(ctx, req, "host_not_allowed", null, 403);
    sendRpcError(res, 403, SERVER_ERROR, "Forbidden: Host header not allowed");
    return undefined;
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !ctx.allowedOrigins.has(origin.toLowerCase())) {
    refuse(ctx, req, "origin_not_allowed", null, 403);
    sendRpcError(res, 403, SERVER_ERROR, "Forbidden: Origin not allowed");
    return undefined;
  }
  const auth = req.headers.authorization;
  const match = auth ? /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(auth) : null;
  const bearer = match ? (match[1] as string) : "";
  const known = ctx.known;
  const token = match ? matchToken(bearer, known) : -1;
  // a bearer that is none of the static tokens may be an OAuth access token
  const authenticated = token === -1 && ctx.oauth ? await ctx.oauth.authenticate(bearer) : undefined;
  if (authenticated && !authenticated.ok) {
    const { status } = authenticated;
    // 503: the token could not be checked, which refuses no one in particular
    if (status !== 503)
      refuse(ctx, req, status === 401 ? "unauthorized" : "insufficient_scope", null, status);
    sendRpcError(res, status, SERVER_ERROR, authenticated.message, authenticated.headers);
    return undefined;
  }
  if (token === -1 && !authenticated) {
    refuse(ctx, req, "unauthorized", null, 401);
    const challenge = auth
      ? `Bearer realm="${PACKAGE_NAME}", error="invalid_token"`
      : `Bearer realm="${PACKAGE_NAME}"`;
    sendRpcError(res, 401, SERVER_ERROR, "Unauthorized: send Authorization: Bearer <MCP_HTTP_TOKEN>", {
      "www-authenticate": challenge,
    });
    return undefined;
  }
  const caller = authenticated?.ok ? authenticated.caller : (known[token] as KnownToken);
  const { config } = ctx;
  const limit = caller.grant.rateLimit ?? config.rateLimit?.perMinute ?? 0;
  const wait = await ctx.limiter.take(caller.name, limit, config.rateLimit?.burst ?? DEFAULT_RATE_BURST);
  if (wait > 0) {
    ctx.logger.warn({ tokenName: caller.name, retryAfter: wait }, "rate limit reached");
    refuse(ctx, req, "rate_limited", caller.name, 429);
    sendRpcError(res, 429, SERVER_ERROR, `Too many requests for this token; retry after ${wait} s`, {
      "retry-after": String(wait),
    });
    return undefined;
  }
  return { caller, bearer, scopes: authenticated?.ok ? authenticated.scopes : undefined };
}
