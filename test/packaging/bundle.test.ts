import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { getMcpConfigForManifest, unpackExtension } from "@anthropic-ai/mcpb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../sandbox/index.js";
import { CONTRACTS_VIEW_URI } from "../../src/mcp/apps/ui.js";
import { connectStdio, type Manifest, ROOT, requireBuilt, run } from "./helpers.js";

// The .mcpb bundle, unpacked and started the way Claude Desktop does it: the manifest's mcp_config with the
// user's settings substituted by @anthropic-ai/mcpb's getMcpConfigForManifest (the code Claude Desktop
// uses), `node` on the entry point, then an MCP client over stdio.
//
// Building and unpacking a bundle takes a while, so `npm test` skips this file unless asked:
//   MCPB_BUNDLE=path.mcpb  tests that bundle (CI, scripts/ci-checks.sh: the bundle `npm run pack` builds);
//   MCPB_BUILD=1           builds one here first with scripts/build-bundle.mjs.
// The manifest's substitution rules themselves are checked on every run by manifest.test.ts.

const given = process.env.MCPB_BUNDLE;
const enabled = Boolean(given) || process.env.MCPB_BUILD === "1";
let work: string;
let unpacked: string;
let home: string;
let manifest: Manifest;
let files: string[];

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else out.push(relative(unpacked, path).split(sep).join("/"));
  }
  return out;
}

async function unpackBundle(): Promise<void> {
  work = mkdtempSync(join(tmpdir(), "mcpb-test-"));
  unpacked = join(work, "extension");
  home = join(work, "home");
  let bundle = given;
  if (!bundle) {
    requireBuilt();
    bundle = join(work, "digicert-partner-mcp.mcpb");
    await run(process.execPath, ["scripts/build-bundle.mjs", "--out", bundle], {
      timeoutMs: 90_000,
    });
  }
  expect(existsSync(bundle), bundle).toBe(true);
  mkdirSync(home);
  const ok = await unpackExtension({ mcpbPath: bundle, outputDir: unpacked, silent: true });
  expect(ok).toBe(true);
  manifest = JSON.parse(readFileSync(join(unpacked, "manifest.json"), "utf8")) as Manifest;
  files = walk(unpacked);
}

/** Starts the unpacked extension as Claude Desktop would, with these settings from its form. */
async function startLikeClaudeDesktop(userConfig: Record<string, string | boolean>) {
  const config = await getMcpConfigForManifest({
    manifest: manifest as unknown as Parameters<typeof getMcpConfigForManifest>[0]["manifest"],
    extensionPath: unpacked,
    systemDirs: { HOME: home, DESKTOP: join(home, "Desktop"), DOCUMENTS: join(home, "Documents") },
    userConfig,
    pathSeparator: sep,
  });
  if (!config) throw new Error("no MCP config for the manifest");
  expect(config.command).toBe("node");
  for (const value of Object.values(config.env ?? {})) expect(value).not.toContain("${");
  return connectStdio({
    // Claude Desktop runs `node` (its own or the system's); here, the Node running the tests.
    command: process.execPath,
    args: config.args ?? [],
    // Like Claude Desktop: the working directory is not the extension's, and HOME is the user's.
    env: { ...(config.env ?? {}), HOME: home },
    cwd: work,
  });
}

