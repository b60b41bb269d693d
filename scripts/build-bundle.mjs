#!/usr/bin/env node
// Builds the MCP Bundle (.mcpb) for Claude Desktop from the compiled server (run `npm run build` first;
// `npm run pack` does both).
//
// 1. Stages, in a temporary directory, what the bundle runs: dist/src and dist/sandbox (JavaScript only),
//    manifest.json, a package.json without dev dependencies or scripts, README.md, LICENSE, CHANGELOG.md and
//    .mcpbignore.
// 2. Adds the production dependencies only:
//      --deps=install (default)  `npm install --omit=dev --ignore-scripts` in the staging directory, pinned
//                                by a copy of package-lock.json (needs the npm registry);
//      --deps=copy               copies the production dependency tree (`npm ls --omit=dev --all`) from this
//                                checkout's node_modules: offline and fast, the same tree for the same lockfile.
// 3. Runs `mcpb pack <staging dir> <out>`, which validates manifest.json and honours .mcpbignore.
//
// Usage: node scripts/build-bundle.mjs [--deps=install|copy] [--out FILE] [--keep-stage DIR]
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
import { dirname, join, relative, resolve, sep } from "node:path";
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

/** Copies compiled JavaScript (no declarations, no source maps). */
function copyJs(from, to) {
  cpSync(from, to, {
    recursive: true,
    filter: (src) => statSync(src).isDirectory() || !/\.(d\.ts|d\.ts\.map|js\.map|tsbuildinfo)$/.test(src),
  });
}

function stagePackageJson(stage) {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const { devDependencies: _dev, scripts: _scripts, ...runtime } = pkg;
  writeFileSync(join(stage, "package.json"), `${JSON.stringify(runtime, null, 2)}\n`);
  return pkg;
}

function installDependencies(stage) {
  // The lockfile pins the versions; npm prunes the dev dependencies package.json no longer declares.
  cpSync(join(root, "package-lock.json"), join(stage, "package-lock.json"));
  run(
    "npm",
    ["install", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
    stage,
  );
}

function copyDependencies(stage) {
  const listing = run("npm", ["ls", "--omit=dev", "--all", "--parseable"], root);
  const dirs = listing
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && resolve(line) !== root);
  for (const dir of dirs) {
    const rel = relative(root, dir);
    if (!rel.startsWith(`node_modules${sep}`)) throw new Error(`unexpected dependency path ${dir}`);
    // Each package's own files; its nested node_modules entries are listed (and copied) on their own.
    cpSync(dir, join(stage, rel), {
      recursive: true,
      filter: (src) => {
        const inner = relative(dir, src);
        return inner !== "node_modules" && !inner.startsWith(`node_modules${sep}`);
      },
    });
  }
  return dirs.length;
}

function main() {
  const deps = option("deps") ?? "install";
  if (deps !== "install" && deps !== "copy") throw new Error("--deps must be install or copy");
  for (const required of ["dist/src/cli.js", "manifest.json", "package.json", "package-lock.json"]) {
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
    copyJs(join(root, "dist", "src"), join(stage, "dist", "src"));
    if (existsSync(join(root, "dist", "sandbox")))
      copyJs(join(root, "dist", "sandbox"), join(stage, "dist", "sandbox"));
    cpSync(join(root, "manifest.json"), join(stage, "manifest.json"));
    for (const file of ["README.md", "LICENSE", "CHANGELOG.md", ".mcpbignore"]) {
      if (existsSync(join(root, file))) cpSync(join(root, file), join(stage, file));
      else console.warn(`warning: ${file} not found, not bundled`);
    }
    stagePackageJson(stage);
    if (deps === "install") installDependencies(stage);
    else console.log(`copied ${copyDependencies(stage)} production packages`);
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
      `${relative(process.cwd(), out) || out}: ${(statSync(out).size / 1024 / 1024).toFixed(1)} MB, built in ${((Date.now() - started) / 1000).toFixed(1)} s (deps: ${deps})`,
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
