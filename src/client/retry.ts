export interface RetryPolicy {
  /** retries after the first attempt */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** a Retry-After (429, 503) longer than this, or ending past the call's deadline, is not waited for: the call fails */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  retries: 3,
  baseDelayMs: 200,
  maxDelayMs: 4_000,
  maxRetryAfterMs: 20_000,
};

const TRANSIENT_STATUS = new Set([429, 502, 503, 504]);

/** Errors thrown before a single byte of the request left the machine: safe to retry even a create. */
const NEVER_SENT = new Set(["ECONNREFUSED", "UND_ERR_CONNECT_TIMEOUT", "ENOTFOUND", "EAI_AGAIN"]);

/** Errors where the request may have been sent and the answer lost. */
const TRANSIENT_NETWORK = new Set([
  "ECONNRESET",
  "EPIPE",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "ETIMEDOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

export function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e && typeof e === "object"; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function wasNeverSent(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && NEVER_SENT.has(code);
}

export function isTransientNetwork(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && (NEVER_SENT.has(code) || TRANSIENT_NETWORK.has(code));
}

export function isTransientStatus(status: number): boolean {
  return TRANSIENT_STATUS.has(status);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff with full jitter, so many clients do not retry in step. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** A signal sleep can wait on: an AbortSignal, or an EventEmitter shaped like one (the client's CallSignal). */
export type SleepSignal =
  | AbortSignal
  | {
      readonly aborted: boolean;
      readonly reason: unknown;
      once(event: "abort", listener: () => void): unknown;
      removeListener(event: "abort", listener: () => void): unknown;
    };

export function sleep(ms: number, signal?: SleepSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      stop();
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    let stop = () => {};
    if (signal && "addEventListener" in signal) {
      signal.addEventListener("abort", onAbort, { once: true });
      stop = () => signal.removeEventListener("abort", onAbort);
    } else if (signal) {
      signal.once("abort", onAbort);
      stop = () => signal.removeListener("abort", onAbort);
    }
  });
}
