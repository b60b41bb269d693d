import { describe, expect, it } from "vitest";
import { z } from "zod";
import { lazy } from "../../src/schemas/lazy.js";

describe("lazy schemas", () => {
  it("builds on first use, once", () => {
    let builds = 0;
    const schema = lazy(() => {
      builds++;
      return z.string().min(2);
    });
    expect(builds).toBe(0);
    expect(schema.safeParse("ab").success).toBe(true);
    expect(schema.safeParse("a").success).toBe(false);
    expect(builds).toBe(1);
    expect(schema instanceof z.ZodString).toBe(true);
  });

  it("is the schema itself inside other schemas: same JSON Schema, descriptions and parse as an eager one", () => {
    const make = () => z.looseObject({ id: z.number().int(), name: z.string().describe("the name") });
    const eagerItem = make();
    const lazyItem = lazy(make);
    const wrap = (item: z.ZodType) =>
      z.strictObject({ one: item, many: z.array(item), pipe: item.optional().describe("maybe") });
    expect(z.toJSONSchema(wrap(lazyItem))).toEqual(z.toJSONSchema(wrap(eagerItem)));
    const value = { one: { id: 1, name: "a", x: 1 }, many: [{ id: 2, name: "b" }] };
    expect(wrap(lazyItem).parse(value)).toEqual(wrap(eagerItem).parse(value));
    expect(wrap(lazyItem).safeParse({ one: { id: 1.5, name: "a" }, many: [] }).error?.issues).toEqual(
      wrap(eagerItem).safeParse({ one: { id: 1.5, name: "a" }, many: [] }).error?.issues,
    );
  });

  it("keeps the metadata of what it built", () => {
    const schema = lazy(() => z.string().describe("described inside"));
    expect(z.toJSONSchema(z.object({ s: schema })).properties).toEqual({
      s: { type: "string", description: "described inside" },
    });
    expect(schema.description).toBe("described inside");
  });

  it("refuses to be used while it is built, then builds once the cause is gone", () => {
    let touchSelf = true;
    const schema: z.ZodString = lazy(() => {
      if (touchSelf) schema.optional();
      return z.string();
    });
    expect(() => schema.parse("x")).toThrow("a lazy schema was used while it was being built");
    touchSelf = false;
    expect(schema.parse("x")).toBe("x");
  });
});
