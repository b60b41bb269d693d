#!/usr/bin/env node
// Checks the npm package as a user gets it (run `npm run build` first, for the comparison with manifest.json):
//   1. `npm pack` from a clean copy of the repository (the files git tracks, no dist/): the prepack script must
//      build what the package ships;
//   2. installs the tarball into an empty project there (production dependencies from the registry);
//   3. `npx digicert-partner-mcp --version` prints package.json's version;
//   4. the installed bin serves MCP over stdio on its sandbox (initialize + tools/list);
//   5. the package's exports resolve (`import "digicert-partner-mcp"` and `…/sandbox`);
//   6. the installed server on Node 22 and 24 (scripts/install-node22.sh, install-node24.sh; skipped with a
//      note when not installed): initialize, tools/list, one read call. A smoke run, not the whole suite.
// The list of files in the tarball is checked by test/packaging/npm-package.test.ts (`npm pack --dry-run`).
import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { cleanEnv, cliPath, node22, node24, root } from "./lib/servers.mjs";

const started = Date.now();
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const work = mkdtempSync(join(tmpdir(), "npm-package-check-"));
const keep = process.argv.includes("--keep");

function sh(command, args, cwd, env = cleanEnv()) {
  try {
    return execFileSync(command, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (err) {
    throw new Error(`${command} ${args.join(" ")} failed:\n${err.stdout ?? ""}${err.stderr ?? ""}`);
  }
}

function step(text) {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${text}`);
}

if (!existsSync(cliPath)) {
  console.error(`${cliPath} not found: run \`npm run build\` first`);
  process.exit(2);
}

/**
 * A clean clone without the network: every file git tracks (as in the work tree), no dist/, no .tmp/; the
 * dependencies linked from this checkout (what `npm ci` would install).
 */
function cleanCopy(dir) {
  const tracked = sh("git", ["ls-files", "-z", "--cached"], root).split("\0").filter(Boolean);
  for (const file of tracked) {
    if (!existsSync(join(root, file))) continue; // deleted in the work tree
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(root, file), join(dir, file));
  }
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
  return tracked.length;
}

