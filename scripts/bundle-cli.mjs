// Build step (last in `npm run build`): bundles the command-line server (dist/src/cli.js and everything it
// imports, dependencies included) into dist/bin/cli.js, the package's `bin` and the .mcpb's entry point.
//
// Why: an MCP client spawns this server and waits for it. Loading ~260 modules one by one from dist/src and
// node_modules was most of the cold start (BENCHMARKS.md, fix 9); one file with the code used at start-up, and
// chunks loaded only when needed (the sandbox, undici, the HTTP transport), starts in about half the time.
// dist/src stays as it is: the library entry points (`exports`) and the tests use it.
//
// The tools' precomputed JSON Schemas (dist/src/mcp/precomputed-schemas.json) are embedded, after checking
// they were computed from the code being bundled. The licences of the bundled packages are written to
// dist/bin/THIRD_PARTY_LICENSES.md, as their MIT/ISC/BSD terms ask when their code is redistributed.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const srcDir = join(root, "dist", "src");
const outDir = join(root, "dist", "bin");

const { PRECOMPUTED_FILE, schemaFingerprint } = await import(join(srcDir, "mcp", "precomputed-schemas.js"));
const precomputed = JSON.parse(readFileSync(join(srcDir, "mcp", PRECOMPUTED_FILE), "utf8"));
if (precomputed.fingerprint !== schemaFingerprint(srcDir)) {
  throw new Error(`${PRECOMPUTED_FILE} is stale: run \`npm run build\` (it recomputes it before bundling)`);
}

/** The package directory (under node_modules) a bundled module comes from, or undefined for our own code. */
function packageDir(id) {
  const parts = relative(root, id).split(sep);
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) return undefined;
  const depth = parts[at + 1]?.startsWith("@") ? 3 : 2;
  return join(root, ...parts.slice(0, at + depth));
}

function licenceText(dir) {
  const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
  return file ? readFileSync(join(dir, file), "utf8").trim() : undefined;
}

function writeLicences(moduleIds) {
  const dirs = [...new Set(moduleIds.map(packageDir).filter((dir) => dir !== undefined))].sort();
  const sections = dirs.map((dir) => {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const text =
      licenceText(dir) ?? `Licence: ${pkg.license ?? "see the package"} (no licence file shipped).`;
    return `## ${pkg.name} ${pkg.version}\n\n${pkg.license ?? ""}\n\n\`\`\`\n${text}\n\`\`\`\n`;
  });
  writeFileSync(
    join(outDir, "THIRD_PARTY_LICENSES.md"),
    `# Third-party software in dist/bin\n\n${sections.join("\n")}`,
  );
  return dirs.length;
}

// The contracts view (scripts/build-app.mjs), embedded: dist/bin has no dist/src next to it. Its module is
// imported only when the view is read, so the page lands in a chunk of its own, not in the start-up file.
const viewFile = join(srcDir, "mcp", "apps", "contracts-view.html");
if (!existsSync(viewFile))
  throw new Error("dist/src/mcp/apps/contracts-view.html missing: run `npm run build`");

rmSync(outDir, { recursive: true, force: true });
const moduleIds = new Set();
await build({
  input: join(srcDir, "cli.js"),
  platform: "node",
  logLevel: "warn",
  // a string literal of the JSON (the code parses it), so the bundler can settle `typeof` at build time
  transform: {
    define: {
      __DIGICERT_MCP_EMBEDDED_SCHEMAS__: JSON.stringify(JSON.stringify(precomputed.schemas)),
      __DIGICERT_MCP_CONTRACTS_VIEW_HTML__: JSON.stringify(readFileSync(viewFile, "utf8")),
    },
  },
  plugins: [
    {
      name: "collect-module-ids",
      moduleParsed(info) {
        moduleIds.add(info.id);
      },
    },
  ],
  output: {
    dir: outDir,
    format: "esm",
    entryFileNames: "cli.js",
    chunkFileNames: "chunks/[name]-[hash].js",
    // unminified: stack traces from users stay readable; minified started ~12 ms (4%) sooner, measured.
    // Licence comments stay; documentation comments go (dist/src keeps ours).
    minify: false,
    comments: { legal: true, annotation: false, jsdoc: false },
  },
});
const packages = writeLicences([...moduleIds]);
if (!existsSync(join(outDir, "cli.js"))) throw new Error("bundling did not write dist/bin/cli.js");
console.error(`dist/bin/cli.js bundled (${moduleIds.size} modules, ${packages} packages)`);
