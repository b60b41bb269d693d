import fc from "fast-check";
import { expect } from "vitest";
import {
  API_PREFIX,
  inputSchema,
  OPERATIONS,
  type Operation,
  pathParams,
  splitInput,
} from "../../../src/operations/index.js";
import {
  constants,
  EXTRA_KEYS,
  emails,
  type FieldGen,
  HUGE_ASCII,
  idAttack,
  organization,
  sans,
  textField,
  wrongType,
} from "./hostile.js";
import type { Recorded } from "./recording-upstream.js";

// Generators of tool/client input for every catalog operation, and the checks a request that reached the
// upstream must pass. Shared by the client-level and MCP-level property tests.

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

const validId = fc.oneof(fc.integer({ min: 1, max: MAX_SAFE }), fc.constantFrom(1, MAX_SAFE));
const idField: FieldGen = { valid: validId, hostile: idAttack };
const bool = constants([true, false], ["true", "false", 1, 0, "yes"]);

/** Valid and hostile values for every input field of the catalog, keyed "operation.field" or "field". */
export const FIELDS: Record<string, FieldGen> = {
  acme_contract_id: idField,
  credential_id: idField,
  api_key_id: idField,
  subaccount_id: idField,
  "create_api_key.account_id": idField,
  /** the key selector: 42 is configured, 7 is not (a config error, nothing sent) */
  account_id: { valid: fc.constantFrom(42, 42, 42, 7), hostile: idAttack },
  sans,
  emergency_contact_emails: emails,
  name: textField,
  api_key_name: textField,
  "update_account_setting.name": constants(
    ["auto_renew_subscription", "x"],
    ["Auto_Renew", "../x", "a b", "", HUGE_ASCII, "a\r\nb"],
  ),
  value: constants(["0", "1", "true"], ["", "1 ", "a/b", "\u0000", HUGE_ASCII]),
  product_name_id: constants(
    ["ssl_dv_rapidssl", "ssl_basic", "ssl_ev_basic"],
    ["SSL_BASIC", "ssl basic", "../ssl", "", "s", HUGE_ASCII, "ssl_basic\n"],
  ),
  organization,
  auto_renew: bool,
  revoke_existing: bool,
  status: constants(["active", "inactive"], ["ACTIVE", "deleted", "", " active"]),
};

export function fieldGen(op: Operation, field: string): FieldGen {
  const gen = FIELDS[`${op.name}.${field}`] ?? FIELDS[field] ?? (isIdField(op, field) ? idField : undefined);
  if (!gen) throw new Error(`no generator for ${op.name}.${field}: add one to FIELDS`);
  return gen;
}

/** A `..._id` field of the shared id form (a positive integer), e.g. a new operation's path parameter. */
function isIdField(op: Operation, field: string): boolean {
  const schema = inputSchema(op).shape[field];
  if (!field.endsWith("_id") || !schema) return false;
  return schema.safeParse(1).success && !schema.safeParse(0).success && !schema.safeParse("1").success;
}

type Mutation =
  | { kind: "none" }
  | { kind: "hostile"; field: string; value: unknown }
  | { kind: "drop"; field: string }
  | { kind: "extra"; key: string; value: unknown }
  | { kind: "not-an-object"; value: unknown };

/**
 * Valid input (all fields, optional ones sometimes left out), then at most one mutation: a field made hostile
 * or of the wrong type, a field dropped, an unknown field added, or the whole input not an object.
 */
export interface InputArbOptions {
  /** a value some extra fields get, e.g. a configured key pasted where it does not belong */
  pasted?: string;
  /** further optional arguments (e.g. the MCP layer's own) with their generators */
  extra?: Record<string, fc.Arbitrary<unknown>>;
}

