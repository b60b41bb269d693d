import { EventEmitter } from "node:events";
import type { Logger } from "pino";
import type { Dispatcher } from "undici";
import type { z } from "zod";
import {
  getOperation,
  inputSchema,
  type OPERATIONS,
  type Operation,
  type OperationName,
  renderPath,
  splitInput,
} from "../operations/index.js";
import { type Drift, driftText, readAnswer } from "./answer.js";
import { allSecrets, type Credentials, type SelectedKeys, selectKeys } from "./credentials.js";
import { DigiCertError, isApiErrorBody, parseErrorBody } from "./errors.js";
import { scrub, scrubDeep } from "./redact.js";
import {
  backoffDelay,
  DEFAULT_RETRY,
  errorCode,
  isTransientNetwork,
  isTransientStatus,
  parseRetryAfter,
  type RetryPolicy,
  sleep,
  wasNeverSent,
} from "./retry.js";

export const DIGICERT_ORIGIN = "https://www.digicert.com";

type Undici = typeof import("undici");
let undici: Promise<Undici> | undefined;

/**
 * undici is loaded on the first call, not at start-up: importing it was the largest single part of the time an
 * MCP client waits for `initialize` (bench/startup.mjs), and answering initialize or tools/list needs no HTTP.
 */
function loadUndici(): Promise<Undici> {
  undici ??= import("undici");
  return undici;
}

/** Whether EnvHttpProxyAgent would proxy anything: it reads these two (lower case first) when it is created. */
export function proxyConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.http_proxy ?? env.HTTP_PROXY) || Boolean(env.https_proxy ?? env.HTTPS_PROXY);
}

export interface Timeouts {
  connectMs: number;
  /** until the status line and headers arrive */
  headersMs: number;
  /** between body chunks */
  bodyMs: number;
  /** whole call including retries; well under the ~60 s after which desktop clients give up */
  totalMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = {
  connectMs: 5_000,
  headersMs: 20_000,
  bodyMs: 20_000,
  totalMs: 30_000,
};

export interface ClientOptions {
  /** DigiCert origin (scheme + host [+ port]); the API prefixes are added per operation */
  baseUrl?: string;
  credentials: Credentials;
  timeouts?: Partial<Timeouts>;
  retry?: Partial<RetryPolicy>;
  logger?: Logger;
  /** for tests; by default one keep-alive EnvHttpProxyAgent (honours HTTPS_PROXY / NO_PROXY) */
  dispatcher?: Dispatcher;
  userAgent?: string;
  random?: () => number;
  /**
   * Further secrets to scrub from errors and results besides the DigiCert keys: e.g. the MCP HTTP bearer
   * tokens, which an agent may paste into an argument that an error then echoes.
   */
  secrets?: readonly string[];
  /** told of each 2xx answer as DigiCert sent it, before it is read (`doctor` describes its shape) */
  onAnswer?: (op: Operation, status: number, text: string) => void;
}

/**
 * What a call is doing while the caller waits, for a caller that shows progress (the MCP layer turns these into
 * notifications/progress). Plain data, so the client stays free of MCP: a waiting retry (DigiCert's Retry-After
 * or our backoff) and the answer's arrival (before it is parsed).
 */
export type CallProgress =
  | { kind: "wait"; ms: number; attempt: number; reason: "retry-after" | "backoff"; status?: number }
  | { kind: "received"; bytes: number; status: number };

export interface CallOptions {
  signal?: AbortSignal;
  /** told what the call is doing; must not throw (a throw is ignored) */
  onProgress?: (event: CallProgress) => void;
}

interface CallMeta {
  status: number;
  attempts: number;
  /** which configured key was used (a label, never the key) */
  keyUsed: string;
}

/**
 * A 2xx answer. `drift` undefined: `data` has the catalog's expected form (undefined for 204). `drift` set:
 * DigiCert answered 2xx (a write is done) in a form we did not expect, and `data` is its answer as sent: check
 * `drift` before relying on the type.
 */
export type CallResult<T = unknown> = CallMeta &
  ({ data: T; drift?: undefined } | { data: unknown; drift: Drift });

type ResponseOf<O extends Operation> = O["response"] extends z.ZodType ? z.output<O["response"]> : undefined;
type OperationNamed<N extends OperationName> = Extract<(typeof OPERATIONS)[number], { name: N }>;

/**
 * What a call passes to undici and waits on: aborted by the whole-call deadline or by the caller's own signal.
 * An EventEmitter with `aborted` and `reason`, which undici's request() accepts as its signal, rather than an
 * AbortController: creating a controller and undici adding and removing its listener on the controller's signal
 * cost ~5 us a call in-process on Node 20 (~13 us under 50 HTTP clients, CPU profile), an EventEmitter ~0.5 us.
 * Aborted as a controller's signal is: once, with the reason given, an AbortError without one.
 */
export class CallSignal extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason =
      reason === undefined ? new DOMException("This operation was aborted", "AbortError") : reason;
    this.emit("abort");
  }
}

