import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DigiCertClient } from "../../src/client/client.js";
import { DigiCertError } from "../../src/client/errors.js";
import {
  inputSchema,
  OPERATIONS,
  type Operation,
  pathParams,
  selectsAccount,
} from "../../src/operations/index.js";
import { expectWellFormed, fieldGen, inputArb } from "./helpers/catalog-fuzz.js";
import {
  EMAIL_ATTACKS,
  ID_NUMBER_ATTACKS,
  ID_STRING_ATTACKS,
  SAN_ATTACKS,
  THOUSANDS_OF_SANS,
} from "./helpers/hostile.js";
import { type Recorded, recordingUpstream } from "./helpers/recording-upstream.js";

const KEYS = {
  parentKey: "PARENT-0123456789abcdef0123456789abcdef",
  subaccountKey: "SUBDEF-0123456789abcdef0123456789abcdef",
  devkey: "DEVKEY-0123456789abcdef0123456789abcdef",
  subaccountKeys: { "42": "SUB042-0123456789abcdef0123456789abcdef" },
};
const CONFIGURED = new Set([KEYS.parentKey, KEYS.subaccountKey, KEYS.subaccountKeys["42"]]);
const RUNS = 100;

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
    expectWellFormed(op, good, valid, CONFIGURED);
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
    for (const change of bad)
      expect(() => expectWellFormed(op, { ...good, ...change }, valid, CONFIGURED)).toThrow();
  });

  it("has a generator for every field of every operation", () => {
    for (const op of OPERATIONS) for (const f of Object.keys(inputSchema(op).shape)) fieldGen(op, f);
  });

  for (const op of OPERATIONS as readonly Operation[]) {
    it(`${op.name}: only DigiCertErrors, nothing sent for invalid input, well-formed requests otherwise`, async () => {
      let sent = 0;
      let rejected = 0;
      await fc.assert(
        fc.asyncProperty(inputArb(op, { pasted: KEYS.parentKey }), async (input) => {
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
          expectWellFormed(
            op,
            requests[0] as Recorded,
            expectedValid.data as Record<string, unknown>,
            CONFIGURED,
          );
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
