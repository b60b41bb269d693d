import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compactInputJsonSchema, compactOutputJsonSchema } from "../../src/mcp/json-schema.js";

describe("compact JSON Schemas", () => {
  it("result schemas: a union of bare types becomes a type list, other unions stay, no additionalProperties", () => {
    const json = compactOutputJsonSchema(
      z.object({
        nullableObject: z.object({ x: z.string() }).nullable(),
        nullableString: z.string().nullable(),
        other: z.union([z.string(), z.number().min(1)]),
      }),
      1,
    );
    expect(json).toEqual({
      type: "object",
      properties: {
        nullableObject: { type: ["object", "null"] },
        nullableString: { type: ["string", "null"] },
        other: { anyOf: [{ type: "string" }, { type: "number", minimum: 1 }] },
      },
      required: ["nullableObject", "nullableString", "other"],
    });
  });

  it("argument schemas keep additionalProperties:false at the top, and a union whose branch has fields", () => {
    const json = compactInputJsonSchema(z.strictObject({ a: z.object({ x: z.string() }).nullable() }));
    expect(json.additionalProperties).toBe(false);
    expect((json.properties as Record<string, unknown>).a).toEqual({
      anyOf: [{ type: "object", properties: { x: { type: "string" } }, required: ["x"] }, { type: "null" }],
    });
  });
});