/**
 * The signal of one call, and one timer, both released as soon as the call ends: AbortSignal.timeout +
 * AbortSignal.any cost ~30 us per call (a CPU profile of the stdio server) and left each call's 30 s timer
 * alive until it fired.
 */
function callSignal(totalMs: number, caller: AbortSignal | undefined): { signal: CallSignal; done(): void } {
  const signal = new CallSignal();
  const timer = setTimeout(
    () => signal.abort(new DOMException("The call took longer than its deadline", "TimeoutError")),
    totalMs,
  );
  // like AbortSignal.timeout: a pending deadline does not keep the process alive
  timer.unref();
  const onCallerAbort = () => signal.abort(caller?.reason);
  if (caller?.aborted) onCallerAbort();
  else caller?.addEventListener("abort", onCallerAbort, { once: true });
  return {
    signal,
    done() {
      clearTimeout(timer);
      caller?.removeEventListener("abort", onCallerAbort);
    },
  };
}

/** Typed DigiCert client: validates input, picks the key, sends, retries what is safe, parses the answer. */
export class DigiCertClient {
  readonly baseUrl: string;
  private readonly credentials: Credentials;
  private readonly timeouts: Timeouts;
  private readonly retry: RetryPolicy;
  private readonly logger: Logger | undefined;
  /** given by the caller, or created (and owned) on the first call */
  private dispatcher: Dispatcher | undefined;
  private readonly ownsDispatcher: boolean;
  private closed = false;
  private readonly secrets: string[];
  private readonly userAgent: string;
  private readonly random: () => number;
  private readonly onAnswer: ClientOptions["onAnswer"];

