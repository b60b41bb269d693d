import { z } from "zod";
import { inputSchema, type Operation } from "../operations/index.js";
import { compactInputJsonSchema, compactOutputJsonSchema, withJsonSchema } from "./json-schema.js";
import { pagedField } from "./paging.js";

type AnyObject = ReturnType<typeof inputSchema>;

/** Arguments the MCP layer adds to a tool and removes before the DigiCert call. */
export const MCP_ONLY_ARGS = ["confirmation_token", "offset", "limit"] as const;

export const confirmationToken = z
  .string()
  .min(1)
  .max(4096)
  .optional()
  .describe("from the confirmation_required result, once the user agreed");

/** Same rule as the catalog's selector, shorter text: it is repeated in most tools' schemas. */
const accountSelector = z.number().int().positive().optional().describe("use this subaccount's key");

const offset = z.number().int().min(0).optional().describe("skip this many items");
const limit = z.number().int().min(1).max(200).optional().describe("items per page");

/** Whether the confirmation gate is on (the operator's `confirmation.mode`); off, no tool shows its fields. */
export interface SchemaOptions {
  confirmation?: boolean;
}

export function needsConfirmation(op: Operation, options: SchemaOptions = {}): boolean {
  return op.confirm !== undefined && options.confirmation !== false;
}

/**
 * The tool's input: the catalog's flat input plus the MCP-only arguments (confirmation token, paging). Strict,
 * with an unknown-field message that lists the allowed fields.
 */
export function toolInputSchema(op: Operation, options: SchemaOptions = {}): AnyObject {
  const base = inputSchema(op);
  const shape: Record<string, z.ZodType> = { ...base.shape };
  if ("account_id" in shape && !("account_id" in op.params.shape)) shape.account_id = accountSelector;
  if (needsConfirmation(op, options)) shape.confirmation_token = confirmationToken;
  if (pagedField(op.name)) {
    shape.offset = offset;
    shape.limit = limit;
  }
  const allowed = Object.keys(shape);
  const schema: AnyObject = z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `unknown argument(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}; allowed: ${allowed.join(", ") || "none"}`
        : undefined,
  });
  // The catalog's cross-field `check` is not added here: JSON Schema cannot express it, and a refined clone
  // breaks zod's JSON Schema override. The tool handler runs client.validate() first, which applies it.
  return withJsonSchema(schema, compactInputJsonSchema(schema));
}

/** Status of a result from a tool that may ask for confirmation. */
export const RESULT_STATUS = ["done", "confirmation_required", "not_confirmed"] as const;

/**
 * The structured result every tool returns: `ok`, `operation`, `summary`, the DigiCert answer in `data` (when
 * DigiCert returns one), a `note` (truncation, one-time secrets), and for guarded tools the confirmation fields.
 */
export function toolOutputSchema(op: Operation, options: SchemaOptions = {}): AnyObject {
  const shape: Record<string, z.ZodType> = {
    ok: z.boolean(),
    operation: z.string(),
    summary: z.string(),
    note: z.string().optional(),
  };
  if (op.response) shape.data = op.response.optional();
  if (needsConfirmation(op, options)) {
    shape.status = z.enum(RESULT_STATUS).optional();
    shape.preview = z.string().optional();
    shape.current = z.unknown().optional();
    shape.confirmation_token = z.string().optional();
    shape.expires_at = z.string().optional();
  }
  // loose: error results add an `error` object, and DigiCert may add fields
  const schema = z.looseObject(shape);
  return withJsonSchema(schema, compactOutputJsonSchema(schema, 2));
}
