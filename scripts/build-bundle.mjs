#!/usr/bin/env node
// Builds the MCP Bundle (.mcpb) for Claude Desktop from the built server (run `npm run build` first;
// `npm run pack` does both).
//
// 1. Stages, in a temporary directory, what the bundle runs: dist/bin (the self-contained server that
//    scripts/bundle-cli.mjs builds, dependencies included, with THIRD_PARTY_LICENSES.md), manifest.json, a
//    package.json reduced to what Node and the server read (name, version, "type": "module"), README.md,
//    LICENSE, CHANGELOG.md and .mcpbignore. No node_modules: nothing to install, nothing fetched.
// 2. Runs `mcpb pack <staging dir> <out>`, which validates manifest.json and honours .mcpbignore.
//
// Usage: node scripts/build-bundle.mjs [--out FILE] [--keep-stage DIR]
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function option(name) {
  const prefix = `--${name}=`;
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${name}`) return argv[i + 1];
    if (argv[i]?.startsWith(prefix)) return argv[i].slice(prefix.length);
  }
  return undefined;
}

/** Runs a command, returning stdout; on failure throws with its output. */
function run(command, args, cwd) {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    const out = `${err.stdout ?? ""}${err.stderr ?? ""}`;
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${out}`);
  }
}

/** What Node needs (`type` for dist/bin's ESM) and the server reads (name and version), and what a reader expects. */
function stagePackageJson(stage) {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const keep = ["name", "version", "description", "license", "author", "type", "engines"];
  const runtime = Object.fromEntries(keep.filter((k) => pkg[k] !== undefined).map((k) => [k, pkg[k]]));
  writeFileSync(join(stage, "package.json"), `${JSON.stringify(runtime, null, 2)}\n`);
}

function main() {
  for (const required of ["dist/bin/cli.js", "manifest.json", "package.json"]) {
    if (!existsSync(join(root, required))) {
      throw new Error(
        `${required} not found${required.startsWith("dist") ? ": run `npm run build` first" : ""}`,
      );
    }
  }
  const manifest = JSON.parse(readFileSync(join(root, "manifest.json"), "utf8"));
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  if (manifest.version !== pkg.version) {
    throw new Error(
      `manifest.json version ${manifest.version} differs from package.json ${pkg.version}: run scripts/generate-manifest.mjs`,
    );
  }
  const out = resolve(option("out") ?? join(root, `${pkg.name}-${pkg.version}.mcpb`));
  const keep = option("keep-stage");
  const stage = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), "mcpb-stage-"));
  if (keep) {
    rmSync(stage, { recursive: true, force: true });
    mkdirSync(stage, { recursive: true });
  }
  const started = Date.now();
  try {
    cpSync(join(root, "dist", "bin"), join(stage, "dist", "bin"), { recursive: true });
    cpSync(join(root, "manifest.json"), join(stage, "manifest.json"));
    for (const file of ["README.md", "LICENSE", "CHANGELOG.md", ".mcpbignore"]) {
      if (existsSync(join(root, file))) cpSync(join(root, file), join(stage, file));
      else console.warn(`warning: ${file} not found, not bundled`);
    }
    stagePackageJson(stage);
    mkdirSync(dirname(out), { recursive: true });
    rmSync(out, { force: true });
    const mcpb = join(root, "node_modules", "@anthropic-ai", "mcpb", "dist", "cli", "cli.js");
    const packed = run(process.execPath, [mcpb, "pack", stage, out], root);
    const summary = packed
      .split("\n")
      .filter((line) =>
        /Archive Details|name:|version:|package size|unpacked size|total files|ignored/i.test(line),
      );
    console.log(summary.join("\n"));
    if (!existsSync(out)) throw new Error(`mcpb pack did not write ${out}:\n${packed}`);
    console.log(
      `${relative(process.cwd(), out) || out}: ${(statSync(out).size / 1024 / 1024).toFixed(1)} MB, built in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    if (!keep) rmSync(stage, { recursive: true, force: true });
  }
}

try {
  main();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
