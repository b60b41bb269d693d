import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import type { Operation } from "../src/operations/index.js";
import { type AnswerVariant, reshapeAnswer } from "./answers.js";
import { authenticate } from "./auth.js";
import { type Clock, wholeSecond } from "./clock.js";
import { ApiError, codeForStatus, type ErrorCode, type ErrorItem } from "./errors.js";
import type { Faults } from "./faults.js";
import { HANDLERS } from "./handlers/index.js";
import type { HandlerDef, Result } from "./handlers/types.js";
import { coercePathParams, type Router } from "./router.js";
import type { Stats } from "./stats.js";
import type { Store } from "./store.js";

/** Mutable parts of a running sandbox; `store` is swapped by reset(). */
export interface Runtime {
  store: Store;
  /** the form of undocumented answers (sandbox/answers.ts) */
  answers: AnswerVariant;
  clock: Clock;
  faults: Faults;
  stats: Stats;
  router: Router;
}

export const MAX_BODY_BYTES = 1_048_576;

export class BodyTooLarge extends Error {}

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function sendJson(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function sendResult(res: ServerResponse, result: Result, headers: Record<string, string> = {}): void {
  const all = { ...headers, ...result.headers };
  if (result.status === 204 || (result.body === undefined && result.raw === undefined)) {
    res.writeHead(result.status, all);
    res.end();
    return;
  }
  sendJson(res, result.status, result.raw ?? JSON.stringify(result.body), all);
}

export function errorResult(error: ApiError): Result {
  return { status: error.status, body: error.body(), headers: error.headers };
}

/** Maps zod issues to the envelope: one item per issue, naming the field and the rule it broke. */
export function validationError(issues: readonly z.core.$ZodIssue[], where: "body" | "path"): ApiError {
  const items: ErrorItem[] = issues.slice(0, 20).map((issue) => {
    const field = issue.path.map(String).join(".");
    let code: ErrorCode = "invalid_request";
    if (issue.path[0] === "sans" && issue.code === "too_big") code = "san_limit_exceeded";
    else if (issue.path[0] === "emergency_contact_emails" && issue.path.length > 1) code = "invalid_email";
    const label = field || (where === "path" ? "path" : "body");
    // The catalog's messages often name the field already ("acme_contract_id must be a number").
    const message = issue.message.startsWith(label) ? issue.message : `${label}: ${issue.message}`;
    return { code, message };
  });
  const first = items[0] ?? { code: "invalid_request", message: `${where}: invalid` };
  return new ApiError(400, first.code as ErrorCode, first.message, items.slice(1));
}

function parseJsonBody(op: Operation, raw: string): Record<string, unknown> {
  if (raw.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new ApiError(
      400,
      "bad_request_format",
      `request body is not valid JSON (${(err as Error).message})`,
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ApiError(400, "bad_request_format", `${op.name}: request body must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

/**
 * One DigiCert request, start to finish, against the store: auth and scope (401/403), path ids (400), JSON
 * body (400 bad_request_format), the operation's own body schema and check (400), then the handler.
 */
export function execute(
  rt: Runtime,
  op: Operation,
  rawParams: Record<string, string>,
  headers: IncomingMessage["headers"],
  rawBody: string,
): Result {
  try {
    const def: HandlerDef | undefined = (HANDLERS as Record<string, HandlerDef>)[op.name];
    if (!def) throw new ApiError(500, "internal_error", `sandbox: no handler for ${op.name}`);
    const now = wholeSecond(rt.clock.now());
    const principal = authenticate(rt.store, op.scope, headers, now);
    const params = op.params.safeParse(coercePathParams(rawParams));
    if (!params.success) throw validationError(params.error.issues, "path");
    let body: unknown;
    if (op.body) {
      const parsed = op.body.safeParse(parseJsonBody(op, rawBody));
      if (!parsed.success) throw validationError(parsed.error.issues, "body");
      body = parsed.data;
    }
    if (op.check) {
      const message = op.check({ ...params.data, ...(body as Record<string, unknown> | undefined) });
      if (message) throw new ApiError(400, "invalid_request", message);
    }
    return def.run({ store: rt.store, now, ...principal, params: params.data, body });
  } catch (err) {
    if (err instanceof ApiError) return errorResult(err);
    return errorResult(new ApiError(500, "internal_error", `sandbox error: ${(err as Error).message}`));
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The DigiCert side of the server: routing, faults, execution, stats. */
export async function handleApi(
  rt: Runtime,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  path: string,
): Promise<void> {
  const match = rt.router.match(method, path);
  if (match.kind !== "route") {
    req.resume();
    const error =
      match.kind === "not_found"
        ? new ApiError(404, "not_found", `no endpoint ${method} ${path}`)
        : new ApiError(405, "method_not_allowed", `${method} is not allowed on ${path}`, [], {
            allow: match.allow.join(", "),
          });
    rt.stats.record(undefined, String(error.status));
    sendResult(res, errorResult(error));
    return;
  }
  const op = match.route.op;
  let rawBody: string;
  try {
    rawBody = await readBody(req);
  } catch (err) {
    if (!(err instanceof BodyTooLarge)) throw err;
    rt.stats.record(op.name, "413");
    const error = new ApiError(413, "request_too_large", `request body exceeds ${MAX_BODY_BYTES} bytes`);
    sendResult(res, errorResult(error), { connection: "close" });
    return;
  }
  const { delayMs, fault } = rt.faults.take({ operation: op.name, method, path });
  if (delayMs > 0) await sleep(delayMs);
  if (fault?.kind === "reset") {
    rt.stats.record(op.name, "reset");
    req.socket.destroy();
    return;
  }
  if (fault?.kind === "status") {
    rt.stats.record(op.name, String(fault.status));
    const headers: Record<string, string> = {};
    if (fault.retryAfterSeconds !== undefined) headers["retry-after"] = String(fault.retryAfterSeconds);
    const error = new ApiError(
      fault.status,
      codeForStatus(fault.status),
      "injected by a sandbox fault",
      [],
      headers,
    );
    sendResult(res, errorResult(error));
    return;
  }
  const result = reshapeAnswer(rt.answers, op.name, execute(rt, op, match.params, req.headers, rawBody));
  if (fault?.kind === "reset_after_commit") {
    // The write is applied; the client never learns it: the "unknown outcome" case retries must handle.
    rt.stats.record(op.name, "reset_after_commit");
    req.socket.destroy();
    return;
  }
  rt.stats.record(op.name, String(result.status));
  sendResult(res, result, { "x-sandbox-operation": op.name });
}
