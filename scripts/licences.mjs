// Shared by the build steps that bundle third-party code (bundle-cli.mjs, build-app.mjs): which package a bundled
// module comes from, and that package's licence text, which its MIT/ISC/BSD/Apache terms ask to ship with it.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** The package directory (under node_modules) a bundled module comes from, or undefined for our own code. */
export function packageDir(root, id) {
  const parts = relative(root, id).split(sep);
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) return undefined;
  const depth = parts[at + 1]?.startsWith("@") ? 3 : 2;
  return join(root, ...parts.slice(0, at + depth));
}

/** The package's licence file, or undefined when it ships none. */
export function licenceText(dir) {
  const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
  return file ? readFileSync(join(dir, file), "utf8").trim() : undefined;
}