  constructor(options: ClientOptions) {
    this.baseUrl = (options.baseUrl ?? DIGICERT_ORIGIN).replace(/\/+$/, "");
    const parsed = new URL(this.baseUrl);
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
      throw new Error("DIGICERT_BASE_URL must be an http(s) URL");
    }
    this.credentials = options.credentials;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.logger = options.logger;
    this.secrets = [...new Set([...allSecrets(options.credentials), ...(options.secrets ?? [])])];
    this.userAgent = options.userAgent ?? "digicert-partner-mcp";
    this.random = options.random ?? Math.random;
    this.onAnswer = options.onAnswer;
    this.ownsDispatcher = !options.dispatcher;
    this.dispatcher = options.dispatcher;
  }

  /**
   * undici's request() and the dispatcher: by default one keep-alive EnvHttpProxyAgent, made on first use. When
   * no proxy variable is set then, a plain Agent: EnvHttpProxyAgent reads its proxies once, at creation, and
   * without one sends everything through the Agent it wraps whatever NO_PROXY says, after parsing the origin
   * and reading NO_PROXY from the environment on every request (~5 us a call under 50 HTTP clients).
   */
  private async http(): Promise<{ request: Undici["request"]; dispatcher: Dispatcher }> {
    const { request, Agent, EnvHttpProxyAgent } = await loadUndici();
    if (this.closed && this.ownsDispatcher) throw new Error("the DigiCert client is closed");
    if (!this.dispatcher) {
      const options = {
        connect: { timeout: this.timeouts.connectMs },
        headersTimeout: this.timeouts.headersMs,
        bodyTimeout: this.timeouts.bodyMs,
        keepAliveTimeout: 30_000,
      };
      this.dispatcher = proxyConfigured() ? new EnvHttpProxyAgent(options) : new Agent(options);
    }
    return { request, dispatcher: this.dispatcher };
  }

  /** Validates input the way the tool schema does; throws a validation DigiCertError naming each field. */
  validate(op: Operation, input: unknown): Record<string, unknown> {
    const parsed = inputSchema(op).safeParse(input ?? {});
    if (parsed.success) return parsed.data as Record<string, unknown>;
    const issues = parsed.error.issues.map((i) => ({
      path: i.path.map(String).join(".") || "(input)",
      message: scrub(i.message, this.secrets),
    }));
    throw new DigiCertError({
      kind: "validation",
      operation: op.name,
      message: `invalid input: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
      issues,
    });
  }

  /** Calls one catalog operation with flat input (path params, body fields, optional account_id). */
  async call<N extends OperationName>(
    name: N,
    input?: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<CallResult<ResponseOf<OperationNamed<N>>>>;
  async call<O extends Operation>(
    op: O | string,
    input?: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<CallResult<ResponseOf<O>>>;
  async call<O extends Operation>(
    opOrName: O | string,
    input: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<CallResult<ResponseOf<O>>> {
    const op = typeof opOrName === "string" ? getOperation(opOrName) : opOrName;
    const valid = this.validate(op, input);
    const { params, body, accountId } = splitInput(op, valid);
    const keys = selectKeys(this.credentials, op.scope, op.name, accountId);
    const url = this.baseUrl + renderPath(op, params);
    const call = callSignal(this.timeouts.totalMs, options.signal);
    try {
      return (await this.send(op, url, body, keys, call.signal, options)) as CallResult<ResponseOf<O>>;
    } finally {
      call.done();
    }
  }

  /**
   * Like `call`, for callers that rely on the answer's documented form (e.g. reporting, seed S0): an answer in
   * another form is an error naming the paths that differed, since nothing typed can be made of it.
   */
  async callStrict<N extends OperationName>(
    name: N,
    input?: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<CallMeta & { data: ResponseOf<OperationNamed<N>> }>;
  async callStrict<O extends Operation>(
    op: O,
    input?: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<CallMeta & { data: ResponseOf<O> }>;
  async callStrict(
    opOrName: Operation | string,
    input: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<CallMeta & { data: unknown }> {
    const result = await this.call(opOrName, input, options);
    if (!result.drift) return result;
    const name = typeof opOrName === "string" ? opOrName : opOrName.name;
    throw new DigiCertError({
      kind: "response",
      operation: name,
      status: result.status,
      issues: result.drift.paths.map((p) => ({ path: p.split(":")[0] ?? p, message: p })),
      message: `DigiCert's answer to ${name} differs from its documented form (${driftText(result.drift)}), so it cannot be used here; ${name} shows the answer as DigiCert sent it`,
    });
  }

  private headers(keys: SelectedKeys, hasBody: boolean): Record<string, string> {
    const headers: Record<string, string> = { accept: "application/json", "user-agent": this.userAgent };
    if (hasBody) headers["content-type"] = "application/json";
    if (keys.partnerKey) headers["x-partner-apikey"] = keys.partnerKey;
    if (keys.devkey) headers["x-dc-devkey"] = keys.devkey;
    return headers;
  }

  private async send(
    op: Operation,
    url: string,
    body: Record<string, unknown> | undefined,
    keys: SelectedKeys,
    signal: CallSignal,
    options: CallOptions,
  ): Promise<CallResult> {
    const callerSignal = options.signal;
    const tell = (event: CallProgress) => {
      try {
        options.onProgress?.(event);
      } catch {
        // a failing progress sink must not fail the call
      }
    };
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = this.headers(keys, payload !== undefined);
    // for the debug lines only: parsing the URL was ~1-3 us of every call at the default level (info)
    const debug = this.logger?.isLevelEnabled("debug") === true;
    const path = debug ? new URL(url).pathname : undefined;
    // the call's deadline (callSignal): a Retry-After that ends past it is not waited for
    const deadline = performance.now() + this.timeouts.totalMs;
    let attempt = 0;
    for (;;) {
      attempt++;
      const started = performance.now();
      let status: number;
      let text: string;
      let retryAfter: string | string[] | undefined;
      try {
        const { request, dispatcher } = await this.http();
        const res = await request(url, {
          method: op.method,
          headers,
          body: payload,
          dispatcher,
          signal,
        });
        status = res.statusCode;
        retryAfter = res.headers["retry-after"];
        text = await res.body.text();
        if (options.onProgress) tell({ kind: "received", bytes: Buffer.byteLength(text), status });
      } catch (err) {
        const failure = this.networkFailure(op, err, signal, callerSignal, attempt);
        if (debug) {
          this.logger?.debug(
            { op: op.name, method: op.method, path, attempt, code: errorCode(err), ms: elapsed(started) },
            "digicert call failed",
          );
        }
        const retryable = op.idempotent ? isTransientNetwork(err) : wasNeverSent(err);
        // A per-attempt timeout (no headers / body in time) is transient too; the whole-call deadline and a
        // caller's cancellation are not.
        const transient = failure.kind === "network" || (failure.kind === "timeout" && !signal.aborted);
        if (transient && retryable && attempt <= this.retry.retries) {
          const ms = backoffDelay(this.retry, attempt - 1, this.random);
          tell({ kind: "wait", ms, attempt, reason: "backoff" });
          await this.pause(ms, signal, op, callerSignal, attempt);
          continue;
        }
        throw failure;
      }
      if (debug) {
        this.logger?.debug(
          { op: op.name, method: op.method, path, status, attempt, key: keys.label, ms: elapsed(started) },
          "digicert call",
        );
      }
      // any 2xx is success, whatever the status DigiCert documents (tolerant reader)
      if (status >= 200 && status < 300) {
        return this.answer(op, status, text, keys, attempt);
      }
      if (op.idempotent && isTransientStatus(status) && attempt <= this.retry.retries) {
        // 503 may carry Retry-After as well as 429 (RFC 9110 §10.2.3)
        const wait = status === 429 || status === 503 ? parseRetryAfter(retryAfter) : undefined;
        if (
          wait === undefined ||
          (wait <= this.retry.maxRetryAfterMs && performance.now() + wait < deadline)
        ) {
          const ms = wait ?? backoffDelay(this.retry, attempt - 1, this.random);
          tell({ kind: "wait", ms, attempt, reason: wait === undefined ? "backoff" : "retry-after", status });
          await this.pause(ms, signal, op, callerSignal, attempt);
          continue;
        }
      }
      throw this.httpFailure(op, status, text, keys, attempt, retryAfter);
    }
  }

  private async pause(
    ms: number,
    signal: CallSignal,
    op: Operation,
    callerSignal: AbortSignal | undefined,
    attempt: number,
  ): Promise<void> {
    try {
      await sleep(ms, signal);
    } catch (err) {
      throw this.networkFailure(op, err, signal, callerSignal, attempt);
    }
  }

  /** The tolerant reader: any 2xx yields data; an unexpected form is logged (paths only) and returned. */
  private answer(
    op: Operation,
    status: number,
    text: string,
    keys: SelectedKeys,
    attempts: number,
  ): CallResult {
    this.onAnswer?.(op, status, text);
    const { data, drift } = readAnswer(op, text);
    const meta = { status, attempts, keyUsed: keys.label };
    if (!drift) return { ...meta, data };
    this.logger?.warn(
      { op: op.name, status, paths: drift.paths, more: drift.more || undefined },
      `DigiCert's answer was not in the expected form: ${driftText(drift)}`,
    );
    return { ...meta, data, drift };
  }

  private networkFailure(
    op: Operation,
    err: unknown,
    signal: CallSignal,
    callerSignal: AbortSignal | undefined,
    attempts: number,
  ): DigiCertError {
    if (err instanceof DigiCertError) return err;
    const write = op.effect !== "read";
    const sent = !wasNeverSent(err);
    const unknown = write && sent;
    const check = unknown
      ? " The change may or may not have been made: read the target again before retrying."
      : "";
    if (callerSignal?.aborted) {
      return new DigiCertError({
        kind: "aborted",
        operation: op.name,
        attempts,
        outcomeUnknown: unknown,
        message: `${op.name} was cancelled.${check}`,
      });
    }
    const code = errorCode(err);
    if (signal.aborted || code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
      return new DigiCertError({
        kind: "timeout",
        operation: op.name,
        attempts,
        outcomeUnknown: unknown,
        message: `DigiCert did not answer ${op.name} in time.${check}`,
      });
    }
    return new DigiCertError({
      kind: "network",
      operation: op.name,
      attempts,
      outcomeUnknown: unknown,
      message: `could not reach DigiCert for ${op.name} (${code ?? "connection error"}).${check}`,
    });
  }

  private httpFailure(
    op: Operation,
    status: number,
    text: string,
    keys: SelectedKeys,
    attempts: number,
    retryAfter: string | string[] | undefined,
  ): DigiCertError {
    const parsed = parseErrorBody(text);
    const apiMessage = parsed.message ? scrub(parsed.message, this.secrets) : undefined;
    const hint = hintFor(op, status, keys, retryAfter, isApiErrorBody(text));
    const write = op.effect !== "read";
    // A gateway error on a write does not say whether DigiCert applied it.
    const unknown = write && (status === 502 || status === 504 || status === 500 || status === 503);
    return new DigiCertError({
      kind: "http",
      operation: op.name,
      status,
      code: parsed.code,
      apiMessage,
      hint,
      attempts,
      outcomeUnknown: unknown,
      message:
        `DigiCert answered ${status}${parsed.code ? ` ${parsed.code}` : ""} to ${op.name}` +
        (apiMessage ? `: ${apiMessage}` : "") +
        (hint ? `. ${hint}` : "") +
        (unknown ? ". The change may or may not have been made: read the target again before retrying." : ""),
    });
  }

  /** Deep copy of a value with every configured key replaced, for anything that leaves the process. */
  scrub<T>(value: T): T {
    return scrubDeep(value, this.secrets);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.ownsDispatcher && this.dispatcher) await this.dispatcher.close();
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

