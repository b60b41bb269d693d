// Bundles bench/floors/minimal-stdio-server.mjs with rolldown, with the options scripts/bundle-cli.mjs uses for
// our bin (platform node, ESM, unminified, legal comments only), into a directory of its own.
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

export async function bundleMinimalServer() {
  const here = dirname(fileURLToPath(import.meta.url));
  const outDir = mkdtempSync(join(tmpdir(), "bench-minimal-"));
  await build({
    input: join(here, "minimal-stdio-server.mjs"),
    platform: "node",
    logLevel: "silent",
    output: {
      dir: outDir,
      format: "esm",
      entryFileNames: "server.js",
      chunkFileNames: "chunks/[name]-[hash].js",
      minify: false,
      comments: { legal: true, annotation: false, jsdoc: false },
    },
  });
  const entry = join(outDir, "server.js");
  return { dir: outDir, entry, bytes: statSync(entry).size };
}
