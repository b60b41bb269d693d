import { z } from "zod";
import { inputSchema, type Operation } from "../operations/index.js";
import { compactInputJsonSchema, compactOutputJsonSchema, withJsonSchema } from "./json-schema.js";
import { schemaJsonText } from "./precomputed-schemas.js";

type AnyObject = ReturnType<typeof inputSchema>;

/** Arguments the MCP layer adds to a tool and removes before the DigiCert call. */
export const MCP_ONLY_ARGS = ["confirmation_token", "offset", "limit"] as const;

export const confirmationToken = z
  .string()
  .min(1)
  .max(4096)
  .optional()
  .describe("from confirmation_required, after the user agreed");

/** Same rule as the catalog's selector, shorter text: it is repeated in most tools' schemas. */
// Undescribed on purpose: the server instructions say once what account_id does (the configured key of that
// subaccount), instead of ~7 tokens in each of 17 tools of tools/list.
const accountSelector = z.number().int().positive().optional();

// offset/limit need no description: the names say it (as in the reporting tools), the bounds are in the schema
const offset = z.number().int().min(0).optional();
const limit = z.number().int().min(1).max(200).optional();

/** Whether the confirmation gate is on (the operator's `confirmation.mode`); off, no tool shows its fields. */
export interface SchemaOptions {
  confirmation?: boolean;
}

export function needsConfirmation(op: Operation, options: SchemaOptions = {}): boolean {
  return op.confirm !== undefined && options.confirmation !== false;
}

/**
 * Each schema is built once per operation and confirmation setting, then shared: converting to JSON Schema is
 * most of what creating a server costs, and the CLI creates one up front, one for stdio and one per HTTP
 * session. The schemas are never mutated after they are built.
 */
type Cached = { on?: AnyObject; off?: AnyObject };
const inputCache = new WeakMap<Operation, Cached>();
const outputCache = new WeakMap<Operation, Cached>();

function cached(
  cache: WeakMap<Operation, Cached>,
  op: Operation,
  on: boolean,
  build: () => AnyObject,
): AnyObject {
  let entry = cache.get(op);
  if (!entry) {
    entry = {};
    cache.set(op, entry);
  }
  const slot = on ? "on" : "off";
  const schema = entry[slot] ?? build();
  entry[slot] = schema;
  return schema;
}

/**
 * The tool's input: the catalog's flat input plus the MCP-only arguments (confirmation token, paging). Strict,
 * with an unknown-field message that lists the allowed fields.
 */
export function toolInputSchema(op: Operation, _options: SchemaOptions = {}): AnyObject {
  // the same validator whatever the confirmation setting (see confirmation_token below)
  return cached(inputCache, op, true, () => buildInputSchema(op));
}

function buildInputSchema(op: Operation): AnyObject {
  const base = inputSchema(op);
  const shape: Record<string, z.ZodType> = { ...base.shape };
  if ("account_id" in shape && !("account_id" in op.params.shape)) shape.account_id = accountSelector;
  // Accepted even when the operator disabled confirmation (then ignored, and not advertised): an agent that
  // learned the flow elsewhere should not get "unknown argument" for it.
  if (op.confirm) shape.confirmation_token = confirmationToken;
  if (op.paging) {
    shape.offset = offset;
    shape.limit = limit;
  }
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `unknown argument(s) ${issue.keys.map(shownName).join(", ")}; allowed: ${allowed.join(", ") || "none"}`
        : undefined,
  });
}

/**
 * An unknown argument's name is echoed only when it looks like a field name: agents sometimes paste a value
 * (even an API key) where a name belongs, and error texts must not carry it back.
 */
function shownName(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]{0,39}$/.test(key) ? `"${key}"` : "(a name that is not a field)";
}

const advertisedCache = new WeakMap<Operation, Cached>();

/** Key of a tool's schema in the precomputed file: tool, input or output, with or without confirmation. */
function schemaKey(op: Operation, kind: "input" | "output", options: SchemaOptions): string {
  return `${op.name}:${kind}${needsConfirmation(op, options) ? ":confirm" : ""}`;
}

