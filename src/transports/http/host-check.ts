import type { HttpConfig } from "../../config/index.js";

const LOOPBACK = ["localhost", "127.0.0.1", "[::1]"];

function splitHost(value: string): { name: string; port: string | undefined } {
  const v = value.toLowerCase();
  if (v.startsWith("[")) {
    const end = v.indexOf("]");
    const rest = v.slice(end + 1);
    return { name: v.slice(0, end + 1), port: rest.startsWith(":") ? rest.slice(1) : undefined };
  }
  const colon = v.lastIndexOf(":");
  return colon === -1 ? { name: v, port: undefined } : { name: v.slice(0, colon), port: v.slice(colon + 1) };
}

/** Whether a Host header names an allowed host (an entry without a port allows any port). */
export function hostAllowed(header: string | undefined, allowed: readonly string[]): boolean {
  if (!header) return false;
  const got = splitHost(header);
  return allowed.some((entry) => {
    const want = splitHost(entry);
    return want.name === got.name && (want.port === undefined || want.port === got.port);
  });
}

/** The Host and Origin allow-lists: the configured ones, or loopback on the port listened on. */
export function allowLists(
  config: HttpConfig,
  port: number,
): { allowedHosts: string[]; allowedOrigins: Set<string> } {
  const allowedHosts = config.allowedHosts ?? LOOPBACK.map((h) => `${h}:${port}`);
  const origins = config.allowedOrigins ?? LOOPBACK.map((h) => `http://${h}:${port}`);
  return { allowedHosts, allowedOrigins: new Set(origins.map((o) => o.toLowerCase())) };
}