function hintFor(
  op: Operation,
  status: number,
  keys: SelectedKeys,
  retryAfter: string | string[] | undefined,
  /** the body reads like an API error (isApiErrorBody), not a web server's or proxy's page */
  fromDigiCert: boolean,
): string | undefined {
  switch (status) {
    case 401:
      return `the ${keys.label} was not accepted (unknown or inactive key): check the configured key`;
    case 403:
      if (op.scope === "parent")
        return `this operation needs the parent-account key (DIGICERT_PARTNER_API_KEY); used: ${keys.label}`;
      if (op.scope === "subaccount") {
        return `this operation needs the key of the subaccount that owns the contract: set DIGICERT_SUBACCOUNT_API_KEY or pass account_id of a subaccount in DIGICERT_SUBACCOUNT_API_KEYS; used: ${keys.label}`;
      }
      return `the ${keys.label} may not act on this resource (it belongs to another account)`;
    case 404:
      return fromDigiCert
        ? "no such resource for this key: check the id"
        : "not DigiCert's error: the path or DIGICERT_BASE_URL may be wrong";
    case 429: {
      const ms = parseRetryAfter(retryAfter);
      return `rate limited by DigiCert${ms !== undefined ? `; retry after ${Math.ceil(ms / 1000)} s` : ""}`;
    }
    default:
      return status >= 500 ? "DigiCert had a server error; try again later" : undefined;
  }
}
