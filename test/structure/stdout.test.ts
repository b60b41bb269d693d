import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// stdout belongs to the stdio protocol: only the stdio transport (the protocol itself), the CLI's --help and
// --version and the doctor report write to it. Biome's noConsole covers console.*; this covers process.stdout. The import layers are
// enforced by Biome's noRestrictedImports overrides in biome.json.
const ROOT = new URL("../../", import.meta.url).pathname;
// the doctor command prints its report on stdout: it never serves MCP
const ALLOWED = new Set(["src/transports/stdio.ts", "src/cli.ts", "src/cli/doctor.ts"]);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("nothing in src/ writes to stdout", () => {
  it("process.stdout appears only in the stdio transport and the CLI", () => {
    const writers = files(join(ROOT, "src"))
      .filter((f) => /process\.stdout/.test(readFileSync(f, "utf8")))
      .map((f) => relative(ROOT, f));
    expect(writers.filter((f) => !ALLOWED.has(f))).toEqual([]);
    expect(writers.length).toBeGreaterThan(0);
  });
});
