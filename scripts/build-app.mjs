// Build step (after tsc, in `npm run build`): bundles the contracts view (an MCP App, apps/contracts-view/) into
// one self-contained HTML file, dist/src/mcp/apps/contracts-view.html, which the server serves as the
// ui://digicert-partner-mcp/contracts-view.html resource (and scripts/bundle-cli.mjs embeds in dist/bin).
//
// Self-contained: the script (the page and @modelcontextprotocol/ext-apps' App, with what it imports) and the
// styles are inlined; no external script, style, font or image, so the page needs no CSP exception in any host.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "apps", "contracts-view");
const outFile = join(root, "dist", "src", "mcp", "apps", "contracts-view.html");

const result = await build({
  input: join(source, "main.ts"),
  platform: "browser",
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
const html = template.replace("/*STYLE*/", () => style).replace("/*SCRIPT*/", () => script);
if (/\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i.test(html.replace(script, ""))) {
  throw new Error("the contracts view references an external origin");
}
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, html);
console.error(`${outFile.slice(root.length + 1)} built (${Math.round(html.length / 1024)} KiB)`);
