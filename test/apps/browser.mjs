import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { build } from "rolldown";

// Shared by the browser test (test/apps/contracts-view.browser.test.ts) and the benchmark (bench/app-page.mjs),
// hence plain JavaScript with its types in browser.d.mts.

/** Debian's chromium package; .ci/run installs it (no browser is downloaded). */
export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * What hosts apply to a view that declares no CSP domains (MCP Apps spec, "Content Security Policy"): nothing
 * from any origin but the page itself, no network at all. The view must work under it unchanged.
 */
export const APP_CSP =
  "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self' data:; connect-src 'none'; frame-src 'none'; object-src 'none'; base-uri 'none'";

/** System Chromium with a fresh profile, nothing fetched in the background; bounded start. */
export async function launchBrowser() {
  const profile = await mkdtemp(join(tmpdir(), "dc-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    timeout: 60_000,
    viewport: { width: 440, height: 900 },
  });
  context.setDefaultTimeout(30_000);
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** The test host's script, bundled for the browser from test/apps/host/host.ts. */
export async function hostScript() {
  const result = await build({
    input: join(import.meta.dirname, "host", "host.ts"),
    platform: "browser",
    logLevel: "warn",
    write: false,
    output: { format: "esm", minify: true },
  });
  const chunk = result.output[0];
  if (chunk?.type !== "chunk") throw new Error("host script did not bundle");
  return chunk.code;
}

const HOST_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>test host</title></head>
<body style="margin:0;padding:8px;background:Canvas">
<iframe id="app" title="contracts view" sandbox="allow-scripts" style="border:0;height:600px;display:block"></iframe>
<script type="module" src="/host.js"></script></body></html>`;

/** Loopback server for the host page ("/", "/host.js") and the view ("/app.html", under APP_CSP). */
export async function startHostServer(appHtml, script) {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(HOST_PAGE);
    } else if (path === "/host.js") {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(script);
    } else if (path === "/app.html") {
      res
        .writeHead(200, { "content-type": "text/html; charset=utf-8", "content-security-policy": APP_CSP })
        .end(appHtml);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
