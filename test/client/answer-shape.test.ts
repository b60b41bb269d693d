import { describe, expect, it } from "vitest";
import { answerShape, lengthBucket, readAnswer } from "../../src/client/answer.js";
import { getOperation } from "../../src/operations/index.js";

const statusOf = (shape: ReturnType<typeof answerShape>) =>
  Object.fromEntries(shape.paths.map((p) => [p.path, p.status]));

describe("answerShape", () => {
  it("marks each path: match, other type, missing (required), absent (optional), extra and below", () => {
    const op = getOperation("list_api_keys");
    const answer = {
      api_keys: [
        { id: "5001", name: "k", account_id: 1000, created_at: null, secret_hint: { last: "abcd" } },
        { id: 5002, name: "l", account_id: 1001 },
      ],
    };
    const shape = answerShape(op, JSON.stringify(answer));
    expect(statusOf(shape)).toEqual({
      "(answer)": "match",
      api_keys: "match",
      "api_keys[]": "match",
      "api_keys[].id": "other type",
      "api_keys[].name": "match",
      "api_keys[].account_id": "match",
      "api_keys[].created_at": "match",
      "api_keys[].secret_hint": "extra",
      "api_keys[].secret_hint.last": "extra",
      "api_keys[].status": "missing",
      "api_keys[].last_used_date": "absent",
      "api_keys[].api_key_last4": "absent",
    });
    expect(shape.paths.find((p) => p.path === "api_keys[].id")?.types).toEqual(["integer", "string"]);
    // the same walk as the tolerant reader: what it calls drift, the shape shows
    expect(readAnswer(op, JSON.stringify(answer)).drift?.paths).toEqual(
      expect.arrayContaining(["api_keys[].id: not a number", "api_keys[].secret_hint: not expected"]),
    );
  });

  it("keeps no value: keys that are not field names become <key>, lists only a length bucket", () => {
    const op = getOperation("get_emergency_emails");
    const text = JSON.stringify({
      by_id: { "10001": { "ops@example.com": true } },
      emergency_contact_emails: ["a@example.com", "b@example.com", "c@example.com"],
    });
    const shape = answerShape(op, text);
    const json = JSON.stringify(shape);
    expect(json).not.toMatch(/example\.com|10001/);
    expect(statusOf(shape)).toMatchObject({
      by_id: "extra",
      "by_id.<key>": "extra",
      "by_id.<key>.<key>": "extra",
    });
    expect(shape.paths.find((p) => p.path === "emergency_contact_emails")?.items).toEqual(["2-5"]);
  });

  it("takes a field whose contents the code does not describe as unchecked", () => {
    const shape = answerShape(getOperation("create_acme_contract"), '{"eab_set":{"kid":"k","hmac_key":"h"}}');
    expect(statusOf(shape)).toMatchObject({ eab_set: "match", "eab_set.kid": "unchecked" });
  });

  it("says when an answer is empty or not JSON", () => {
    const op = getOperation("get_account_settings");
    expect(answerShape(op, "  ")).toEqual({ body: "empty", paths: [] });
    expect(answerShape(op, "<html>secret</html>")).toEqual({ body: "not JSON", paths: [] });
  });

  it("buckets lengths", () => {
    expect([0, 1, 2, 5, 6, 20, 21, 100, 101, 1000, 1001].map(lengthBucket)).toEqual([
      "0",
      "1",
      "2-5",
      "2-5",
      "6-20",
      "6-20",
      "21-100",
      "21-100",
      "101-1000",
      "101-1000",
      ">1000",
    ]);
  });
});
