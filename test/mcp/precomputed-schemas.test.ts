import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  PRECOMPUTED_FILE,
  type PrecomputedFile,
  schemaFingerprint,
} from "../../src/mcp/precomputed-schemas.js";
import { collectSchemaJson } from "../../src/mcp/schema-precompute.js";
import { ensureBuilt, ROOT } from "../cli/child.js";

// The build writes the tools' advertised JSON Schemas next to the built code (scripts/precompute-schemas.mjs)
// and the server reads them instead of converting its zod schemas at start-up. They must never drift from
// what the code computes, and the built server must accept the file (its fingerprint matches the build).
describe("precomputed tool schemas (build step)", () => {
  const srcDir = join(ROOT, "dist", "src");
  let file: PrecomputedFile;

  beforeAll(async () => {
    await ensureBuilt();
    file = JSON.parse(readFileSync(join(srcDir, "mcp", PRECOMPUTED_FILE), "utf8")) as PrecomputedFile;
  }, 180_000);

  it("holds exactly what the code computes, for every tool and confirmation setting", () => {
    const computed = collectSchemaJson();
    expect(Object.keys(computed).length).toBeGreaterThanOrEqual(60);
    expect(JSON.stringify(file.schemas)).toBe(JSON.stringify(computed));
  });

  it("is fingerprinted with the built code it sits next to, so the server uses it", () => {
    expect(file.fingerprint).toBe(schemaFingerprint(srcDir));
  });
});