function advertisedJson(op: Operation, options: SchemaOptions): string {
  return schemaJsonText(schemaKey(op, "input", options), () => {
    const json = compactInputJsonSchema(toolInputSchema(op, options));
    if (!needsConfirmation(op, options) && json.properties && typeof json.properties === "object") {
      delete (json.properties as Record<string, unknown>).confirmation_token;
    }
    return json;
  });
}

/**
 * Computes every catalog tool's advertised schemas (with and without confirmation), bypassing the caches:
 * for `collectSchemaJson`, under `recordSchemaJson`.
 */
export function computeCatalogSchemas(operations: readonly Operation[]): void {
  for (const op of operations) {
    for (const confirmation of [true, false]) {
      advertisedJson(op, { confirmation });
      buildOutputSchema(op, { confirmation });
    }
  }
}

/**
 * What the tool is registered with: its JSON Schema is the compact form of `toolInputSchema`, but it accepts
 * any object, so the SDK hands every call to the tool handler, which validates with `toolInputSchema` and
 * words the error itself (field, rule, "nothing was sent", secrets scrubbed). The catalog's cross-field
 * `check` is applied there too (client.validate), as JSON Schema cannot express it.
 */
export function advertisedInputSchema(op: Operation, options: SchemaOptions = {}): AnyObject {
  return cached(advertisedCache, op, needsConfirmation(op, options), () =>
    withJsonSchema(z.looseObject({}), advertisedJson(op, options)),
  );
}

/** Status of a result from a tool that may ask for confirmation. */
export const RESULT_STATUS = ["done", "confirmation_required", "not_confirmed"] as const;

/**
 * The structured result every tool returns: `ok`, `summary`, the DigiCert answer in `data` (when
 * DigiCert returns one), a `warning` (an answer not in the expected form, a once-shown secret missing), a `note`
 * (truncation, one-time secrets), and for guarded tools the confirmation fields. `current` is listed only for
 * tools that inspect their target.
 */
export function toolOutputSchema(op: Operation, options: SchemaOptions = {}): AnyObject {
  return cached(outputCache, op, needsConfirmation(op, options), () => {
    // The envelope depends only on these three facts, so tools alike share one schema (its JSON Schema is the
    // same whichever of them computed it): building one zod object per tool was ~10 ms of start-up.
    const variant = `${op.response ? "n" : "-"}${needsConfirmation(op, options) ? "c" : "-"}${op.confirm?.inspect ? "i" : "-"}`;
    let schema = outputByVariant.get(variant);
    if (!schema) {
      schema = buildOutputSchema(op, options);
      outputByVariant.set(variant, schema);
    }
    return schema;
  });
}

const outputByVariant = new Map<string, AnyObject>();

function buildOutputSchema(op: Operation, options: SchemaOptions): AnyObject {
  const shape: Record<string, z.ZodType> = {
    ok: z.boolean(),
    summary: z.string(),
  };
  // Every tool may get an answer: DigiCert's, as sent, when it is not in the expected form (even where a 204 is
  // documented), so `data` is any JSON value; `warning` says how it differed, `note` what was cut or is shown once.
  // Tools with a documented 204 carry any note about such an answer in `warning`.
  shape.warning = z.string().optional();
  if (op.response) shape.note = z.string().optional();
  shape.data = z.unknown().optional();
  if (needsConfirmation(op, options)) {
    shape.status = z.enum(RESULT_STATUS).optional();
    shape.preview = z.string().optional();
    if (op.confirm?.inspect) shape.current = z.unknown().optional();
    shape.confirmation_token = z.string().optional();
    shape.expires_at = z.string().optional();
  }
  // loose: error results add an `error` object, and DigiCert may add fields
  const schema = z.looseObject(shape);
  // Only the envelope is advertised: agents read `summary` and the tool text, and every level of `data` listed
  // here cost each client ~800 tokens of tools/list for all tools (measured) while no model is shown it.
  return withJsonSchema(
    schema,
    schemaJsonText(schemaKey(op, "output", options), () => compactOutputJsonSchema(schema, 1)),
  );
}
