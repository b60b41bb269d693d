import { z } from "zod";

/**
 * A zod schema built on first use instead of at import. Building the catalog's schemas (its entities and
 * primitives and the per-operation inputs and answers) at import was ~16 ms of every server start
 * (BENCHMARKS.md, issue 16), though a start lists the tools from precomputed JSON Schemas and a call needs only
 * its own operation's schemas.
 *
 * The object returned is the schema itself, initialised late: it starts empty, with a prototype that traps the
 * first property read, `in` or assignment (`schema.parse`, `schema.shape`, `.optional()`, zod reading `_zod`
 * when another schema holds it…). Then `build()` runs once and its result's definition is installed on this
 * object, exactly as zod's own `clone()` makes a schema from a definition (`new constr(def)`), with the result's
 * parent and registry metadata (`.describe()`). So the object is a zod schema of the same class, checks and
 * metadata as `build()`'s, and identity holds: zod's JSON Schema conversion and caches keyed by schema see one
 * object, not a wrapper. The type is the schema's own, so `z.infer`, callers and the sandbox use it as before.
 * Only listing its own keys (`Object.keys`) before any other use would see an empty object; zod never does.
 */
export function lazy<T extends z.ZodType>(build: () => T): T {
  const schema = Object.create(null) as T & Record<PropertyKey, unknown>;
  let building = false;
  const materialise = (): void => {
    if (Object.getPrototypeOf(schema) !== trap) return;
    if (building) throw new Error("a lazy schema was used while it was being built");
    building = true;
    let from: z.ZodType;
    try {
      from = build() as unknown as z.ZodType;
    } finally {
      building = false;
    }
    const internals = from._zod as unknown as {
      constr: (this: unknown, def: unknown) => unknown;
      def: unknown;
      parent?: unknown;
    };
    Object.setPrototypeOf(schema, Object.getPrototypeOf(from));
    internals.constr.call(schema, internals.def);
    if (internals.parent) (schema._zod as unknown as { parent: unknown }).parent = internals.parent;
    const meta = z.globalRegistry._map.get(from);
    if (meta) {
      z.globalRegistry.remove(from);
      z.globalRegistry.add(schema, meta);
    }
  };
  const trap: object = new Proxy(Object.create(null), {
    get: (_, key) => {
      materialise();
      return Reflect.get(schema, key);
    },
    has: (_, key) => {
      materialise();
      return Reflect.has(schema, key);
    },
    set: (_, key, value) => {
      materialise();
      return Reflect.set(schema, key, value);
    },
    getPrototypeOf: () => {
      materialise();
      return Object.getPrototypeOf(schema);
    },
  });
  Object.setPrototypeOf(schema, trap);
  return schema;
}
