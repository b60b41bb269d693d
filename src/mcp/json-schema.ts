import { z } from "zod";

type JsonObject = { [key: string]: unknown };

const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Keywords that cost tokens in every tools/list but tell an agent little: the server validates every rule
 * anyway and names the field and the rule when one is broken. Types, required fields, enums, formats,
 * item limits and descriptions stay.
 */
function strip(node: JsonObject, root: boolean): void {
  delete node.$schema;
  // short patterns say something at a glance (e.g. two-letter country); long ones are only noise
  if (typeof node.pattern === "string" && node.pattern.length > 16) delete node.pattern;
  delete node.minLength;
  delete node.maxLength;
  if (node.maximum === SAFE) delete node.maximum;
  if (node.minimum === -SAFE) delete node.minimum;
  // ids are "positive integers"; the type says integer and the error message says positive
  if (node.exclusiveMinimum === 0) delete node.exclusiveMinimum;
  // `additionalProperties: false` matters at the top (agents must not invent arguments); nested it is noise
  if (!root && node.additionalProperties === false) delete node.additionalProperties;
  if (
    node.additionalProperties !== undefined &&
    typeof node.additionalProperties === "object" &&
    node.additionalProperties !== null &&
    Object.keys(node.additionalProperties).length === 0
  ) {
    delete node.additionalProperties;
  }
}

function walk(node: unknown, depth: number, maxObjectDepth: number, dropNestedRequired: boolean): unknown {
  if (Array.isArray(node)) return node.map((n) => walk(n, depth, maxObjectDepth, dropNestedRequired));
  if (!node || typeof node !== "object") return node;
  const obj = { ...(node as JsonObject) };
  strip(obj, depth === 0);
  const isObject = obj.type === "object" || (Array.isArray(obj.type) && obj.type.includes("object"));
  if (isObject && depth >= maxObjectDepth) {
    // below the depth limit an object is only "an object": its fields are in the text and the data itself
    delete obj.properties;
    delete obj.required;
    delete obj.additionalProperties;
    return obj;
  }
  if (dropNestedRequired && depth > 0) delete obj.required;
  for (const key of ["properties", "$defs", "definitions"]) {
    const props = obj[key];
    if (props && typeof props === "object") {
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(props as JsonObject)) {
        out[k] = walk(v, depth + 1, maxObjectDepth, dropNestedRequired);
      }
      obj[key] = out;
    }
  }
  for (const key of ["items", "anyOf", "oneOf", "allOf", "not"]) {
    if (obj[key] !== undefined) obj[key] = walk(obj[key], depth, maxObjectDepth, dropNestedRequired);
  }
  return typeUnion(obj);
}

/**
 * `{"anyOf": [{"type": "object"}, {"type": "null"}]}` (a nullable object cut to "object" above) is
 * `{"type": ["object", "null"]}` in fewer tokens: the same schema, when every branch is a bare type.
 */
function typeUnion(obj: JsonObject): JsonObject {
  const branches = obj.anyOf;
  if (obj.type !== undefined || !Array.isArray(branches) || branches.length < 2) return obj;
  const types: unknown[] = [];
  for (const b of branches) {
    const keys = b && typeof b === "object" ? Object.keys(b) : [];
    if (keys.length !== 1 || keys[0] !== "type" || typeof (b as JsonObject).type !== "string") return obj;
    types.push((b as JsonObject).type);
  }
  const { anyOf: _, ...rest } = obj;
  return { ...rest, type: types };
}

/**
 * Replaces the second and later copies of an identical object schema (e.g. the contact inside an organization,
 * used for organization_contact, technical_contact and verified_contacts) with a pointer in words. Plain
 * `$ref`/`definitions` would be shorter still, but several MCP clients do not resolve references in tool
 * schemas. The server validates the full schema either way.
 */
function dedupeObjects(node: unknown, path: string, seen: Map<string, string>): unknown {
  if (Array.isArray(node)) return node.map((n) => dedupeObjects(n, path, seen));
  if (!node || typeof node !== "object") return node;
  const obj = node as JsonObject;
  if (obj.type === "object" && obj.properties && path !== "") {
    const key = JSON.stringify({ ...obj, description: undefined });
    const first = seen.get(key);
    if (first) {
      const note = `same fields as ${first}`;
      return { type: "object", description: obj.description ? `${obj.description}; ${note}` : note };
    }
    seen.set(key, path);
  }
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === "properties" && v && typeof v === "object") {
      const props: JsonObject = {};
      for (const [name, child] of Object.entries(v as JsonObject)) {
        props[name] = dedupeObjects(child, path ? `${path}.${name}` : name, seen);
      }
      out[k] = props;
    } else if (k === "items") {
      out[k] = dedupeObjects(v, `${path}[]`, seen);
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** JSON Schema of a tool input: full structure, minus the noise listed in `strip`, repeated objects named once. */
export function compactInputJsonSchema(schema: z.ZodType): JsonObject {
  const json = z.toJSONSchema(schema, { io: "input", target: "draft-7", unrepresentable: "any" });
  return dedupeObjects(walk(json, 0, Number.POSITIVE_INFINITY, false), "", new Map()) as JsonObject;
}

/**
 * JSON Schema of a tool result: the envelope and the fields of `data` with their types; deeper objects are
 * "object". Nested `required` lists are dropped, since DigiCert's answers are read loosely (spec: several
 * shapes undocumented).
 */
export function compactOutputJsonSchema(schema: z.ZodType, maxObjectDepth = 3): JsonObject {
  const json = z.toJSONSchema(schema, { io: "output", target: "draft-7", unrepresentable: "any" });
  const out = walk(json, 0, maxObjectDepth, true) as JsonObject;
  // A result's `additionalProperties: false` tells no one anything (agents do not write results) and promised
  // more than the server checks (z.object accepts extra keys); catalog results are loose objects anyway.
  if (out.additionalProperties === false) delete out.additionalProperties;
  return out;
}

/**
 * Makes `schema` render as `json` wherever the SDK converts it (tools/list), while validation still uses the
 * full zod schema. `json` may be given as JSON text. Uses zod's documented `_zod.toJSONSchema` override hook.
 */
export function withJsonSchema<T extends z.ZodType>(schema: T, json: JsonObject | string): T {
  // JSON text as is (precomputed schemas come as text: schemaJsonText)
  const frozen = typeof json === "string" ? json : JSON.stringify(json);
  schema._zod.toJSONSchema = () => JSON.parse(frozen) as unknown;
  advertised.set(schema, frozen);
  return schema;
}

const advertised = new WeakMap<z.ZodType, string>();

/** A fresh copy of the JSON Schema `withJsonSchema` gave a schema, or undefined for any other schema. */
export function advertisedJsonOf(schema: unknown): JsonObject | undefined {
  const frozen = schema instanceof Object ? advertised.get(schema as z.ZodType) : undefined;
  return frozen === undefined ? undefined : (JSON.parse(frozen) as JsonObject);
}
