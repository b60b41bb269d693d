import { describe, expect, it } from "vitest";
import { driftText, readAnswer } from "../../src/client/answer.js";
import { getOperation } from "../../src/operations/index.js";
import { isReporting, reporting } from "../../src/schemas/entities.js";
import { SEED_REPORT } from "../reporting/fixtures.js";

// The tolerant reader on its own: every 2xx body yields data; the drift names paths and never values.

describe("readAnswer", () => {
  const contract = getOperation("get_acme_contract");

  it("returns the parsed answer, with no drift, when it has the expected form", () => {
    const body = {
      acme_contract_id: 1,
      account_id: 2,
      product_name_id: "ssl_dv_rapidssl",
      created_at: "2025-01-29T10:30:00Z",
      sans: ["example.com"],
      valid_till: "2027-01-29T10:30:00Z",
      organization: null,
      is_organization_validated: false,
      auto_renew: false,
      date_canceled: null,
      added_later: { x: 1 },
    };
    expect(readAnswer(contract, JSON.stringify(body))).toEqual({ data: body });
  });

  it("keeps a body that is not JSON as text (it may be the only copy of a key)", () => {
    const answer = readAnswer(getOperation("create_api_key"), "key=abc123\n");
    expect(answer.data).toEqual({ text: "key=abc123" });
    expect(answer.drift?.paths).toEqual(["(answer): not JSON"]);
  });

  it("says an empty body is empty where an answer is expected, and accepts it where the schema allows", () => {
    expect(readAnswer(contract, "").drift?.paths).toEqual(["(answer): empty"]);
    expect(readAnswer(getOperation("update_acme_contract"), "  ")).toEqual({ data: undefined });
    expect(readAnswer(getOperation("add_sans"), "")).toEqual({ data: undefined });
  });

  it("returns a body where a 204 is documented, with a drift", () => {
    const answer = readAnswer(getOperation("add_sans"), '{"sans":["a.example"]}');
    expect(answer.data).toEqual({ sans: ["a.example"] });
    expect(answer.drift?.paths).toEqual(["(answer): a body where none was expected"]);
  });

  it("names array items with [] and replaces keys that look like values", () => {
    const secretKey = "sbx_9f8A7b6C5d4E3f2A1b0C";
    const body = { credentials: [{ credential_id: "x", [secretKey]: 1 }] };
    const answer = readAnswer(getOperation("list_acme_credentials"), JSON.stringify(body));
    const text = driftText(answer.drift ?? { paths: [], more: 0 });
    expect(text).toContain("credentials[].credential_id: not a number");
    expect(text).toContain("credentials[].<key>: not expected");
    expect(text).not.toContain(secretKey);
  });

  it("flags a renamed field even where every expected field is optional, but not extra fields alone", () => {
    const emails = getOperation("get_emergency_emails");
    expect(readAnswer(emails, '{"emails":["a@example.com"]}').drift?.paths).toEqual([
      "emergency_contact_emails: missing",
      "emails: not expected",
    ]);
    expect(
      readAnswer(emails, '{"emergency_contact_emails":["a@example.com"],"request_id":"r1"}').drift,
    ).toBeUndefined();
  });

  it("caps the paths it lists and counts the rest", () => {
    const many = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`field_${String.fromCharCode(97 + i)}`, i]),
    );
    const answer = readAnswer(contract, JSON.stringify(many));
    expect(answer.drift?.paths).toHaveLength(8);
    expect((answer.drift?.more ?? 0) > 0).toBe(true);
    expect(driftText(answer.drift ?? { paths: [], more: 0 })).toMatch(/\(and \d+ more\)$/);
  });
});

describe("isReporting (the reporting answer checked without zod's copy)", () => {
  const op = getOperation("get_account_reporting");
  type Doc = { accounts: { account_id: unknown; acme: Record<string, unknown>[] }[] } & Record<
    string,
    unknown
  >;
  // a change to the documented example; a returned value replaces it
  type Change = (r: Doc) => unknown;
  const contractOf = (r: Doc, a: number, c: number) => r.accounts[a]?.acme[c] as Record<string, unknown>;
  const field =
    (a: number, c: number, key: string, value: unknown): Change =>
    (r) => {
      const target = contractOf(r, a, c);
      if (value === undefined) delete target[key];
      else target[key] = value;
    };
  // each variant against the schema itself: the hand-written check may only say yes where zod does
  const variants: [string, Change][] = [
    ["the documented example", () => undefined],
    [
      "extra fields everywhere",
      (r) => ({
        ...r,
        more: 1,
        accounts: r.accounts.map((a) => ({ ...a, x: [1], acme: a.acme.map((c) => ({ ...c, y: "z" })) })),
      }),
    ],
    ["a canceled contract", field(0, 0, "date_canceled", "2026-03-01 10:00:00")],
    ["no accounts", () => ({ accounts: [] })],
    ["accounts missing", () => ({})],
    ["accounts not a list", () => ({ accounts: {} })],
    ["the answer a list", (r) => [r]],
    [
      "an account id as text",
      (r) => {
        (r.accounts[0] as { account_id: unknown }).account_id = "1234";
      },
    ],
    [
      "an account id fractional",
      (r) => {
        (r.accounts[0] as { account_id: unknown }).account_id = 1.5;
      },
    ],
    [
      "acme missing",
      (r) => {
        delete (r.accounts[1] as Partial<Doc["accounts"][number]>).acme;
      },
    ],
    ["a contract id missing", field(0, 1, "acme_contract_id", undefined)],
    ["a contract's account id as text", field(0, 1, "account_id", "1234")],
    ["a product id not text", field(0, 0, "product_name_id", 7)],
    ["a SAN not text", field(0, 0, "sans", ["a.example", 3])],
    ["sans not a list", field(0, 0, "sans", "a.example")],
    ["valid_till not a date", field(1, 0, "valid_till", "soon")],
    ["created_at missing", field(1, 0, "created_at", undefined)],
    ["date_canceled missing", field(1, 0, "date_canceled", undefined)],
    ["date_canceled not a date", field(1, 0, "date_canceled", false)],
    [
      "a contract null",
      (r) => {
        (r.accounts[1] as { acme: unknown[] }).acme[0] = null;
      },
    ],
  ];
  for (const [name, change] of variants) {
    it(`agrees with the zod schema: ${name}`, () => {
      const doc = structuredClone(SEED_REPORT) as unknown as Doc;
      const value = change(doc) ?? doc;
      const zod = reporting.safeParse(value);
      expect(isReporting(value)).toBe(zod.success);
      // and the tolerant reader answers what zod alone made of it before
      const answer = readAnswer(op, JSON.stringify(value));
      if (zod.success) expect(answer).toEqual({ data: zod.data });
      else expect(answer.drift).toBeDefined();
    });
  }
});
