import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, connectStdio, ROOT, requireBuilt, type StdioSession } from "./helpers.js";

// The package's bin is dist/bin/cli.js, built by scripts/bundle-cli.mjs from dist/src with its dependencies
// (fix 9 in BENCHMARKS.md). These tests hold it to the module-by-module build it comes from, and show it needs
// nothing else: a copy alone in an empty directory (no dist/src, no node_modules above it) serves the same list.

const SRC_CLI = join(ROOT, "dist/src/cli.js");
const env = { LOG_LEVEL: "error" };

describe("the bundled bin (dist/bin)", () => {
  let lonely: string;
  let fromSrc: StdioSession;
  let bundled: StdioSession;
  let copied: StdioSession;

  beforeAll(async () => {
    requireBuilt();
    lonely = mkdtempSync(join(tmpdir(), "bin-alone-"));
    cpSync(dirname(CLI), join(lonely, "bin"), { recursive: true });
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(
      join(lonely, "package.json"),
      JSON.stringify({ name: pkg.name, version: pkg.version, type: "module" }),
    );
    [fromSrc, bundled, copied] = await Promise.all([
      connectStdio({ command: process.execPath, args: [SRC_CLI], env }),
      connectStdio({ command: process.execPath, args: [CLI], env }),
      connectStdio({ command: process.execPath, args: [join(lonely, "bin", "cli.js")], env, cwd: lonely }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([fromSrc, bundled, copied].map((s) => s?.close()));
    if (lonely) rmSync(lonely, { recursive: true, force: true });
  });

  it("lists exactly the tools, prompts and server version of the module-by-module build", async () => {
    expect(bundled.tools.length).toBeGreaterThan(25);
    expect(bundled.tools).toEqual(fromSrc.tools);
    expect(bundled.client.getServerVersion()).toEqual(fromSrc.client.getServerVersion());
    expect((await bundled.client.listPrompts()).prompts).toEqual(
      (await fromSrc.client.listPrompts()).prompts,
    );
  });

  it("runs alone: copied without dist/src or node_modules, it serves the same list and calls a tool", async () => {
    expect(copied.tools).toEqual(fromSrc.tools);
    expect(copied.client.getServerVersion()?.version).toBe(fromSrc.client.getServerVersion()?.version);
    const result = await copied.call("list_api_keys");
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(copied.stderr()).not.toMatch(/Cannot find (module|package)/);
  });

  it("has the tools' JSON Schemas built in, not computed at start-up", () => {
    const chunks = readdirSync(join(dirname(CLI), "chunks")).map((f) => join(dirname(CLI), "chunks", f));
    const code = [CLI, ...chunks].map((f) => readFileSync(f, "utf8")).join("\n");
    // scripts/bundle-cli.mjs replaces the placeholder with the JSON; left in place, the server would convert
    // every zod schema at start-up (the cost fix 7 removed)
    expect(code).not.toContain("__DIGICERT_MCP_EMBEDDED_SCHEMAS__");
    expect(code).toContain('\\"create_acme_contract:input\\"');
  });
});
