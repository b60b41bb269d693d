import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DigiCertClient } from "../../src/client/client.js";
import { DigiCertError } from "../../src/client/errors.js";
import {
  API_PREFIX,
  inputSchema,
  OPERATIONS,
  type Operation,
  pathParams,
  selectsAccount,
  splitInput,
} from "../../src/operations/index.js";
import {
  constants,
  EMAIL_ATTACKS,
  EXTRA_KEYS,
  emails,
  type FieldGen,
  HUGE_ASCII,
  ID_NUMBER_ATTACKS,
  ID_STRING_ATTACKS,
  idAttack,
  organization,
  SAN_ATTACKS,
  sans,
  THOUSANDS_OF_SANS,
  textField,
  wrongType,
} from "./helpers/hostile.js";
import { type Recorded, recordingUpstream } from "./helpers/recording-upstream.js";

const KEYS = {
  parentKey: "PARENT-0123456789abcdef0123456789abcdef",
  subaccountKey: "SUBDEF-0123456789abcdef0123456789abcdef",
  devkey: "DEVKEY-0123456789abcdef0123456789abcdef",
  subaccountKeys: { "42": "SUB042-0123456789abcdef0123456789abcdef" },
};
const CONFIGURED = new Set([KEYS.parentKey, KEYS.subaccountKey, KEYS.subaccountKeys["42"]]);
const RUNS = 120;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

let upstream: Awaited<ReturnType<typeof recordingUpstream>>;
let client: DigiCertClient;

beforeAll(async () => {
  upstream = await recordingUpstream();
  client = new DigiCertClient({ baseUrl: upstream.url, credentials: KEYS, retry: { retries: 0 } });
});
afterAll(async () => {
  await client.close();
  await upstream.close();
});

const validId = fc.oneof(fc.integer({ min: 1, max: MAX_SAFE }), fc.constantFrom(1, MAX_SAFE));
const idField: FieldGen = { valid: validId, hostile: idAttack };
const bool = constants([true, false], ["true", "false", 1, 0, "yes"]);

