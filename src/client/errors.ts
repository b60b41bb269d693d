/** Why a call failed, so callers (and agents) can decide what to do without parsing messages. */
export type ErrorKind =
  | "config" // no key configured for what the operation needs; nothing was sent
  | "validation" // the input broke a schema rule; nothing was sent
  | "http" // DigiCert answered with an error status
  | "network" // connection failed or was dropped
  | "timeout" // no answer in time
  | "aborted" // the caller cancelled
  | "response"; // DigiCert answered 2xx with a body we could not read

export interface DigiCertErrorInit {
  kind: ErrorKind;
  operation: string;
  message: string;
  status?: number;
  code?: string;
  apiMessage?: string;
  hint?: string;
  /** a write whose request may have reached DigiCert: it may or may not have happened */
  outcomeUnknown?: boolean;
  attempts?: number;
  issues?: { path: string; message: string }[];
}

/** The one error type the client throws. Its text never contains an API key. */
export class DigiCertError extends Error {
  readonly kind: ErrorKind;
  readonly operation: string;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly apiMessage: string | undefined;
  readonly hint: string | undefined;
  readonly outcomeUnknown: boolean;
  readonly attempts: number;
  readonly issues: { path: string; message: string }[];

  constructor(init: DigiCertErrorInit) {
    super(init.message);
    this.name = "DigiCertError";
    this.kind = init.kind;
    this.operation = init.operation;
    this.status = init.status;
    this.code = init.code;
    this.apiMessage = init.apiMessage;
    this.hint = init.hint;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
    this.attempts = init.attempts ?? 0;
    this.issues = init.issues ?? [];
  }

  toJSON(): Record<string, unknown> {
    return {
      kind: this.kind,
      operation: this.operation,
      message: this.message,
      status: this.status,
      code: this.code,
      hint: this.hint,
      outcome_unknown: this.outcomeUnknown || undefined,
    };
  }
}

/**
 * Reads DigiCert's error body. CertCentral's documented envelope `{"errors":[{"code","message"}]}` comes first
 * (the Partner API's own shape is undocumented); DigiCert ONE's `{"error":{code,message}}`, a bare
 * `{code, message}` / `description` and plain text are accepted too. Several errors are joined, so every field
 * DigiCert refused reaches the agent.
 */
export function parseErrorBody(text: string): { code?: string; message?: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const trimmed = text.trim().slice(0, 300);
    return trimmed ? { message: trimmed } : {};
  }
  if (!body || typeof body !== "object") return {};
  const record = body as Record<string, unknown>;
  const items: unknown[] = Array.isArray(record.errors)
    ? record.errors.slice(0, 5)
    : [record.error ?? record];
  const read = items.map((item) => readItem(item)).filter((i) => i.code || i.message);
  const code = read.find((i) => i.code)?.code;
  const messages = [...new Set(read.map((i) => i.message).filter((m): m is string => Boolean(m)))];
  const message = messages.length ? messages.join("; ").slice(0, 500) : undefined;
  return { code, message };
}

function readItem(item: unknown): { code?: string; message?: string } {
  if (typeof item === "string") return { message: item };
  if (!item || typeof item !== "object") return {};
  const source = item as Record<string, unknown>;
  const code = typeof source.code === "string" ? source.code : undefined;
  const message =
    typeof source.message === "string"
      ? source.message
      : typeof source.description === "string"
        ? source.description
        : undefined;
  return { code, message };
}

/**
 * Whether an error body reads like an API's error (JSON with `errors`, `error`, `code` or `message`), not a
 * web server's or proxy's page (HTML, plain text, empty). The Partner API's error shape is undocumented, so any
 * of the shapes parseErrorBody reads counts.
 */
export function isApiErrorBody(text: string): boolean {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return false;
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) return false;
  return ["errors", "error", "code", "message"].some((k) => k in body);
}