export function inputArb(op: Operation, options: InputArbOptions = {}): fc.Arbitrary<unknown> {
  const fields = Object.keys(inputSchema(op).shape);
  const required = fields.filter((f) => !inputSchema(op).shape[f]?.safeParse(undefined).success);
  const record = fc.record(
    {
      ...Object.fromEntries(fields.map((f) => [f, fieldGen(op, f).valid])),
      ...options.extra,
    },
    { requiredKeys: required },
  );
  const perField = fields.length
    ? [
        {
          weight: 6,
          arbitrary: fc
            .constantFrom(...fields)
            .chain((field) =>
              fc
                .oneof(
                  { weight: 3, arbitrary: fieldGen(op, field).hostile },
                  { weight: 1, arbitrary: wrongType },
                )
                .map((value) => ({ kind: "hostile", field, value }) as const),
            ),
        },
        {
          weight: 1,
          arbitrary: fc.constantFrom(...fields).map((field) => ({ kind: "drop", field }) as const),
        },
      ]
    : [];
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    { weight: 5, arbitrary: fc.constant({ kind: "none" } as const) },
    ...perField,
    {
      weight: 1,
      arbitrary: fc
        .record({
          key: fc.constantFrom(...EXTRA_KEYS),
          value: options.pasted === undefined ? wrongType : fc.oneof(wrongType, fc.constant(options.pasted)),
        })
        .map((e) => ({ kind: "extra", ...e }) as const),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom<unknown>(null, [], "acme_contract_id=1", 42, [{ acme_contract_id: 1 }])
        .map((value) => ({ kind: "not-an-object", value }) as const),
    },
  );
  return fc.tuple(record, mutation).map(([input, m]) => {
    const out: Record<string, unknown> = { ...input };
    if (m.kind === "hostile") out[m.field] = m.value;
    if (m.kind === "drop") delete out[m.field];
    if (m.kind === "extra") Object.defineProperty(out, m.key, { value: m.value, enumerable: true });
    if (m.kind === "not-an-object") return m.value;
    return out;
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The operation's path template as a regex whose parameters match only positive integers. */
export function templateRegExp(op: Operation): RegExp {
  const full = API_PREFIX[op.api] + op.path;
  const parts = full.split(/\{[a-z_]+\}/);
  return new RegExp(`^${parts.map(escapeRegExp).join("([1-9][0-9]{0,15})")}$`);
}

/** Everything a request that reached DigiCert must satisfy, given the input the client validated. */
export function expectWellFormed(
  op: Operation,
  req: Recorded,
  valid: Record<string, unknown>,
  configured: ReadonlySet<string>,
): void {
  expect(req.method).toBe(op.method);
  expect(req.url).not.toMatch(/\.\.|%|\?|#|\\/);
  const match = templateRegExp(op).exec(req.url);
  expect(match, `${req.url} does not match ${op.path}`).not.toBeNull();
  const { params, body } = splitInput(op, valid);
  pathParams(op.path).forEach((name, i) => {
    const segment = match?.[i + 1] ?? "";
    expect(Number.isSafeInteger(Number(segment))).toBe(true);
    expect(segment).toBe(String(params[name]));
  });
  // Header values carry only configured keys.
  const partnerKey = req.headers["x-partner-apikey"];
  if (op.scope === "devkey") expect(partnerKey).toBeUndefined();
  else expect(configured.has(String(partnerKey))).toBe(true);
  if (!op.body) {
    expect(req.body).toBe("");
    return;
  }
  expect(req.headers["content-type"]).toBe("application/json");
  const sent: unknown = JSON.parse(req.body);
  const reparsed = op.body.safeParse(sent);
  expect(reparsed.success, `${op.name} sent a body its own schema rejects: ${req.body.slice(0, 300)}`).toBe(
    true,
  );
  // What was sent is exactly the validated (normalised) body, and normalising it again changes nothing.
  expect(sent).toEqual(JSON.parse(JSON.stringify(body)));
  expect(reparsed.data).toEqual(sent);
}

/** The catalog operation whose method and path template a request matches, with its path parameters. */
export function matchOperation(req: Recorded): { op: Operation; params: Record<string, number> } | undefined {
  for (const op of OPERATIONS as readonly Operation[]) {
    if (op.method !== req.method) continue;
    const m = templateRegExp(op).exec(req.url);
    if (!m) continue;
    const params: Record<string, number> = {};
    pathParams(op.path).forEach((name, i) => {
      params[name] = Number(m[i + 1]);
    });
    return { op, params };
  }
  return undefined;
}

/**
 * A request seen by the upstream without knowing the input that produced it: it must be some catalog
 * operation's method + path (positive-integer segments), carry a configured key, and a body that parses
 * with that operation's body schema and is already in normal form.
 */
export function expectValidRequest(req: Recorded, configured: ReadonlySet<string>): Operation {
  const hit = matchOperation(req);
  expect(hit, `${req.method} ${req.url} matches no catalog operation`).toBeDefined();
  const { op, params } = hit as { op: Operation; params: Record<string, number> };
  let input: Record<string, unknown> = { ...params };
  if (op.body) {
    const body: unknown = JSON.parse(req.body);
    input = { ...input, ...(body as Record<string, unknown>) };
  }
  // account_id never goes on the wire; params + body are all the input the operation needs
  expectWellFormed(op, req, inputSchema(op).parse(input) as Record<string, unknown>, configured);
  return op;
}
