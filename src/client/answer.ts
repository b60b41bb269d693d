import { z } from "zod";
import type { Operation } from "../operations/index.js";
import { isReporting, reporting } from "../schemas/entities.js";

/**
 * How a 2xx answer differed from what the catalog expects. Only paths and what was wrong there (`missing`,
 * `not a string`, `not expected`): never a value, since the answer may carry a key DigiCert shows once.
 */
export interface Drift {
  /** e.g. "eab_set: missing", "api_key: not a string", "key: not expected"; at most MAX_PATHS */
  paths: string[];
  /** how many more paths there were beyond `paths` */
  more: number;
}

/** What the tolerant reader made of a 2xx answer. */
export interface Answer {
  /** the parsed answer when it had the expected form, else the answer as DigiCert sent it */
  data: unknown;
  /** set when the answer was not in the expected form; `data` is then DigiCert's answer, untyped */
  drift?: Drift;
}

const MAX_PATHS = 8;
/** A non-JSON 2xx body is kept as text up to this (it may be the only copy of a once-shown key). */
const MAX_TEXT = 20_000;

type Json = Record<string, unknown>;

/**
 * Hand-written checks for answers large enough that zod's parse (a full copy) dominates the call: when one says
 * yes, the answer is used as parsed; when it says no, zod runs as for any other answer and names what differed.
 */
const FAST_CHECKS = new Map<z.ZodType, (value: unknown) => boolean>([[reporting, isReporting]]);
const jsonSchemas = new WeakMap<z.ZodType, Json>();

function jsonSchemaOf(schema: z.ZodType): Json {
  let json = jsonSchemas.get(schema);
  if (!json) {
    json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Json;
    jsonSchemas.set(schema, json);
  }
  return json;
}

/**
 * A key of DigiCert's answer as it may appear in a path: a field-like name, or `<key>` for anything else (an
 * object keyed by a secret or an id must not carry it into a log line).
 */
function segment(key: string): string {
  if (fieldNames.has(key)) return key;
  if (!/^[A-Za-z_][A-Za-z0-9_-]{0,39}$/.test(key) || /\d.*\d.*\d.*\d/.test(key)) return "<key>";
  // only names that paths show as they are are kept (never what becomes <key>), and only so many
  if (fieldNames.size >= MAX_FIELD_NAMES) fieldNames.clear();
  fieldNames.add(key);
  return key;
}

/**
 * Field names seen lately, which paths show as they are: the same ones come back in every answer, and were two
 * regular expressions each (readAnswer of one get_acme_contract answer: 3.39 -> 2.70 us in-process).
 */
const fieldNames = new Set<string>();
const MAX_FIELD_NAMES = 2_000;

function join(path: string, key: PropertyKey): string {
  if (typeof key === "number") return `${path}[]`;
  const s = segment(String(key));
  return path ? `${path}.${s}` : s;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "number" && Number.isInteger(value) ? "integer" : typeof value;
}

function accepts(schema: Json, value: unknown): boolean {
  const type = schema.type;
  if (type === undefined) return true;
  const types = Array.isArray(type) ? type : [type];
  const actual = typeName(value);
  return types.includes(actual) || (actual === "integer" && types.includes("number"));
}

/** The branch of an anyOf that fits the value's type, for looking further down. */
function branchFor(schema: Json, value: unknown): Json {
  const anyOf = schema.anyOf ?? schema.oneOf;
  if (!Array.isArray(anyOf)) return schema;
  return (anyOf as Json[]).find((b) => accepts(b, value) && b.type !== "null") ?? schema;
}

interface Comparison {
  /** fields of the answer the expected shape does not name: a renamed field shows here */
  extra: Set<string>;
  /** optional fields of the expected shape the answer lacks */
  absent: Set<string>;
  /** set by answerShape: every path of the answer, recorded as the walk passes it */
  paths?: Map<string, PathRecord>;
  /** set by answerShape: the absent fields the expected shape requires */
  required?: Set<string>;
}

/** How a path of the answer stands against the expected shape (see ShapePath). */
type Standing = "expected" | "extra" | "unchecked";

interface PathRecord {
  types: Set<string>;
  standing: Standing;
  /** some value here had a type the expected shape does not allow */
  otherType: boolean;
  items: Set<string>;
}

