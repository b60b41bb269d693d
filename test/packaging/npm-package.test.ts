import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, requireBuilt, run } from "./helpers.js";

// What `npm publish` would ship, from `npm pack --dry-run` (no registry involved). Installing the tarball
// and running `npx digicert-partner-mcp --version` from it is scripts/check-package.mjs (a CI step).

interface PackFile {
  path: string;
  size: number;
}
interface PackResult {
  name: string;
  version: string;
  files: PackFile[];
  unpackedSize: number;
}

interface PackageJson {
  name: string;
  version: string;
  type: string;
  bin: Record<string, string>;
  types: string;
  exports: Record<string, string | { types: string; default: string }>;
  files: string[];
  engines: { node: string };
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as PackageJson;
let packed: PackResult;
let paths: Set<string>;

beforeAll(async () => {
  requireBuilt();
  const out = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"]);
  packed = (JSON.parse(out) as PackResult[])[0] as PackResult;
  paths = new Set(packed.files.map((f) => f.path));
});

const strip = (p: string) => p.replace(/^\.\//, "");

describe("npm package contents", () => {
  it("builds before packing, so `npm pack` from a clean clone ships dist/ (checked for real by check-package.mjs)", () => {
    expect(pkg.scripts.prepack).toBe("npm run build");
    expect(pkg.scripts.build).toMatch(/^tsc -p tsconfig\.json && .*bundle-cli\.mjs$/);
  });

  it("is the package described by package.json", () => {
    expect(packed.name).toBe(pkg.name);
    expect(packed.version).toBe(pkg.version);
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.type).toBe("module");
  });

  it("contains what running needs: the bin, the sandbox, the manifest, README, LICENSE, CHANGELOG", () => {
    for (const file of [
      "package.json",
      "README.md",
      "LICENSE",
      "CHANGELOG.md",
      "manifest.json",
      "dist/bin/cli.js",
      "dist/bin/THIRD_PARTY_LICENSES.md",
      "dist/src/cli.js",
      "dist/src/config.js",
      "dist/src/version.js",
      "dist/sandbox/index.js",
      "dist/sandbox/cli.js",
    ]) {
      expect(paths, file).toContain(file);
    }
  });

  it("ships every module the built code imports (relative imports resolve inside the package)", () => {
    const missing: string[] = [];
    for (const file of paths) {
      if (!file.endsWith(".js")) continue;
      const code = readFileSync(join(ROOT, file), "utf8");
      for (const m of code.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
        const target = join(file, "..", m[1] as string);
        if (!paths.has(target)) missing.push(`${file} → ${target}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("points bin, exports and types at shipped files", () => {
    const targets = [...Object.values(pkg.bin), pkg.types];
    for (const entry of Object.values(pkg.exports)) {
      if (typeof entry === "string") targets.push(entry);
      else targets.push(entry.types, entry.default);
    }
    for (const target of targets) expect(paths, target).toContain(strip(target));
    const bin = readFileSync(join(ROOT, pkg.bin[pkg.name] as string), "utf8");
    expect(bin.startsWith("#!/usr/bin/env node")).toBe(true);
  });

  it("ships the tools' precomputed JSON Schemas (written by the build next to the built code)", () => {
    expect(paths).toContain("dist/src/mcp/precomputed-schemas.json");
  });

  it("ships the contracts view's page (an MCP App, built into one HTML file next to the code that serves it)", () => {
    expect(paths).toContain("dist/src/mcp/apps/contracts-view.html");
  });

  it("has no tests, sources, CI files, secrets, source maps or build artefacts", () => {
    const forbidden = [
      /^test\//,
      /^scripts\//,
      /^src\//,
      /^sandbox\//,
      /^bench\//,
      /^conformance\//,
      /^docs\//,
      /^\.ci\//,
      /^dist\/test\//,
      /(^|\/)node_modules\//,
      /\.test\.(js|ts|d\.ts)$/,
      /\.map$/,
      /(^|\/)\.env/,
      /(^|\/)\.npmrc$/,
      /\.(pem|key|p12|pfx|crt)$/,
      /\.(mcpb|tgz)$/,
      /^(tsconfig|vitest\.config|biome)\./,
      /^package-lock\.json$/,
      /^\.mcpbignore$/,
    ];
    const bad = [...paths].filter((p) => forbidden.some((re) => re.test(p)));
    expect(bad).toEqual([]);
    // Only compiled output and the few top-level documents.
    const topLevel = [...paths].filter((p) => !p.startsWith("dist/"));
    expect(topLevel.sort()).toEqual(
      ["CHANGELOG.md", "LICENSE", "README.md", "manifest.json", "package.json"].sort(),
    );
  });

  it("stays small", () => {
    expect(packed.unpackedSize).toBeLessThan(5 * 1024 * 1024);
  });

  it("declares the licence and Node version the bundle and README promise", () => {
    const license = readFileSync(join(ROOT, "LICENSE"), "utf8");
    expect(license).toMatch(/^MIT License/);
    expect(license).toContain("digicert-partner-mcp contributors");
    expect(pkg.engines.node).toBe(">=20.18");
  });
});
