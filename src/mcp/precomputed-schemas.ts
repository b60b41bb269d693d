import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { packageVersion } from "../version.js";

type JsonObject = { [key: string]: unknown };

/**
 * The advertised JSON Schemas of every tool, computed at build time (`scripts/precompute-schemas.mjs`, run by
 * `npm run build`) and written next to the built code: converting 30 tools' zod schemas was most of what the
 * first server cost at start-up. Used only when its fingerprint matches the built code it sits next to (the
 * package version, zod's version and the content of the modules the schemas come from), so a build that
 * skipped the step or changed a schema computes them at run time as before. `test/mcp/precomputed-schemas`
 * fails when the file differs from what the code computes.
 */
export const PRECOMPUTED_FILE = "precomputed-schemas.json";

/** Directories of the built `src/` whose modules define or shape the advertised schemas. */
const SOURCE_DIRS = ["operations", "schemas", "mcp"];

export interface PrecomputedFile {
  fingerprint: string;
  schemas: Record<string, JsonObject>;
}

function listJs(dir: string, rel: string, out: string[]): void {
  for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) listJs(dir, path, out);
    else if (entry.name.endsWith(".js")) out.push(path);
  }
}

/** Fingerprint of the built code under `srcDir` (dist/src) the schemas are computed from. */
export function schemaFingerprint(srcDir: string): string {
  const hash = createHash("sha256");
  const { major, minor, patch } = z.core.version;
  hash.update(`${packageVersion()}\0zod ${major}.${minor}.${patch}\0`);
  const files: string[] = [];
  for (const dir of SOURCE_DIRS) listJs(srcDir, dir, files);
  files.sort();
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(srcDir, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

/**
 * Replaced by the bundler (`scripts/bundle-cli.mjs`) with the schemas of the very code it bundles, as JSON: an
 * object of each key's JSON Schema as JSON text. A bundle has no `dist/src` files next to it to fingerprint, and
 * needs no check, as both are built in the same step. Undeclared, hence `typeof`, everywhere else (tests,
 * `dist/src`).
 */
declare const __DIGICERT_MCP_EMBEDDED_SCHEMAS__: string | undefined;

const here = dirname(fileURLToPath(import.meta.url));

/** Each key's JSON Schema as JSON text. undefined: not loaded yet; null: no usable file (missing, unreadable or stale) */
let loaded: Map<string, string> | null | undefined;
/** set while `collectSchemaJson` runs: every schema is computed and recorded here */
let recording: Map<string, JsonObject> | undefined;

function load(): Map<string, string> | null {
  if (typeof __DIGICERT_MCP_EMBEDDED_SCHEMAS__ === "string") {
    // a JSON string of texts, not an object literal of objects: V8 parses large JSON faster, and each schema is
    // kept as the text the advertised schema is anyway (withJsonSchema), never parsed at start-up
    return new Map(Object.entries(JSON.parse(__DIGICERT_MCP_EMBEDDED_SCHEMAS__) as Record<string, string>));
  }
  try {
    const file = JSON.parse(readFileSync(join(here, PRECOMPUTED_FILE), "utf8")) as PrecomputedFile;
    if (file.fingerprint !== schemaFingerprint(join(here, ".."))) return null;
    return new Map(Object.entries(file.schemas).map(([key, json]) => [key, JSON.stringify(json)]));
  } catch {
    return null;
  }
}

/**
 * The advertised JSON Schema named `key`, as JSON text (what `withJsonSchema` keeps): the precomputed one when
 * the build wrote a current file, otherwise `compute()`'s.
 */
export function schemaJsonText(key: string, compute: () => JsonObject): string {
  if (recording) {
    const json = compute();
    recording.set(key, structuredClone(json));
    return JSON.stringify(json);
  }
  if (loaded === undefined) loaded = load();
  return loaded?.get(key) ?? JSON.stringify(compute());
}

/** Runs `register` with every schema computed (never read from the file), and returns them by key. */
export function recordSchemaJson(register: () => void): Record<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  recording = out;
  try {
    register();
  } finally {
    recording = undefined;
  }
  return Object.fromEntries([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
