import { z } from "zod";
import { lazy } from "../schemas/lazy.js";
import { accountOperations } from "./account.js";
import { acmeOperations } from "./acme.js";
import { apiKeyOperations } from "./api-keys.js";
import { credentialOperations } from "./credentials.js";
import { financeOperations } from "./finance.js";
import type { AnyObject, KeyScope, Operation } from "./types.js";

export { TOOLSET_INFO, TOOLSETS, type Toolset } from "./toolsets.js";
export type { Effect, KeyScope, Operation } from "./types.js";

/** Every DigiCert operation this project knows, declared once. */
export const OPERATIONS = [
  ...apiKeyOperations,
  ...acmeOperations,
  ...credentialOperations,
  ...accountOperations,
  ...financeOperations,
] as const;

export type OperationName = (typeof OPERATIONS)[number]["name"];

const byName = new Map<string, Operation>(OPERATIONS.map((op) => [op.name, op as Operation]));

export function getOperation(name: string): Operation {
  const op = byName.get(name);
  if (!op) throw new Error(`unknown operation ${name}`);
  return op;
}

/** Path prefix of each API below the DigiCert origin. */
export const API_PREFIX = {
  partner: "/partner-subscription/api/v1",
  certcentral: "/services/v2",
} as const;

/** Scopes whose key is chosen per call by `account_id` among configured keys. */
export function selectsAccount(scope: KeyScope): boolean {
  return scope === "subaccount" || scope === "any" || scope === "any+devkey";
}

const accountSelector = lazy(() =>
  z
    .number()
    .int()
    .positive()
    .optional()
    .describe("subaccount whose configured key to use; omit for the default key"),
);

const cache = new WeakMap<Operation, AnyObject>();

/**
 * The flat input of an operation as an agent gives it: path params, body fields and (where the key is chosen per
 * call) `account_id`. Strict: unknown fields are rejected.
 */
export function inputSchema(op: Operation): AnyObject {
  const hit = cache.get(op);
  if (hit) return hit;
  let shape: Record<string, z.ZodType> = { ...op.params.shape };
  if (op.body) {
    for (const key of Object.keys(op.body.shape)) {
      if (key in shape) throw new Error(`${op.name}: body field ${key} collides with a path parameter`);
    }
    shape = { ...shape, ...op.body.shape };
  }
  if (selectsAccount(op.scope)) {
    if ("account_id" in shape) throw new Error(`${op.name}: account_id collides with the key selector`);
    shape.account_id = accountSelector;
  }
  let schema: AnyObject = z.strictObject(shape);
  const check = op.check;
  if (check) {
    schema = schema.superRefine((value, ctx) => {
      const message = check(value as Record<string, unknown>);
      if (message) ctx.addIssue({ code: "custom", message });
    });
  }
  cache.set(op, schema);
  return schema;
}

export interface SplitInput {
  params: Record<string, unknown>;
  body: Record<string, unknown> | undefined;
  accountId: number | undefined;
}

/** Splits validated flat input into path params, body and the key selector. */
export function splitInput(op: Operation, input: Record<string, unknown>): SplitInput {
  const params: Record<string, unknown> = {};
  for (const key of Object.keys(op.params.shape)) params[key] = input[key];
  let body: Record<string, unknown> | undefined;
  if (op.body) {
    body = {};
    for (const key of Object.keys(op.body.shape)) if (input[key] !== undefined) body[key] = input[key];
  }
  const accountId =
    selectsAccount(op.scope) && typeof input.account_id === "number" ? input.account_id : undefined;
  return { params, body, accountId };
}

/** A path template cut at its placeholders: literal parts at even indexes, placeholder names at odd ones. */
const templates = new Map<string, readonly string[]>();

function templateOf(path: string): readonly string[] {
  let parts = templates.get(path);
  if (!parts) {
    parts = path.split(/\{([a-z_]+)\}/);
    templates.set(path, parts);
  }
  return parts;
}

/** Placeholders of a path template, in order. */
export function pathParams(path: string): string[] {
  return templateOf(path).filter((_, i) => i % 2 === 1);
}

/**
 * Fills a path template. Each value is encoded as one segment and "." / ".." are refused, so an id can never
 * move the request to another path. (The template is cut once per path, not matched on every call.)
 */
export function renderPath(op: Operation, params: Record<string, unknown>): string {
  const parts = templateOf(op.path);
  let out = API_PREFIX[op.api] + (parts[0] as string);
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i] as string;
    const value = params[name];
    if (value === undefined || value === null) throw new Error(`${op.name}: missing path parameter ${name}`);
    const segment = String(value);
    if (segment === "" || segment === "." || segment === "..") {
      throw new Error(`${op.name}: invalid path parameter ${name}`);
    }
    out += encodeURIComponent(segment) + (parts[i + 1] as string);
  }
  return out;
}
