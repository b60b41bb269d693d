import { createHash } from "node:crypto";

/** JSON with object keys sorted at every level and undefined members dropped: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/**
 * SHA-256 of the canonical JSON of a value, base64url, cut to 128 bits: it only has to tell previews apart
 * (collision resistance of 2^64 is ample), and it is carried inside tokens the agent repeats.
 */
export function hashOf(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest().subarray(0, 16).toString("base64url");
}
