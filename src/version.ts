import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const PACKAGE_NAME = "digicert-partner-mcp";

let cached: string | undefined;

/**
 * The package version, read from package.json at run time (so it is never out of step with a release).
 * Walks up from this file: src/version.ts in tests, dist/src/version.js when built, dist/bin/chunks/ bundled.
 */
export function packageVersion(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === PACKAGE_NAME && typeof pkg.version === "string") {
        cached = pkg.version;
        return cached;
      }
    } catch {
      // no package.json here: look one level up
    }
    dir = dirname(dir);
  }
  return "0.0.0-unknown";
}
