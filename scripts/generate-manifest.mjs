#!/usr/bin/env node
// Rewrites the generated parts of manifest.json (the MCP Bundle manifest for Claude Desktop):
//   - `version`, from package.json;
//   - `tools`, from what the built server answers to `tools/list` (name and description, in that order).
// Everything else in manifest.json is written by hand.
//
// The server is started the way Claude Desktop starts the bundle: `node dist/bin/cli.js` over stdio with no
// DigiCert key and no MCP_* setting, so it runs on the built-in sandbox with its default tool selection
// (all toolsets, not read-only): the full list a user can get.
//
// Usage (after `npm run build`):
//   node scripts/generate-manifest.mjs           rewrite manifest.json
//   node scripts/generate-manifest.mjs --check   exit 1 if manifest.json is out of date (CI)
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const manifestPath = join(root, "manifest.json");
/** The package's `bin` (dist/bin/cli.js), which the manifest's entry point must name too. */
const cliPath = join(
  root,
  JSON.parse(readFileSync(join(root, "package.json"), "utf8")).bin["digicert-partner-mcp"],
);

/**
 * Starts the built server over stdio with a clean environment and returns its tools/list answer and
 * whether it offers prompts (the manifest lists tools; prompts are only flagged with `prompts_generated`).
 */
export async function listServer(entry = cliPath, cwd = root) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [entry],
    cwd,
    // Only the SDK's default inherited variables (PATH, HOME, …) plus these: no DigiCert key, so the sandbox.
    env: { LOG_LEVEL: "error" },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const client = new Client({ name: "generate-manifest", version: "0.0.0" });
  try {
    await client.connect(transport);
    const tools = [];
    let cursor;
    do {
      const page = await client.listTools(cursor ? { cursor } : {});
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    const prompts = client.getServerCapabilities()?.prompts ? (await client.listPrompts()).prompts : [];
    return { tools, prompts };
  } catch (err) {
    throw new Error(
      `could not list the server's tools: ${err instanceof Error ? err.message : err}\n${stderr}`,
    );
  } finally {
    await client.close().catch(() => {});
  }
}

/** The manifest's entry for one tool: its name and its description as the server gives it. */
export function manifestTool(tool) {
  return { name: tool.name, description: tool.description ?? tool.title ?? tool.name };
}

/** Same content, whatever the formatting (the file is formatted by Biome). */
function sameJson(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function main() {
  const check = process.argv.includes("--check");
  if (!existsSync(cliPath)) {
    console.error(`${cliPath} not found: run \`npm run build\` first`);
    process.exit(2);
  }
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const current = readFileSync(manifestPath, "utf8");
  const manifest = JSON.parse(current);
  const listed = await listServer();
  const tools = listed.tools.map(manifestTool);
  if (tools.length === 0) throw new Error("the server listed no tools");
  manifest.version = pkg.version;
  manifest.tools = tools;
  if (listed.prompts.length > 0) manifest.prompts_generated = true;
  else delete manifest.prompts_generated;
  const before = JSON.parse(current);
  if (check) {
    if (!sameJson(manifest, before)) {
      console.error(
        "manifest.json is out of date with package.json or the server's tools/list: run `npm run build && node scripts/generate-manifest.mjs`",
      );
      process.exit(1);
    }
    console.log(`manifest.json is up to date (${tools.length} tools, version ${pkg.version})`);
    return;
  }
  if (sameJson(manifest, before)) console.log(`manifest.json unchanged (${tools.length} tools)`);
  else {
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    const biome = join(root, "node_modules", ".bin", "biome");
    if (existsSync(biome)) execFileSync(biome, ["format", "--write", manifestPath], { stdio: "ignore" });
    console.log(`manifest.json written (${tools.length} tools, version ${pkg.version})`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