/** Valid and hostile values for every input field of the catalog, keyed "operation.field" or "field". */
const FIELDS: Record<string, FieldGen> = {
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

function fieldGen(op: Operation, field: string): FieldGen {
  const gen = FIELDS[`${op.name}.${field}`] ?? FIELDS[field];
  if (!gen) throw new Error(`no generator for ${op.name}.${field}: add one to FIELDS`);
  return gen;
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
function inputArb(op: Operation): fc.Arbitrary<unknown> {
  const fields = Object.keys(inputSchema(op).shape);
  const required = fields.filter((f) => !inputSchema(op).shape[f]?.safeParse(undefined).success);
  const record = fc.record(Object.fromEntries(fields.map((f) => [f, fieldGen(op, f).valid])), {
    requiredKeys: required,
  });
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
          value: fc.oneof(wrongType, fc.constant(KEYS.parentKey)),
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
function templateRegExp(op: Operation): RegExp {
  const full = API_PREFIX[op.api] + op.path;
  const parts = full.split(/\{[a-z_]+\}/);
  return new RegExp(`^${parts.map(escapeRegExp).join("([1-9][0-9]{0,15})")}$`);
}

/** Everything a request that reached DigiCert must satisfy, given the input the client validated. */
function expectWellFormed(op: Operation, req: Recorded, valid: Record<string, unknown>): void {
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
  else expect(CONFIGURED.has(String(partnerKey))).toBe(true);
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

describe("client: fuzzed input per catalog operation (fast-check)", () => {
  it("the request checker itself rejects traversal, queries, foreign keys and bodies off-schema", () => {
    const op = OPERATIONS.find((o) => o.name === "add_sans") as Operation;
    const valid = { acme_contract_id: 7, sans: ["example.com"] };
    const good: Recorded = {
      method: "PUT",
      url: "/partner-subscription/api/v1/acme/7/sans",
      headers: { "x-partner-apikey": KEYS.subaccountKey, "content-type": "application/json" },
      body: '{"sans":["example.com"]}',
    };
    expectWellFormed(op, good, valid);
    const bad: Partial<Recorded>[] = [
      { method: "POST" },
      { url: "/partner-subscription/api/v1/acme/7/../sans" },
      { url: "/partner-subscription/api/v1/acme/%37/sans" },
      { url: "/partner-subscription/api/v1/acme/7/sans?x=1" },
      { url: "/partner-subscription/api/v1/acme/8/sans" },
      { url: "/partner-subscription/api/v1/acme/07/sans" },
      { headers: { "x-partner-apikey": "guessed", "content-type": "application/json" } },
      { body: '{"sans":["EXAMPLE.com"]}' },
      { body: '{"sans":["example.com"],"x":1}' },
      { body: '{"sans":["a b"]}' },
    ];
    for (const change of bad) expect(() => expectWellFormed(op, { ...good, ...change }, valid)).toThrow();
  });

  it("has a generator for every field of every operation", () => {
    expect(OPERATIONS).toHaveLength(25);
    for (const op of OPERATIONS) for (const f of Object.keys(inputSchema(op).shape)) fieldGen(op, f);
  });

  for (const op of OPERATIONS as readonly Operation[]) {
    it(`${op.name}: only DigiCertErrors, nothing sent for invalid input, well-formed requests otherwise`, async () => {
      let sent = 0;
      let rejected = 0;
      await fc.assert(
        fc.asyncProperty(inputArb(op), async (input) => {
          const before = upstream.seen.length;
          const expectedValid = inputSchema(op).safeParse(input ?? {});
          let error: unknown;
          try {
            await client.call(op, input as Record<string, unknown>);
          } catch (err) {
            error = err;
          }
          const requests = upstream.seen.slice(before);
          if (error !== undefined) {
            expect(error).toBeInstanceOf(DigiCertError);
            const e = error as DigiCertError;
            // A 204 upstream never fails a call: only input or configuration problems may, before sending.
            expect(["validation", "config"]).toContain(e.kind);
            expect(requests).toHaveLength(0);
            if (e.kind === "validation") expect(expectedValid.success).toBe(false);
            // A pasted key is never echoed back.
            expect(e.message).not.toContain(KEYS.parentKey);
            rejected++;
            return;
          }
          expect(expectedValid.success).toBe(true);
          expect(requests).toHaveLength(1);
          expectWellFormed(op, requests[0] as Recorded, expectedValid.data as Record<string, unknown>);
          sent++;
        }),
        { numRuns: RUNS },
      );
      // The generator must exercise both sides of the property.
      expect(sent).toBeGreaterThan(RUNS / 20);
      expect(rejected).toBeGreaterThan(RUNS / 20);
    });
  }
});

const withIds = (OPERATIONS as readonly Operation[]).filter((op) => pathParams(op.path).length > 0);

function baseInput(op: Operation): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const p of pathParams(op.path)) input[p] = 7;
  if (op.body?.shape.sans) input.sans = ["example.com"];
  if (op.body?.shape.name) input.name = "label";
  if (op.body?.shape.status) input.status = "active";
  if (op.name === "update_acme_contract") input.auto_renew = true;
  if (op.name === "create_acme_contract") input.product_name_id = "ssl_dv_rapidssl";
  if (op.body?.shape.emergency_contact_emails) input.emergency_contact_emails = ["ops@example.com"];
  if (op.name === "create_subaccount") input.api_key_name = "first";
  return input;
}

async function rejection(op: Operation, input: unknown): Promise<DigiCertError> {
  const before = upstream.seen.length;
  try {
    await client.call(op, input as Record<string, unknown>);
  } catch (err) {
    expect(upstream.seen.length - before, `${op.name} sent a request for ${JSON.stringify(input)}`).toBe(0);
    if (err instanceof DigiCertError) return err;
    throw err;
  }
  throw new Error(`${op.name} accepted ${JSON.stringify(input).slice(0, 200)}`);
}

describe("client: named attacks are refused before sending", () => {
  it("the baseline inputs are valid and reach the upstream", async () => {
    for (const op of withIds) {
      const before = upstream.seen.length;
      await client.call(op, baseInput(op));
      expect(upstream.seen.length - before).toBe(1);
    }
  });

  it.each([...ID_STRING_ATTACKS, ...ID_NUMBER_ATTACKS])("id %j in every path parameter", async (attack) => {
    for (const op of withIds) {
      for (const param of pathParams(op.path)) {
        const err = await rejection(op, { ...baseInput(op), [param]: attack });
        expect(err.kind).toBe("validation");
        expect([...new Set(err.issues.map((i) => i.path))]).toEqual([param]);
      }
    }
  });

  it.each(SAN_ATTACKS.map((s) => [s.length > 60 ? `${s.slice(0, 20)}…(${s.length})` : s, s]))(
    "SAN %j is refused with its index in the field path",
    async (_label, attack) => {
      for (const name of ["create_acme_contract", "add_sans", "remove_sans"]) {
        const op = OPERATIONS.find((o) => o.name === name) as Operation;
        const err = await rejection(op, { ...baseInput(op), sans: ["ok.example.com", attack] });
        expect(err.kind).toBe("validation");
        expect(err.issues.map((i) => i.path)).toEqual(["sans.1"]);
      }
    },
  );

  it("thousands of SANs are refused with the limit, and 250 are accepted", async () => {
    const op = OPERATIONS.find((o) => o.name === "add_sans") as Operation;
    const err = await rejection(op, { acme_contract_id: 7, sans: THOUSANDS_OF_SANS });
    expect(err.message).toContain("at most 250 SANs");
    const before = upstream.seen.length;
    await client.call(op, { acme_contract_id: 7, sans: THOUSANDS_OF_SANS.slice(0, 250) });
    const req = upstream.seen[before] as Recorded;
    expect((JSON.parse(req.body) as { sans: string[] }).sans).toHaveLength(250);
  });

  it.each(EMAIL_ATTACKS.map((s) => [s.length > 60 ? `${s.slice(0, 20)}…(${s.length})` : s, s]))(
    "emergency email %j is refused",
    async (_label, attack) => {
      for (const name of ["create_subaccount", "add_emergency_emails", "remove_emergency_emails"]) {
        const op = OPERATIONS.find((o) => o.name === name) as Operation;
        const err = await rejection(op, {
          ...baseInput(op),
          emergency_contact_emails: ["ok@example.com", attack],
        });
        expect(err.kind).toBe("validation");
        expect(err.issues.map((i) => i.path)).toEqual(["emergency_contact_emails.1"]);
      }
    },
  );

  it("a CRLF-padded but otherwise valid email is sent trimmed, never with the CRLF", async () => {
    const op = OPERATIONS.find((o) => o.name === "add_emergency_emails") as Operation;
    const before = upstream.seen.length;
    await client.call(op, { emergency_contact_emails: ["ops@example.com\r\n"] });
    expect(JSON.parse((upstream.seen[before] as Recorded).body)).toEqual({
      emergency_contact_emails: ["ops@example.com"],
    });
  });

  it("an account_id selector never reaches the wire and must be a configured subaccount", async () => {
    const op = OPERATIONS.find((o) => o.name === "get_acme_contract") as Operation;
    for (const attack of ["42", "../", 42.5, -42, 2 ** 53]) {
      const err = await rejection(op, { acme_contract_id: 1, account_id: attack });
      expect(err.kind).toBe("validation");
    }
    const err = await rejection(op, { acme_contract_id: 1, account_id: 43 });
    expect(err.kind).toBe("config");
    const before = upstream.seen.length;
    await client.call(op, { acme_contract_id: 1, account_id: 42 });
    const req = upstream.seen[before] as Recorded;
    expect(req.url).toBe("/partner-subscription/api/v1/acme/1");
    expect(req.headers["x-partner-apikey"]).toBe(KEYS.subaccountKeys["42"]);
  });

  it("an unknown field is refused on every operation, __proto__ included", async () => {
    for (const op of OPERATIONS as readonly Operation[]) {
      for (const key of ["extra", "__proto__", "constructor"]) {
        const input = { ...baseInput(op) };
        Object.defineProperty(input, key, { value: { polluted: true }, enumerable: true });
        const err = await rejection(op, input);
        expect(err.kind).toBe("validation");
      }
      if (!selectsAccount(op.scope) && op.name !== "create_api_key") {
        const err = await rejection(op, { ...baseInput(op), account_id: 42 });
        expect(err.kind).toBe("validation");
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
