import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getOperation } from "../../src/operations/index.js";

// The sandbox answers with the same schemas the client parses with, so a wrong schema would be wrong on both
// sides. DigiCert's own documented examples are the independent check.
interface Example {
  source: string;
  operation: string;
  body: unknown;
}
const examples: Example[] = JSON.parse(
  readFileSync(new URL("../fixtures/documented-examples.json", import.meta.url), "utf8"),
);

describe("documented DigiCert responses parse with the catalog's response schemas", () => {
  it("has examples from every seed page with a response body", () => {
    const sources = new Set(examples.map((e) => e.source.split(" ")[0]));
    expect(sources).toEqual(expect.objectContaining({}));
    for (const seed of ["S0", "S1", "S4"]) expect(sources.has(seed)).toBe(true);
    expect(examples.filter((e) => e.source.startsWith("S1"))).toHaveLength(3);
  });

  it.each(examples.map((e) => [e.source, e] as const))("%s", (_, example) => {
    const op = getOperation(example.operation);
    expect(op.response).toBeDefined();
    const parsed = op.response?.safeParse(example.body);
    expect(parsed?.error?.issues ?? []).toEqual([]);
  });

  it("keeps fields DigiCert may add later (loose response objects)", () => {
    const op = getOperation("get_acme_contract");
    const sample = examples.find((e) => e.operation === "get_acme_contract")?.body as Record<string, unknown>;
    const parsed = op.response?.parse({ ...sample, some_future_field: 1 }) as Record<string, unknown>;
    expect(parsed.some_future_field).toBe(1);
  });

  it("rejects a contract whose id is not a number", () => {
    const op = getOperation("get_acme_contract");
    const sample = examples.find((e) => e.operation === "get_acme_contract")?.body as Record<string, unknown>;
    expect(op.response?.safeParse({ ...sample, acme_contract_id: "12345" }).success).toBe(false);
  });

  it("accepts the order_prices variant of the cost report", () => {
    const op = getOperation("get_subaccount_cost_report");
    const body = {
      subaccount_price: { cost: 10, currency: "AUD" },
      order_price: { cost: 5, currency: "EUR" },
      order_prices: [
        { cost: 3, currency: "USD" },
        { cost: 5, currency: "EUR" },
      ],
    };
    expect(op.response?.parse(body)).toEqual(body);
  });
});
