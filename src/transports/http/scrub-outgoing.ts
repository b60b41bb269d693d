import { scrubDeep } from "../../client/redact.js";
import type { StreamableHTTPServerTransport } from "../../sdk/http.js";
import type { JSONRPCMessage } from "../../sdk/server.js";

/**
 * Scrubs the bearer token a session authenticated with from everything sent back on it: an agent that pastes
 * its token into a tool argument must not find it echoed in an error (and so in its transcript). Only messages
 * that contain it are copied.
 */
export function scrubOutgoing(transport: StreamableHTTPServerTransport, bearer: string): void {
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
