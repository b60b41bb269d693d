import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The import layers (docs/architecture.md) are Biome noRestrictedImports overrides in biome.json. This runs the
// real biome.json over probe files laid out like the repository, in a temporary directory (so no probe ever
// sits in src/ while other tests read it): each forbidden import must be reported with its layer's message,
// and the allowed ones not at all.
const ROOT = new URL("../../", import.meta.url).pathname;

/** [file, import, what the message must say] */
const FORBIDDEN: [string, string, RegExp][] = [
  ["src/schemas/p1.ts", "../operations/index.js", /src\/schemas is the bottom layer/],
  ["src/operations/p2.ts", "../client/client.js", /catalog \(src\/operations\) imports only src\/schemas/],
  ["src/operations/p3.ts", "../mcp/index.js", /catalog/],
  ["src/client/p4.ts", "../mcp/index.js", /API client never imports the MCP layer/],
  ["src/client/p5.ts", "../transports/http.js", /API client never imports/],
  ["src/mcp/p6.ts", "../transports/http.js", /MCP layer knows no transport/],
  ["src/mcp/p7.ts", "@modelcontextprotocol/sdk/server/mcp.js", /only in src\/sdk/],
  ["src/reporting/p8.ts", "../client/client.js", /src\/reporting is pure/],
  ["sandbox/p9.ts", "../src/client/client.js", /sandbox stands apart/],
  ["sandbox/p10.ts", "../src/mcp/index.js", /sandbox stands apart/],
  ["sandbox/handlers/p11.ts", "../../src/client/client.js", /sandbox stands apart/],
];
const ALLOWED: [string, string][] = [
  ["src/operations/ok1.ts", "../schemas/primitives.js"],
  ["src/client/ok2.ts", "../operations/index.js"],
  ["sandbox/ok3.ts", "../src/operations/index.js"],
  ["sandbox/handlers/ok4.ts", "../../src/schemas/primitives.js"],
  ["src/sdk/ok5.ts", "@modelcontextprotocol/sdk/server/mcp.js"],
];

interface Diagnostic {
  category: string;
  message: string;
  location: { path: string };
}

describe("import layers (biome.json)", () => {
  let dir: string;
  let diagnostics: Diagnostic[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "dc-layers-"));
    const config = JSON.parse(readFileSync(join(ROOT, "biome.json"), "utf8"));
    config.$schema = undefined;
    config.vcs = { enabled: false };
    config.files = { includes: ["**"] };
    writeFileSync(join(dir, "biome.json"), JSON.stringify(config));
    for (const [file, spec] of [...FORBIDDEN, ...ALLOWED]) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), `import ${JSON.stringify(spec)};\n`);
    }
    let out: string;
    try {
      out = execFileSync(join(ROOT, "node_modules/.bin/biome"), ["lint", "--reporter=json", "."], {
        cwd: dir,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (error) {
      // errors found: biome exits 1, the report is still on stdout
      out = (error as { stdout: string }).stdout;
    }
    const line = out.split("\n").find((l) => l.startsWith("{"));
    if (!line) throw new Error(`biome printed no JSON report: ${out}`);
    diagnostics = (JSON.parse(line) as { diagnostics: Diagnostic[] }).diagnostics.filter(
      (d) => d.category === "lint/style/noRestrictedImports",
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(FORBIDDEN)("%s may not import %s", (file, _spec, message) => {
    const found = diagnostics.filter((d) => d.location.path === file);
    expect(found, `${file}: no noRestrictedImports diagnostic`).toHaveLength(1);
    expect(found[0]?.message).toMatch(message);
  });

  it.each(ALLOWED)("%s may import %s", (file) => {
    expect(diagnostics.filter((d) => d.location.path === file)).toEqual([]);
  });
});
