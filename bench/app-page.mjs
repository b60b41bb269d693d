// The contracts view (MCP App) at 100,000 contracts: the page's size, and how long it takes to show the overview
// and a page of rows in Chromium, inside the test host (test/apps/host/host.ts: a sandboxed iframe under the
// hosts' default CSP, bridge calls answered by the built server over stdio). Runs from the build output:
//
//   node bench/app-page.mjs [--subaccounts 1000] [--per 100] [--runs 5]
//
// Needs /usr/bin/chromium (Debian's package). Results: a Markdown table on stdout and
// bench/results/app-page.json. Not a test: nothing here asserts a timing.
import { gzipSync } from "node:zlib";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { hasChromium, hostScript, launchBrowser, startHostServer } from "../test/apps/browser.mjs";
import { args, CLI, fmt, kib, machineLine, stats, table, withTimeout, writeResults } from "./lib.mjs";

const opts = args();
const subaccounts = Number(opts.subaccounts ?? 1000);
const per = Number(opts.per ?? 100);
const runs = Number(opts.runs ?? (opts.quick ? 2 : 5));
const VIEW_URI = "ui://digicert/contracts.html";

if (!hasChromium) {
  console.error("app-page: /usr/bin/chromium is missing (apt-get install chromium); skipped");
  process.exit(0);
}

const { startSandbox } = await import("../dist/sandbox/index.js");
const { mkdtemp, rm } = await import("node:fs/promises");
const { tmpdir } = await import("node:os");
const { join } = await import("node:path");

const sandbox = await startSandbox({ generate: { subaccounts, contractsPerSubaccount: per } });
const dataDir = await mkdtemp(join(tmpdir(), "dc-bench-app-"));
const transport = new StdioClientTransport({
  command: process.execPath,
  args: [CLI],
  env: {
    PATH: process.env.PATH ?? "",
    DIGICERT_BASE_URL: sandbox.url,
    DIGICERT_PARTNER_API_KEY: sandbox.keys.parent,
    DIGICERT_DATA_DIR: dataDir,
    LOG_LEVEL: "error",
  },
  stderr: "inherit",
});
const client = new Client({ name: "bench-app-page", version: "1.0.0" });
await client.connect(transport);

const time = async (fn) => {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
};

const read = await time(() => client.readResource({ uri: VIEW_URI }));
const html = read.value.contents[0].text;
const first = await time(() => client.callTool({ name: "view_contracts", arguments: {} }));
const warm = [];
for (let i = 0; i < runs; i++)
  warm.push((await time(() => client.callTool({ name: "view_contracts", arguments: {} }))).ms);
const result = first.value;
const contracts = result.structuredContent.totals.contracts;
const resultBytes = Buffer.byteLength(JSON.stringify(result));

const host = await startHostServer(html, await hostScript());
const browser = await launchBrowser();
const samples = { ready: [], list: [], next: [], search: [] };
let dom = 0;
let heap = 0;
try {
  for (let i = 0; i < runs; i++) {
    const page = await browser.context.newPage();
    await page.exposeFunction("hostToolResult", () => result);
    await page.exposeFunction("hostLog", () => {});
    await page.exposeFunction("hostCallTool", (p) => client.callTool(p));
    await page.exposeFunction("hostReadResource", (p) => client.readResource(p));
    const started = performance.now();
    await page.goto(`${host.url}/?theme=light&width=380`);
    const frame = await withTimeout(
      (async () => {
        for (;;) {
          const f = page.frames().find((x) => x.url().endsWith("/app.html"));
          if (f) return f;
          await page.waitForTimeout(5);
        }
      })(),
      60_000,
      "the view's frame",
    );
    await frame.waitForSelector("body[data-state=ready]", { timeout: 60_000 });
    samples.ready.push(performance.now() - started);

    let t = performance.now();
    await frame.click("#windows button[data-days='90']");
    await frame.waitForSelector("#list[data-state=ready]", { timeout: 60_000 });
    samples.list.push(performance.now() - t);

    t = performance.now();
    await frame.click("#next");
    await frame.waitForFunction(() => document.getElementById("range")?.textContent?.startsWith("21–"));
    samples.next.push(performance.now() - t);

    t = performance.now();
    await frame.fill("#domain", "www1.customer100001.example");
    await frame.click("#search button");
    await frame.waitForFunction(() =>
      document.getElementById("list-title")?.textContent?.includes("covering"),
    );
    await frame.waitForSelector("#list[data-state=ready]", { timeout: 60_000 });
    samples.search.push(performance.now() - t);

    dom = await frame.evaluate(() => document.getElementsByTagName("*").length);
    heap = await frame.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
    await page.close();
  }
} finally {
  await browser.close();
  await host.close();
  await client.close();
  await sandbox.close();
  await rm(dataDir, { recursive: true, force: true });
}

const med = (xs) => fmt(stats(xs).p50, 0);
const rows = [
  ["contracts in the report", contracts.toLocaleString("en-US")],
  [
    "page (HTML, script and styles inline)",
    `${kib(Buffer.byteLength(html))} (gzip ${kib(gzipSync(html).length)})`,
  ],
  ["resources/read of the page over stdio", `${fmt(read.ms, 0)} ms`],
  ["view_contracts, first (fetches and stores the snapshot)", `${fmt(first.ms, 0)} ms`],
  ["view_contracts, snapshot fresh (median)", `${med(warm)} ms`],
  ["view_contracts result (what the page is sent)", kib(resultBytes)],
  ["open → overview rendered (median)", `${med(samples.ready)} ms`],
  ["90-day window → first 20 rows (median)", `${med(samples.list)} ms`],
  ["next page of 20 (median)", `${med(samples.next)} ms`],
  ["domain search (median)", `${med(samples.search)} ms`],
  ["DOM elements / JS heap of the view after these", `${dom} / ${fmt(heap / 1024 / 1024, 1)} MiB`],
];
console.log(
  `# contracts view (MCP App) at ${contracts.toLocaleString("en-US")} contracts, ${runs} runs\n\n_${machineLine()}_\n`,
);
console.log(table(["measure", "value"], rows));
const file = writeResults("app-page", {
  contracts,
  runs,
  page_bytes: Buffer.byteLength(html),
  page_gzip_bytes: gzipSync(html).length,
  resource_read_ms: read.ms,
  view_first_ms: first.ms,
  view_warm_ms: warm,
  view_result_bytes: resultBytes,
  samples,
  dom_elements: dom,
  js_heap_bytes: heap,
});
console.error(`results: ${file}`);