/** initialize + tools/list + one read call against the installed server, run by `node`. */
async function smoke(node, bin, cwd) {
  const transport = new StdioClientTransport({
    command: node,
    args: [bin],
    cwd,
    env: { LOG_LEVEL: "error", PATH: process.env.PATH ?? "" },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const client = new Client({ name: "check-package", version: "0.0.0" });
  try {
    await client.connect(transport);
    const { tools } = await client.listTools();
    const result = await client.callTool({ name: "list_api_keys", arguments: {} });
    if (result.isError) throw new Error(`list_api_keys failed: ${JSON.stringify(result.content)}`);
    return `${client.getServerVersion()?.version}, ${tools.length} tools, list_api_keys ok`;
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : err}\n${stderr}`);
  } finally {
    await client.close().catch(() => {});
  }
}

let failed = false;
try {
  const clone = join(work, "clone");
  mkdirSync(clone);
  const count = cleanCopy(clone);
  step(`clean copy: ${count} tracked files, no dist/`);
  const packed = JSON.parse(sh("npm", ["pack", "--json", "--pack-destination", work], clone));
  const shipped = new Set(packed[0].files.map((f) => f.path));
  for (const file of ["dist/bin/cli.js", "dist/src/mcp/index.js", "dist/sandbox/index.js", "manifest.json"]) {
    if (!shipped.has(file)) throw new Error(`npm pack from a clean copy lacks ${file}: is prepack building?`);
  }
  const tarball = join(work, packed[0].filename);
  step(
    `packed ${packed[0].filename}: ${packed[0].entryCount} files, ${(packed[0].size / 1024).toFixed(0)} kB`,
  );

  const project = join(work, "project");
  mkdirSync(project);
  writeFileSync(
    join(project, "package.json"),
    `${JSON.stringify({ name: "check-install", version: "0.0.0", private: true, type: "module" })}\n`,
  );
  sh("npm", ["install", tarball, "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error"], project);
  step("installed the tarball into an empty project");

  const version = sh("npx", ["--no-install", pkg.name, "--version"], project).trim();
  if (version !== pkg.version)
    throw new Error(`npx ${pkg.name} --version printed ${JSON.stringify(version)}`);
  step(`npx ${pkg.name} --version → ${version}`);

  const bin = join(project, "node_modules", ".bin", pkg.name);
  const transport = new StdioClientTransport({
    command: bin,
    args: [],
    cwd: project,
    env: { LOG_LEVEL: "error" },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const client = new Client({ name: "check-package", version: "0.0.0" });
  try {
    await client.connect(transport);
    const { tools } = await client.listTools();
    if (tools.length === 0) throw new Error("the installed server listed no tools");
    const manifest = JSON.parse(readFileSync(join(root, "manifest.json"), "utf8"));
    const expected = manifest.tools.map((t) => t.name).join(",");
    const got = tools.map((t) => t.name).join(",");
    if (expected !== got)
      throw new Error(`installed server's tools differ from manifest.json:\n${got}\n${expected}`);
    step(`installed bin over stdio: initialize + tools/list → ${tools.length} tools (as in manifest.json)`);
    const viewUri = tools.find((t) => t.name === "view_contracts")?._meta?.ui?.resourceUri;
    const view = viewUri && (await client.readResource({ uri: viewUri })).contents[0];
    if (view?.mimeType !== "text/html;profile=mcp-app" || !/^<!doctype html>/i.test(view.text ?? "")) {
      throw new Error(`the installed server did not serve the contracts view (${viewUri})`);
    }
    step(`installed bin: the contracts view ${viewUri} (${Math.round(view.text.length / 1024)} KiB of HTML)`);
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : err}\n${stderr}`);
  } finally {
    await client.close().catch(() => {});
  }

  const probe = [
    `const main = await import(${JSON.stringify(pkg.name)});`,
    `const sandbox = await import(${JSON.stringify(`${pkg.name}/sandbox`)});`,
    `const version = (await import(${JSON.stringify(`${pkg.name}/package.json`)}, { with: { type: "json" } })).default.version;`,
    "console.log(JSON.stringify({ main: Object.keys(main).sort(), sandbox: Object.keys(sandbox).sort(), version }));",
  ].join("\n");
  writeFileSync(join(project, "probe.mjs"), probe);
  const exportsSeen = JSON.parse(sh(process.execPath, ["probe.mjs"], project));
  for (const name of ["createMcpServer", "DigiCertClient", "createLogger", "OPERATIONS"]) {
    if (!exportsSeen.main.includes(name)) {
      throw new Error(`import "${pkg.name}" lacks ${name}: ${exportsSeen.main.join(", ")}`);
    }
  }
  if (!exportsSeen.sandbox.includes("startSandbox")) {
    throw new Error(`import "${pkg.name}/sandbox" lacks startSandbox: ${exportsSeen.sandbox.join(", ")}`);
  }
  step(`exports resolve: "${pkg.name}" (${exportsSeen.main.join(", ")}), "${pkg.name}/sandbox"`);

  const installedBin = join(project, "node_modules", pkg.name, pkg.bin[pkg.name]);
  for (const [name, node] of [
    ["Node 22", node22],
    ["Node 24", node24],
  ]) {
    if (!existsSync(node)) {
      step(`${name}: not installed (bash scripts/install-node${name.slice(5)}.sh), skipped`);
      continue;
    }
    const version = sh(node, ["--version"], project).trim();
    step(`${name} (${version}): ${await smoke(node, installedBin, project)}`);
  }
  step("npm package check passed");
} catch (err) {
  failed = true;
  console.error(err instanceof Error ? err.message : err);
} finally {
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
