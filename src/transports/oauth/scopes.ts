import { OPERATIONS } from "../../operations/index.js";

/** Read tools, resources and prompts. */
export const READ_SCOPE = "digicert:read";
/** Also write and destructive tools (still behind confirmation); implies read. */
export const WRITE_SCOPE = "digicert:write";
export const SCOPES_SUPPORTED = [READ_SCOPE, WRITE_SCOPE] as const;

/** Catalog tools that change something. Tools outside the catalog (reporting) only read. */
const CHANGING_TOOLS: ReadonlySet<string> = new Set(
  OPERATIONS.filter((op) => op.effect !== "read").map((op) => op.name),
);

/**
 * The scopes a token carries: `scope` (RFC 9068, space-separated), or `scp` (Entra ID: a string; some servers: an
 * array). Anything else counts as none.
 */
export function scopesOf(claims: Record<string, unknown>): string[] {
  for (const value of [claims.scope, claims.scp]) {
    if (typeof value === "string") return value.split(" ").filter(Boolean);
    if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  }
  return [];
}

export function mayRead(scopes: readonly string[]): boolean {
  return scopes.includes(READ_SCOPE) || scopes.includes(WRITE_SCOPE);
}

export function mayWrite(scopes: readonly string[]): boolean {
  return scopes.includes(WRITE_SCOPE);
}

/**
 * Whether a JSON-RPC body (one message or a batch) calls a tool that changes something: those calls need
 * WRITE_SCOPE. Looked at before MCP sees the body, so the client can be told to step up with a 403.
 */
export function callsChangingTool(body: unknown): boolean {
  const messages = Array.isArray(body) ? body : [body];
  return messages.some((m) => {
    if (typeof m !== "object" || m === null) return false;
    const { method, params } = m as { method?: unknown; params?: { name?: unknown } };
    return method === "tools/call" && typeof params?.name === "string" && CHANGING_TOOLS.has(params.name);
  });
}
