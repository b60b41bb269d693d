// Build step (after tsc, in `npm run build`): writes dist/src/mcp/precomputed-schemas.json, the tools'
// advertised JSON Schemas, so the server does not convert its zod schemas at start-up. The file carries a
// fingerprint of the built code; a server whose code does not match it computes the schemas itself.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const srcDir = join(root, "dist", "src");
const { collectSchemaJson } = await import(join(srcDir, "mcp", "schema-precompute.js"));
const { PRECOMPUTED_FILE, schemaFingerprint } = await import(join(srcDir, "mcp", "precomputed-schemas.js"));
const schemas = collectSchemaJson();
const file = { fingerprint: schemaFingerprint(srcDir), schemas };
writeFileSync(join(srcDir, "mcp", PRECOMPUTED_FILE), `${JSON.stringify(file)}\n`);