/** Whether the value has a type the schema (or one of its anyOf branches) allows. */
function fits(schema: Json, value: unknown): boolean {
  const anyOf = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(anyOf)) return (anyOf as Json[]).some((b) => fits(b, value));
  return accepts(schema, value);
}

/** List lengths in buckets: how big a list is says something about its form, its exact length about the account. */
export function lengthBucket(n: number): string {
  const bucket = LENGTH_BUCKETS.find(([top]) => n <= top);
  return bucket ? bucket[1] : ">1000";
}

const LENGTH_BUCKETS: [number, string][] = [
  [0, "0"],
  [1, "1"],
  [5, "2-5"],
  [20, "6-20"],
  [100, "21-100"],
  [1000, "101-1000"],
];

const MAX_SHAPE_PATHS = 300;

function record(out: Comparison, path: string, value: unknown, schema: Json | undefined, standing: Standing) {
  const paths = out.paths;
  if (!paths) return;
  let at = paths.get(path);
  if (!at) {
    if (paths.size >= MAX_SHAPE_PATHS) return;
    at = { types: new Set(), standing, otherType: false, items: new Set() };
    paths.set(path, at);
  }
  at.types.add(typeName(value));
  if (schema && !fits(schema, value)) at.otherType = true;
  if (Array.isArray(value)) at.items.add(lengthBucket(value.length));
}

/**
 * The one walk of an answer against the expected JSON Schema: collects unexpected and absent fields (the
 * tolerant reader) and, for answerShape, every path with its types. `schema` is undefined below a field the
 * expected shape does not name (`extra`) or whose contents it does not describe (`unchecked`).
 */
function compare(
  schema: Json | undefined,
  value: unknown,
  path: string,
  out: Comparison,
  depth = 0,
  standing: Standing = "expected",
): void {
  record(out, path, value, schema, standing);
  if (depth > 8 || value === null || typeof value !== "object") return;
  const node = schema && branchFor(schema, value);
  const below: Standing = standing === "extra" ? "extra" : "unchecked";
  if (Array.isArray(value)) {
    const items = node?.items && typeof node.items === "object" ? (node.items as Json) : undefined;
    if (!items && !out.paths) return;
    for (const item of value.slice(0, 50)) {
      compare(items, item, `${path}[]`, out, depth + 1, items ? standing : below);
    }
    return;
  }
  const props = node?.properties as Record<string, Json> | undefined;
  if (!props && !out.paths) return;
  const fields = value as Json;
  for (const [key, child] of Object.entries(fields)) {
    const expected = props?.[key];
    if (expected) compare(expected, child, join(path, key), out, depth + 1, standing);
    else {
      if (props) out.extra.add(`${join(path, key)}: not expected`);
      if (out.paths) compare(undefined, child, join(path, key), out, depth + 1, props ? "extra" : below);
    }
  }
  if (!props) return;
  const required = Array.isArray(node?.required) ? (node.required as string[]) : [];
  for (const key of Object.keys(props)) {
    if (key in fields) continue;
    out.absent.add(`${join(path, key)}: missing`);
    if (required.includes(key)) out.required?.add(join(path, key));
  }
}

