import { createHash } from "node:crypto";

/**
 * A copy of `value` whose objects have their keys in sorted order (members that JSON drops are dropped), so
 * JSON.stringify of it is canonical: the same content always gives the same text, whatever order DigiCert
 * sent the keys in. (Integer-like keys come first in any JS object; still deterministic, which is what the
 * hash needs.) Building a sorted copy and letting the native JSON.stringify do the writing is several times
 * faster than writing the text by hand.
 */
export function canonicalize(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = canonicalize(value[i]);
    return out;
  }
  const record = value as Record<string, unknown>;
  const keys = sortedKeys(record);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const member = record[key];
    if (member === undefined || typeof member === "function" || typeof member === "symbol") continue;
    out[key] = canonicalize(member);
  }
  return out;
}

/** Sorted key lists by object shape: a report repeats one shape 100,000 times, so sort each shape once. */
const shapes = new Map<string, string[]>();
const MAX_SHAPES = 1000;

function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  let inOrder = true;
  for (let i = 1; i < keys.length; i++) {
    if ((keys[i - 1] as string) > (keys[i] as string)) {
      inOrder = false;
      break;
    }
  }
  if (inOrder) return keys;
  const shape = keys.join("\u0000");
  let sorted = shapes.get(shape);
  if (!sorted) {
    sorted = keys.sort();
    if (shapes.size < MAX_SHAPES) shapes.set(shape, sorted);
  }
  return sorted;
}

/** Canonical JSON text: sorted keys at every depth, no whitespace. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value)) ?? "null";
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
