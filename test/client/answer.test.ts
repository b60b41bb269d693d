import { describe, expect, it } from "vitest";
import { driftText, readAnswer } from "../../src/client/answer.js";
import { getOperation } from "../../src/operations/index.js";

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
