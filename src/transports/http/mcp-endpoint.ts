import type { IncomingMessage, ServerResponse } from "node:http";
import { type Authenticated, authenticate } from "./authenticate.js";
import { readBody, TooLarge } from "./body.js";
import { type HttpContext, refuse } from "./context.js";
import { INVALID_REQUEST, PARSE_ERROR, SERVER_ERROR, sendRpcError } from "./respond.js";
import { serveStateful } from "./stateful.js";
import { serveStateless } from "./stateless.js";

/** readMessage's answer when it refused (and answered) the request */
const REFUSED = Symbol("refused");

/**
 * /mcp: the edge checks (authenticate), then the method, the body (size, JSON, no batch, OAuth scopes), then
 * the request is served in a session or, with --stateless, on its own.
 */
export async function serveMcp(ctx: HttpContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const auth = await authenticate(ctx, req, res);
  if (!auth) return;
  if (ctx.shuttingDown) {
    sendRpcError(res, 503, SERVER_ERROR, "Server is shutting down", { connection: "close" });
    return;
  }
  if (req.method !== "POST" && req.method !== "GET" && req.method !== "DELETE") {
    sendRpcError(res, 405, SERVER_ERROR, "Method not allowed", { allow: "GET, POST, DELETE" });
    return;
  }
  const body = req.method === "POST" ? await readMessage(ctx, req, res, auth) : undefined;
  if (body === REFUSED) return;
  if (ctx.config.stateless) {
    if (req.method !== "POST") {
      sendRpcError(res, 405, SERVER_ERROR, "Method not allowed in stateless mode", { allow: "POST" });
      return;
    }
    await serveStateless(ctx, req, res, auth.caller, auth.bearer, body);
    return;
  }
  await serveStateful(ctx, req, res, auth.caller, auth.bearer, body);
}

/** A POST's JSON-RPC message: within the caller's body limit, JSON, one message, within its OAuth scopes. */
async function readMessage(
  ctx: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  auth: Authenticated,
): Promise<unknown> {
  const tokenName = auth.caller.name;
  const maxBodyBytes = auth.caller.grant.maxBodyBytes ?? ctx.config.maxBodyBytes;
  let text: string;
  try {
    text = await readBody(req, maxBodyBytes);
  } catch (err) {
    if (err instanceof TooLarge) {
      refuse(ctx, req, "body_too_large", tokenName, 413);
      sendRpcError(res, 413, SERVER_ERROR, `Request body larger than ${maxBodyBytes} bytes`, {
        connection: "close",
      });
      return REFUSED;
    }
    throw err;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    sendRpcError(res, 400, PARSE_ERROR, "Parse error: the body is not valid JSON");
    return REFUSED;
  }
  // MCP 2025-06-18 removed JSON-RPC batching (2025-11-25 has none). Refused rather than unpacked: the rate
  // limit counts requests, and one batch could carry hundreds of tool calls past it.
  if (Array.isArray(body)) {
    refuse(ctx, req, "batch_refused", tokenName, 400);
    sendRpcError(
      res,
      400,
      INVALID_REQUEST,
      "Invalid Request: JSON-RPC batches are not supported (MCP 2025-11-25 has no batching); send one message per request",
    );
    return REFUSED;
  }
  const denied = auth.scopes && ctx.oauth?.authorize(auth.scopes, body);
  if (denied) {
    refuse(ctx, req, "insufficient_scope", tokenName, denied.status);
    sendRpcError(res, denied.status, SERVER_ERROR, denied.message, denied.headers);
    return REFUSED;
  }
  return body;
}
