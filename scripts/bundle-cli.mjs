// Build step (last in `npm run build`): bundles the command-line server (dist/src/cli.js and everything it
// imports, dependencies included) into dist/bin/cli.js, the package's `bin` and the .mcpb's entry point.
//
// Why: an MCP client spawns this server and waits for it. Loading ~260 modules one by one from dist/src and
// node_modules was most of the cold start (BENCHMARKS.md, fix 9); one file with the code used at start-up, and
// chunks loaded only when needed (the sandbox, undici, the HTTP transport, Ajv), starts in about half the time;
// everything every start loads is one chunk (see "Two passes" below).
// dist/src stays as it is: the library entry points (`exports`) and the tests use it.
//
// The tools' precomputed JSON Schemas (dist/src/mcp/precomputed-schemas.json) are embedded, after checking
// they were computed from the code being bundled. The licences of the bundled packages are written to
// dist/bin/THIRD_PARTY_LICENSES.md, as their MIT/ISC/BSD terms ask when their code is redistributed.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";
import { licenceText, packageDir } from "./licences.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const srcDir = join(root, "dist", "src");
const outDir = join(root, "dist", "bin");

const { PRECOMPUTED_FILE, schemaFingerprint } = await import(join(srcDir, "mcp", "precomputed-schemas.js"));
const precomputed = JSON.parse(readFileSync(join(srcDir, "mcp", PRECOMPUTED_FILE), "utf8"));
if (precomputed.fingerprint !== schemaFingerprint(srcDir)) {
  throw new Error(`${PRECOMPUTED_FILE} is stale: run \`npm run build\` (it recomputes it before bundling)`);
}