describe.runIf(enabled)("MCP Bundle (.mcpb)", () => {
  beforeAll(unpackBundle, 120_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("holds the manifest, the bundled server, its third-party licences and its documents", () => {
    expect(manifest).toEqual(JSON.parse(readFileSync(join(ROOT, "manifest.json"), "utf8")));
    for (const file of [
      "manifest.json",
      "package.json",
      "LICENSE",
      "README.md",
      "dist/bin/cli.js",
      "dist/bin/THIRD_PARTY_LICENSES.md",
    ]) {
      expect(files, file).toContain(file);
    }
    expect(files).toContain(manifest.server.entry_point);
    expect(files.some((f) => f.startsWith("dist/bin/chunks/"))).toBe(true);
    const pkg = JSON.parse(readFileSync(join(unpacked, "package.json"), "utf8")) as Record<string, unknown>;
    expect(pkg.type).toBe("module");
    expect(pkg.devDependencies).toBeUndefined();
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.scripts).toBeUndefined();
  });

  it("is self-contained: no node_modules, and the licences name the runtime dependencies it bundles, no dev tool", () => {
    expect(files.filter((f) => f.includes("node_modules/"))).toEqual([]);
    expect(files.filter((f) => f.startsWith("dist/") && !f.startsWith("dist/bin/"))).toEqual([]);
    const licences = readFileSync(join(unpacked, "dist/bin/THIRD_PARTY_LICENSES.md"), "utf8");
    const bundled = [...licences.matchAll(/^## (\S+) /gm)].map((m) => m[1]);
    for (const dep of ["@modelcontextprotocol/sdk", "zod", "pino", "undici"])
      expect(bundled, dep).toContain(dep);
    for (const dev of [
      "vitest",
      "typescript",
      "@anthropic-ai/mcpb",
      "fast-check",
      "gpt-tokenizer",
      "rolldown",
      "@modelcontextprotocol/ext-apps",
      "playwright-core",
    ]) {
      expect(bundled, dev).not.toContain(dev);
    }
  });

  it("leaves out tests, TypeScript sources, source maps, lock files and secrets", () => {
    const bad = files.filter((f) =>
      [
        /^(test|src|sandbox|scripts|conformance|docs|bench|\.ci)\//,
        /\.(ts|mts|cts|map)$/,
        /(^|\/)package-lock\.json$/,
        /(^|\/)\.package-lock\.json$/,
        /(^|\/)\.env/,
        /\.(pem|key|mcpb|tgz)$/,
      ].some((re) => re.test(f)),
    );
    expect(bad).toEqual([]);
  });

  it("starts like Claude Desktop with every setting blank: sandbox, the manifest's tools, a read-only call works", async () => {
    const session = await startLikeClaudeDesktop({});
    try {
      expect(session.tools.map((t) => t.name)).toEqual(manifest.tools.map((t) => t.name));
      expect(session.stderr()).toContain("sandbox");
      const result = await session.call("list_api_keys");
      expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
      // the contracts view's page, embedded in dist/bin by the build (the bundle has no dist/src)
      const view = await session.client.readResource({ uri: CONTRACTS_VIEW_URI });
      const page = view.contents[0] as { mimeType?: string; text?: string } | undefined;
      expect(page?.mimeType).toBe("text/html;profile=mcp-app");
      expect(String(page?.text)).toMatch(/^<!doctype html>[\s\S]*ACME contracts/i);
    } finally {
      await session.close();
    }
  });

  it("honours the read-only and toolsets settings", async () => {
    const session = await startLikeClaudeDesktop({ read_only: true, toolsets: "acme" });
    try {
      expect(session.tools.length).toBeGreaterThan(0);
      expect(session.tools.length).toBeLessThan(manifest.tools.length);
      for (const tool of session.tools) expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
    } finally {
      await session.close();
    }
  });

  describe("with keys and a base URL from the settings", () => {
    let upstream: Sandbox;
    beforeAll(async () => {
      // A separate emulator of the DigiCert API stands in for www.digicert.com.
      upstream = await startSandbox();
    });
    afterAll(async () => {
      await upstream.close();
    });

    it("uses them instead of the built-in sandbox", async () => {
      const firstSub = Object.values(upstream.keys.subaccounts)[0];
      const session = await startLikeClaudeDesktop({
        partner_api_key: upstream.keys.parent,
        subaccount_api_key: firstSub ?? "",
        base_url: upstream.url,
      });
      try {
        expect(session.stderr()).not.toContain("built-in sandbox");
        const result = await session.call("list_api_keys");
        expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
        expect(upstream.stats.count("list_api_keys")).toBeGreaterThan(0);
      } finally {
        await session.close();
      }
    });
  });
});
