// Build step (after tsc, in `npm run build`): bundles the contracts view (an MCP App, apps/contracts-view/) into
// one self-contained HTML file, dist/src/mcp/apps/contracts-view.html, which the server serves as the
// ui://digicert-partner-mcp/contracts-view.html resource (and scripts/bundle-cli.mjs embeds in dist/bin).
//
// Self-contained: the script (the page and @modelcontextprotocol/ext-apps' App, with what it imports) and the
// styles are inlined; no external script, style, font or image, so the page needs no CSP exception in any host.
// The page carries the licences of the packages bundled into it (their MIT terms ask for the notice in every copy),
// as a comment after the doctype: hosts receive the page alone, without this package's other files.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";
import { licenceText, packageDir } from "./licences.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "apps", "contracts-view");
const outFile = join(root, "dist", "src", "mcp", "apps", "contracts-view.html");

/** One comment naming each bundled package with its licence text ("--" cannot occur inside a comment). */
function licenceComment(moduleIds) {
  const dirs = [
    ...new Set([...moduleIds].map((id) => packageDir(root, id)).filter((dir) => dir !== undefined)),
  ].sort();
  const sections = dirs.map((dir) => {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const text = licenceText(dir) ?? `Licence: ${pkg.license ?? "see the package"}`;
    return `${pkg.name} ${pkg.version} (${pkg.license ?? "no licence field"})\n\n${text}`;
  });
  const body = `Third-party software bundled into this page:\n\n${sections.join("\n\n")}`;
  let text = body.replace(/>/g, "&gt;");
  // "---" becomes "- --" in one pass: repeat until no "--" is left
  while (text.includes("--")) text = text.replace(/--/g, "- -");
  return `<!--\n${text}\n-->`;
}

const moduleIds = new Set();
const result = await build({
  input: join(source, "main.ts"),
  platform: "browser",
  plugins: [
    {
      name: "collect-module-ids",
      moduleParsed(info) {
        moduleIds.add(info.id);
      },
    },
  ],
  logLevel: "warn",
  tsconfig: join(source, "tsconfig.json"),
  write: false,
  output: { format: "iife", minify: true, comments: { legal: false, annotation: false, jsdoc: false } },
});
const chunks = result.output.filter((o) => o.type === "chunk");
if (chunks.length !== 1) throw new Error(`expected one script chunk, got ${chunks.length}`);
// inside <script>, "</script" (any case) would end the element early, and "<!--" can change how it is parsed
const script = chunks[0].code.replace(/<\/(script)/gi, "<\\/$1");
if (script.includes("<!--")) throw new Error("the bundled script contains <!--; it cannot be inlined as is");
const style = readFileSync(join(source, "styles.css"), "utf8").replace(/<\/(style)/gi, "<\\/$1");
const template = readFileSync(join(source, "index.html"), "utf8");
const licences = licenceComment(moduleIds);
if (!licences.includes("@modelcontextprotocol/ext-apps"))
  throw new Error("ext-apps not found among the bundled modules");
const html = template
  .replace("<!doctype html>\n", () => `<!doctype html>\n${licences}\n`)
  .replace("/*STYLE*/", () => style)
  .replace("/*SCRIPT*/", () => script);
if (/\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i.test(html.replace(script, ""))) {
  throw new Error("the contracts view references an external origin");
}
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, html);
console.error(`${outFile.slice(root.length + 1)} built (${Math.round(html.length / 1024)} KiB)`);