function issueText(issue: z.core.$ZodIssue, body: unknown): string {
  const path = issue.path.reduce<string>((p, k) => join(p, k), "") || "(answer)";
  let at: unknown = body;
  for (const k of issue.path) at = at && typeof at === "object" ? (at as Json)[String(k)] : undefined;
  if (at === undefined) return `${path}: missing`;
  if (issue.code === "invalid_type") return `${path}: not ${article(issue.expected)}`;
  return `${path}: not in the expected form`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function drift(paths: Iterable<string>): Drift {
  const unique = [...new Set(paths)];
  return { paths: unique.slice(0, MAX_PATHS), more: Math.max(0, unique.length - MAX_PATHS) };
}

/**
 * The tolerant reader at the edge: a 2xx answer always yields data. When it has the form the catalog expects
 * (`op.response`), the parsed value; otherwise DigiCert's answer as sent, with the paths that differed. Only a
 * non-2xx status is an error, so a write DigiCert completed is never reported as failed.
 */
export function readAnswer(op: Operation, text: string): Answer {
  const body = text.trim();
  const schema = op.response;
  if (body === "") {
    if (!schema) return { data: undefined };
    const empty = schema.safeParse(undefined);
    return empty.success ? { data: empty.data } : { data: undefined, drift: drift(["(answer): empty"]) };
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { data: { text: body.slice(0, MAX_TEXT) }, drift: drift(["(answer): not JSON"]) };
  }
  if (!schema) return { data: json, drift: drift(["(answer): a body where none was expected"]) };
  const seen: Comparison = { extra: new Set(), absent: new Set() };
  compare(jsonSchemaOf(schema), json, "", seen);
  const unexpected = [...seen.extra];
  const parsed = FAST_CHECKS.get(schema)?.(json)
    ? ({ success: true, data: json } as const)
    : schema.safeParse(json);
  if (parsed.success) {
    // Extra fields alone are DigiCert adding something: fine. Extra fields where expected ones are absent are
    // an answer in another form (often the same field renamed), even when every expected field is optional.
    if (unexpected.length === 0 || seen.absent.size === 0) return { data: parsed.data };
    return { data: json, drift: mixed([...seen.absent], unexpected) };
  }
  return {
    data: json,
    drift: mixed(
      parsed.error.issues.map((issue) => issueText(issue, json)),
      unexpected,
    ),
  };
}

/** Both kinds in the first lines: an unexpected field next to a missing one is often the same field renamed. */
function mixed(wrong: string[], unexpected: string[]): Drift {
  return drift([...wrong.slice(0, 5), ...unexpected.slice(0, 3), ...wrong.slice(5), ...unexpected.slice(3)]);
}

/** "eab_set: missing, key: not expected (and 2 more)": a drift in one line, for logs and warnings. */
export function driftText(d: Drift): string {
  return d.paths.join(", ") + (d.more ? ` (and ${d.more} more)` : "");
}

/**
 * One path of an answer as the shape report shows it. `match`: a field the code expects, of a type it allows;
 * `other type`: expected, but of another type; `extra`: a field the code does not expect (and all below it);
 * `missing`: required but in no item of the answer; `absent`: optional and in no item; `unchecked`: inside a
 * field whose contents the code takes as they come (e.g. `eab_set`).
 */
export interface ShapePath {
  /** e.g. "api_keys[].status"; "(answer)" for the whole answer; a key not shaped like a field name is `<key>` */
  path: string;
  /** JSON types seen there: object, array, string, integer, number, boolean, null */
  types: string[];
  status: "match" | "other type" | "extra" | "missing" | "absent" | "unchecked";
  /** for lists: their lengths, bucketed ("0", "1", "2-5", "6-20", "21-100", "101-1000", ">1000") */
  items?: string[];
}

/** The redacted shape of one answer: field paths, JSON types and bucketed list lengths; never a value. */
export interface AnswerShape {
  body: "json" | "empty" | "not JSON";
  paths: ShapePath[];
}

/**
 * The shape of an answer compared with what the catalog expects of `op`, by the same walk as readAnswer. Only
 * paths (keys shaped like field names), JSON types and list-length buckets: nothing of the values.
 */
export function answerShape(op: Operation, text: string): AnswerShape {
  const body = text.trim();
  if (body === "") return { body: "empty", paths: [] };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { body: "not JSON", paths: [] };
  }
  const seen: Comparison = { extra: new Set(), absent: new Set(), paths: new Map(), required: new Set() };
  if (op.response) compare(jsonSchemaOf(op.response), json, "", seen);
  else compare(undefined, json, "", seen, 0, "extra");
  const paths: ShapePath[] = [];
  for (const [path, at] of seen.paths ?? []) {
    const status =
      at.standing !== "expected" ? at.standing : at.otherType ? "other type" : ("match" as const);
    const entry: ShapePath = { path: path || "(answer)", types: [...at.types].sort(), status };
    if (at.items.size) entry.items = [...at.items];
    paths.push(entry);
  }
  for (const absent of seen.absent) {
    const path = absent.slice(0, absent.lastIndexOf(": missing"));
    if (seen.paths?.has(path)) continue;
    paths.push({ path, types: [], status: seen.required?.has(path) ? "missing" : "absent" });
  }
  return { body: "json", paths };
}
