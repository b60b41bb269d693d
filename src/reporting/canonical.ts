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
  return canonicalOrder([...keys]);
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

/** `keys` in the order canonicalize gives them: index-like keys first, numerically, then the rest sorted. */
function canonicalOrder(keys: string[]): string[] {
  const indexes = keys.filter(isIndexKey).sort((a, b) => Number(a) - Number(b));
  const names = keys.filter((k) => !isIndexKey(k)).sort();
  return [...indexes, ...names];
}

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isText = (v: unknown): v is string => typeof v === "string";

function ownKeyCount(v: object): number {
  let n = 0;
  for (const key in v) if (Object.hasOwn(v, key)) n++;
  return n;
}

/**
 * Canonical text of a contract in exactly its documented form (the seven fields, of their documented types), by
 * template: several times faster than the general writer, and the same text (keys in sorted order: account_id,
 * acme_contract_id, created_at, date_canceled, product_name_id, sans, valid_till). Undefined for anything else.
 */
function documentedContractText(c: Record<string, unknown>): string | undefined {
  const sans = c.sans;
  if (
    !isNumber(c.account_id) ||
    !isNumber(c.acme_contract_id) ||
    !isText(c.created_at) ||
    !(c.date_canceled === null || isText(c.date_canceled)) ||
    !isText(c.product_name_id) ||
    !Array.isArray(sans) ||
    !isText(c.valid_till) ||
    ownKeyCount(c) !== 7 ||
    !Object.hasOwn(c, "account_id") ||
    !Object.hasOwn(c, "acme_contract_id") ||
    !Object.hasOwn(c, "created_at") ||
    !Object.hasOwn(c, "date_canceled") ||
    !Object.hasOwn(c, "product_name_id") ||
    !Object.hasOwn(c, "sans") ||
    !Object.hasOwn(c, "valid_till")
  ) {
    return undefined;
  }
  for (const san of sans) if (!isText(san)) return undefined;
  // JSON.stringify of a finite number is String(number); of a string or a list of strings, canonical already
  return `{"account_id":${String(c.account_id)},"acme_contract_id":${String(c.acme_contract_id)},"created_at":${JSON.stringify(c.created_at)},"date_canceled":${c.date_canceled === null ? "null" : JSON.stringify(c.date_canceled)},"product_name_id":${JSON.stringify(c.product_name_id)},"sans":${JSON.stringify(sans)},"valid_till":${JSON.stringify(c.valid_till)}}`;
}

/** Canonical text of one subaccount of a report, a contract at a time. */
function* accountPieces(account: unknown): Generator<string> {
  const a = account as Record<string, unknown>;
  const acme = a?.acme;
  if (
    a === null ||
    typeof a !== "object" ||
    Array.isArray(a) ||
    !isNumber(a.account_id) ||
    !Array.isArray(acme) ||
    ownKeyCount(a) !== 2 ||
    !Object.hasOwn(a, "account_id") ||
    !Object.hasOwn(a, "acme")
  ) {
    yield canonicalText(account) ?? "null";
    return;
  }
  yield `{"account_id":${String(a.account_id)},"acme":[`;
  for (let i = 0; i < acme.length; i++) {
    const c = acme[i];
    const text =
      (c !== null && typeof c === "object" && !Array.isArray(c)
        ? documentedContractText(c as Record<string, unknown>)
        : undefined) ?? canonicalText(c);
    yield i > 0 ? `,${text}` : text;
  }
  yield "]}";
}

/**
 * canonicalText(report) in pieces, without the whole text ever existing: the report's `accounts` are written a
 * subaccount at a time, contracts in their documented form by template, anything else by canonicalText (an
 * object's canonical text depends on its own keys only, so each part can be written on its own). Joined, the
 * pieces are canonicalText(report), byte for byte.
 */
export function* canonicalReportPieces(report: unknown): Generator<string> {
  if (report === null || typeof report !== "object" || Array.isArray(report)) {
    yield canonicalText(report);
    return;
  }
  const record = report as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.some((k) => k in Object.prototype)) {
    yield canonicalText(report);
    return;
  }
  let first = true;
  for (const key of canonicalOrder(keys)) {
    const member = record[key];
    if (member === undefined || typeof member === "function" || typeof member === "symbol") continue;
    yield `${first ? "{" : ","}${JSON.stringify(key)}:`;
    first = false;
    if (key !== "accounts" || !Array.isArray(member)) {
      yield canonicalText(member);
      continue;
    }
    yield "[";
    for (let i = 0; i < member.length; i++) {
      if (i > 0) yield ",";
      const account = member[i];
      if (account === undefined || typeof account === "function" || typeof account === "symbol") yield "null";
      else yield* accountPieces(account);
    }
    yield "]";
  }
  yield first ? "{}" : "}";
}