function writeLicences(moduleIds) {
  const dirs = [
    ...new Set(moduleIds.map((id) => packageDir(root, id)).filter((dir) => dir !== undefined)),
  ].sort();
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

// The SDK's server module imports its Ajv validator, and with it Ajv and ajv-formats (~250 KB of CommonJS),
// though Ajv only checks elicitation answers and our server creates its validator on first use
// (src/mcp/server.ts). They are bundled apart, as CommonJS, into chunks/ajv.cjs, which the provider requires when
// it creates an instance: a start neither evaluates nor compiles them (compiling them in the start-up chunk was
// ~3 ms of every start, issue 16).
const AJV_PROVIDER = /@modelcontextprotocol\/sdk\/dist\/esm\/validation\/ajv-provider\.js$/;
const AJV_CHUNK = "ajv.cjs";
const lazyAjv = {
  name: "lazy-ajv",
  transform(code, id) {
    if (!AJV_PROVIDER.test(id)) return null;
    const imports = ["import Ajv from 'ajv';\n", "import _addFormats from 'ajv-formats';\n"];
    const start = "function createDefaultAjvInstance() {\n";
    if (!imports.every((line) => code.includes(line)) || !code.includes(start)) {
      throw new Error(`bundle-cli: the SDK's ${id} changed; update the lazy-ajv plugin`);
    }
    let out = code;
    for (const line of imports) out = out.replace(line, "");
    // the provider lands in a chunk under chunks/ (checked after the build), next to ajv.cjs
    return `import { createRequire as __ajvRequire } from "node:module";\n${out.replace(
      start,
      `${start}    const { Ajv, addFormats: _addFormats } = __ajvRequire(import.meta.url)("./${AJV_CHUNK}");\n`,
    )}`;
  },
};

// pino's sonic-boom and thread-stream require node:assert at load for checks on their error paths (closing a
// destroyed stream, draining a synchronous one); loading it was ~2 ms of every start. Here it is required when
// such a check fails, with the same arguments, so the same AssertionError is thrown.
const LAZY_ASSERT = /node_modules\/(sonic-boom|thread-stream)\/index\.js$/;
const lazyAssert = {
  name: "lazy-assert",
  transform(code, id) {
    if (!LAZY_ASSERT.test(id)) return null;
    const line = "const assert = require('assert')\n";
    if (!code.includes(line)) throw new Error(`bundle-cli: ${id} changed; update the lazy-assert plugin`);
    return code.replace(line, "function assert (...args) { if (!args[0]) require('assert')(...args) }\n");
  },
};
// The SDK's zod-compat modules import zod/v3 and zod-to-json-schema (~136 KB) for servers that hand it Zod 3
// schemas; ours never does (only zod 4 schemas reach the SDK), so they are never called, but every start
// compiled them. They are bundled apart, as CommonJS, into chunks/zod-v3.cjs, required on a first call.
const ZOD_COMPAT = {
  "zod-compat.js": [
    ["import * as z3rt from 'zod/v3';\n", ""],
    ["z3rt.object(shape)", "__zodV3().z3.object(shape)"],
  ],
  "zod-json-schema-compat.js": [
    ["import { zodToJsonSchema } from 'zod-to-json-schema';\n", ""],
    ["return zodToJsonSchema(schema, {", "return __zodV3().zodToJsonSchema(schema, {"],
  ],
};
const ZOD_V3_CHUNK = "zod-v3.cjs";
const ZOD_COMPAT_MODULE =
  /@modelcontextprotocol\/sdk\/dist\/esm\/server\/(zod-compat|zod-json-schema-compat)\.js$/;
const lazyZodV3 = {
  name: "lazy-zod-v3",
  transform(code, id) {
    const match = ZOD_COMPAT_MODULE.exec(id);
    if (!match) return null;
    let out = code;
    for (const [from, to] of ZOD_COMPAT[`${match[1]}.js`]) {
      if (out.split(from).length !== 2)
        throw new Error(`bundle-cli: ${id} changed; update the lazy-zod-v3 plugin`);
      out = out.replace(from, to);
    }
    if (/\bz3rt\b|[^.]zodToJsonSchema\(/.test(out.replace("__zodV3().zodToJsonSchema(", ""))) {
      throw new Error(`bundle-cli: ${id} uses zod/v3 elsewhere; update the lazy-zod-v3 plugin`);
    }
    return `import { createRequire as __zodV3Require } from "node:module";\nconst __zodV3 = () => __zodV3Require(import.meta.url)("./${ZOD_V3_CHUNK}");\n${out}`;
  },
};

const collectModuleIds = {
  name: "collect-module-ids",
  moduleParsed(info) {
    moduleIds.add(info.id);
  },
};
const options = (codeSplitting) => ({
  input: join(srcDir, "cli.js"),
  platform: "node",
  logLevel: "warn",
  // a string literal of the JSON (the code parses it), so the bundler can settle `typeof` at build time; each
  // schema in it is JSON text, kept as is (src/mcp/precomputed-schemas.ts)
  transform: {
    define: {
      __DIGICERT_MCP_EMBEDDED_SCHEMAS__: JSON.stringify(
        JSON.stringify(
          Object.fromEntries(
            Object.entries(precomputed.schemas).map(([key, json]) => [key, JSON.stringify(json)]),
          ),
        ),
      ),
      __DIGICERT_MCP_CONTRACTS_VIEW_HTML__: JSON.stringify(readFileSync(viewFile, "utf8")),
    },
  },
  plugins: [lazyAjv, lazyAssert, lazyZodV3, collectModuleIds],
  output: {
    dir: outDir,
    format: "esm",
    entryFileNames: "cli.js",
    chunkFileNames: "chunks/[name]-[hash].js",
    // unminified: stack traces from users stay readable; minified started ~12 ms (4%) sooner, measured.
    // Licence comments stay; documentation comments go (dist/src keeps ours).
    minify: false,
    comments: { legal: true, annotation: false, jsdoc: false },
    codeSplitting,
  },
});

// Two passes. The first splits as rolldown does by default: modules shared by the start-up code and a lazy
// chunk land in chunks of their own, ~20 files that every start resolves, reads and compiles one by one. The
// second puts what every `serve` loads (the entry's static imports and the modules src/cli.ts imports on
// every start, with all they import) into one chunk; the lazy chunks (sandbox, undici, the HTTP transport,
// the page, doctor, PostgreSQL…) stay lazy.
const EVERY_START = ["cli/serve-modules.js"];
const first = await build({ ...options(true), write: false });
const chunks = first.output.filter((c) => c.type === "chunk");
const byFile = new Map(chunks.map((c) => [c.fileName, c]));
const startup = new Set();
const visit = (fileName) => {
  const chunk = byFile.get(fileName);
  if (!chunk || chunk.isEntry || startup.has(fileName)) return;
  startup.add(fileName);
  for (const next of chunk.imports) visit(next);
};
for (const next of byFile.get("cli.js").imports) visit(next);
for (const rel of EVERY_START) {
  const chunk = chunks.find((c) => c.facadeModuleId === join(srcDir, rel));
  if (!chunk)
    throw new Error(`bundle-cli: no chunk for dist/src/${rel} (src/cli.ts changed? update EVERY_START)`);
  visit(chunk.fileName);
}
const startupModules = new Set([...startup].flatMap((f) => byFile.get(f).moduleIds));
moduleIds.clear();
const second = await build(
  options({
    groups: [
      { name: (id) => (startupModules.has(id) ? "startup" : null), debugName: "startup", priority: 10 },
    ],
  }),
);
// The modules that require a CommonJS chunk by "./<name>" must sit next to it, in chunks/.
for (const [pattern, chunkName] of [
  [AJV_PROVIDER, AJV_CHUNK],
  [ZOD_COMPAT_MODULE, ZOD_V3_CHUNK],
]) {
  for (const c of second.output) {
    if (c.type !== "chunk" || !c.moduleIds.some((id) => pattern.test(id))) continue;
    if (!c.fileName.startsWith("chunks/") || c.fileName.includes("/", "chunks/".length)) {
      throw new Error(`bundle-cli: ${pattern} landed in ${c.fileName}, not next to chunks/${chunkName}`);
    }
  }
}
/** Bundles `source` (CommonJS requiring packages) alone, as CommonJS, into dist/bin/chunks/<file>. */
async function commonJsChunk(file, source) {
  const entry = `\0digicert-${file}`;
  await build({
    input: entry,
    cwd: root,
    platform: "node",
    logLevel: "warn",
    plugins: [
      {
        name: "cjs-entry",
        resolveId: (id) => (id === entry ? id : null),
        load: (id) => (id === entry ? source : null),
      },
      collectModuleIds,
    ],
    output: {
      file: join(outDir, "chunks", file),
      format: "cjs",
      minify: false,
      comments: { legal: true, annotation: false, jsdoc: false },
    },
  });
  moduleIds.delete(entry);
}
// Ajv and ajv-formats, required synchronously by the provider above.
await commonJsChunk(
  AJV_CHUNK,
  'module.exports = { Ajv: require("ajv"), addFormats: require("ajv-formats") };\n',
);
await commonJsChunk(
  ZOD_V3_CHUNK,
  'module.exports = { z3: require("zod/v3"), zodToJsonSchema: require("zod-to-json-schema").zodToJsonSchema };\n',
);
const packages = writeLicences([...moduleIds]);
if (!existsSync(join(outDir, "cli.js"))) throw new Error("bundling did not write dist/bin/cli.js");
console.error(`dist/bin/cli.js bundled (${moduleIds.size} modules, ${packages} packages)`);
