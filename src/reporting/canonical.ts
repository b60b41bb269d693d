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

/** An array index as an object key (such keys come first, in numeric order, in any JS object). */
const INDEX_KEY = /^(?:0|[1-9]\d*)$/;
const isIndexKey = (k: string) => INDEX_KEY.test(k) && Number(k) < 2 ** 32 - 1;

/**
 * Every key of every object in `value`, in the order canonicalize would give them (index-like keys first,
 * numerically, then the rest sorted); undefined when a key would also be found on Object.prototype (a
 * JSON.stringify property list looks keys up through the prototype, so such a key could leak into objects that
 * lack it).
 */
export function canonicalKeyList(value: unknown): string[] | undefined {
  const keys = new Set<string>();
  const walk = (v: unknown): boolean => {
    if (v === null || typeof v !== "object") return true;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (!walk(v[i])) return false;
      return true;
    }
    for (const key in v) {
      if (!Object.hasOwn(v, key)) continue;
      if (!keys.has(key)) {
        if (key in Object.prototype) return false;
        keys.add(key);
      }
      if (!walk((v as Record<string, unknown>)[key])) return false;
    }
    return true;
  };
  if (!walk(value)) return undefined;
  const all = [...keys];
  const indexes = all.filter(isIndexKey).sort((a, b) => Number(a) - Number(b));
  const names = all.filter((k) => !isIndexKey(k)).sort();
  return [...indexes, ...names];
}

/**
 * canonicalJson(value) without building canonicalize's sorted copy: JSON.stringify with a property list writes
 * every object's keys in the list's order, which canonicalKeyList makes the canonical one. Same text, byte for
 * byte (test/reporting/summary.test.ts), with no second object tree.
 */
export function canonicalText(value: unknown): string {
  const list = canonicalKeyList(value);
  return (list ? JSON.stringify(value, list) : JSON.stringify(canonicalize(value))) ?? "null";
}

/**
 * canonicalText(value) in pieces, without the whole text ever existing: an object's top-level array members
 * (a report's `accounts`) are written one element at a time. Joined, the pieces are canonicalText(value).
 */
export function* canonicalPieces(value: unknown): Generator<string> {
  const list = canonicalKeyList(value);
  if (!list || value === null || typeof value !== "object" || Array.isArray(value)) {
    yield canonicalText(value);
    return;
  }
  const record = value as Record<string, unknown>;
  let first = true;
  for (const key of list) {
    if (!Object.hasOwn(record, key)) continue;
    const member = record[key];
    if (member === undefined || typeof member === "function" || typeof member === "symbol") continue;
    yield `${first ? "{" : ","}${JSON.stringify(key)}:`;
    first = false;
    if (!Array.isArray(member)) {
      yield JSON.stringify(member, list) ?? "null";
      continue;
    }
    yield "[";
    for (let i = 0; i < member.length; i++) {
      yield `${i > 0 ? "," : ""}${JSON.stringify(member[i], list) ?? "null"}`;
    }
    yield "]";
  }
  yield first ? "{}" : "}";
}
