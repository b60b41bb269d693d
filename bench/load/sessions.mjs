// Load (b): 1,000 sequential MCP sessions over Streamable HTTP (open, initialize, list tools, call one tool,
// close), with the server in this process so its memory and handles can be measured: RSS, heap (after GC) and
// process.getActiveResourcesInfo() before and after, and the open-session count back to 0. Then 50 sessions
// open at once: the heap (after GC) while they are open and after they closed.
// Run after `npx tsc -p .`:  node --expose-gc bench/load/sessions.mjs [--sessions 1000]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { DEMO, startSandbox } from "../../dist/sandbox/index.js";
import { openProfiles } from "../../dist/src/cli/profiles.js";
import { serverFactory } from "../../dist/src/cli/server-factory.js";
import { createLogger } from "../../dist/src/logging.js";
import { ConfirmationTokens } from "../../dist/src/mcp/index.js";
import { startHttpServer } from "../../dist/src/transports/http.js";
import { machine, newToken, sleep } from "./lib.mjs";

const { values } = parseArgs({
  options: {
    sessions: { type: "string", default: "1000" },
    "max-seconds": { type: "string", default: "300" },
  },
});
const SESSIONS = Math.min(10_000, Math.max(10, Number(values.sessions)));
const WARMUP = Math.min(50, Math.floor(SESSIONS / 10));
const deadline = Date.now() + Math.min(900, Number(values["max-seconds"])) * 1000;

const sandbox = await startSandbox();
const dir = mkdtempSync(join(tmpdir(), "load-sessions-"));
// logs are discarded (info level still formats them, as in production)
const logger = createLogger({ level: "info", destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const keys = sandbox.keys;
const profiles = openProfiles({
  defaultCredentials: {
    parentKey: keys.parent,
    subaccountKey: keys.subaccounts[DEMO.subFull],
    subaccountKeys: { ...keys.subaccounts },
    devkey: keys.devkey,
  },
  profiles: {},
  baseUrl: sandbox.url,
  timeouts: {},
  dataDir: dir,
  logger,
});
const secret = newToken();
const factory = serverFactory({
  profiles,
  logger,
  version: "0.0.0-load",
  confirmation: { mode: "required", secret },
  confirmationTokens: new ConfirmationTokens({ secret, ttlMs: 300_000, now: Date.now }),
  audit: undefined,
  transport: "http",
});
const token = newToken();
const server = await startHttpServer(
  {
    host: "127.0.0.1",
    port: 0,
    tokens: [token],
    stateless: false,
    allowedOrigins: undefined,
    allowedHosts: undefined,
    maxBodyBytes: 1_048_576,
    sessionIdleMs: 60_000,
    maxSessions: 100,
    maxSessionsPerToken: 100,
    rateLimit: { perMinute: 0, burst: 1 },
  },
  { createServer: (context) => factory({}, context), logger, version: "0.0.0-load" },
);

async function oneSession() {
  const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: "load-sessions", version: "0" });
  await client.connect(transport);
  const { tools } = await client.listTools();
  if (tools.length === 0) throw new Error("no tools");
  const r = await client.callTool({
    name: "get_acme_contract",
    arguments: { acme_contract_id: DEMO.contracts.dv },
  });
  if (r.isError) throw new Error("tool error");
  await transport.terminateSession();
  await client.close();
}

function resources() {
  const out = {};
  for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
  return out;
}

async function measure() {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await sleep(50);
  }
  const m = process.memoryUsage();
  return {
    rss_mb: Number((m.rss / 2 ** 20).toFixed(1)),
    heap_used_mb: Number((m.heapUsed / 2 ** 20).toFixed(1)),
    resources: resources(),
    sessions: server.sessionCount(),
  };
}

for (let i = 0; i < WARMUP; i++) await oneSession();
await sleep(200);
const before = await measure();
const started = performance.now();
let done = 0;
const times = [];
let middle;
let measuring = 0;
for (; done < SESSIONS && Date.now() < deadline; done++) {
  // halfway, to tell a leak (grows in both halves) from warm-up (code caches, pools: grows once)
  if (done === Math.floor(SESSIONS / 2)) {
    const t = performance.now();
    middle = await measure();
    measuring = performance.now() - t;
  }
  const t = performance.now();
  await oneSession();
  times.push(performance.now() - t);
}
const seconds = (performance.now() - started - measuring) / 1000;
await sleep(200);
const after = await measure();
times.sort((a, b) => a - b);

// Then CONCURRENT sessions open at once, all idle: what one open session holds, and that closing them gives
// it back (heap after GC back where it was; every session gone from the server).
const CONCURRENT = 50;
async function openSession() {
  const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: "load-sessions-open", version: "0" });
  await client.connect(transport);
  await client.callTool({ name: "get_acme_contract", arguments: { acme_contract_id: DEMO.contracts.dv } });
  return { client, transport };
}
let open = await Promise.all(Array.from({ length: CONCURRENT }, openSession));
const whileOpen = await measure();
for (const { client, transport } of open) {
  await transport.terminateSession();
  await client.close();
}
open = [];
await sleep(200);
const afterConcurrent = await measure();

await server.close();
for (const p of profiles.values()) await p.client.close();
await sandbox.close();
rmSync(dir, { recursive: true, force: true });

const resourceGrowth = Object.fromEntries(
  [...new Set([...Object.keys(before.resources), ...Object.keys(after.resources)])]
    .map((k) => [k, (after.resources[k] ?? 0) - (before.resources[k] ?? 0)])
    .filter(([, d]) => d !== 0),
);
const report = {
  script: "bench/load/sessions.mjs",
  date: new Date().toISOString(),
  machine: machine(),
  gc: typeof globalThis.gc === "function",
  sessions: done,
  warmup_sessions: WARMUP,
  seconds: Number(seconds.toFixed(1)),
  sessions_per_second: Math.round(done / seconds),
  session_p50_ms: Number(times[Math.floor(times.length / 2)].toFixed(1)),
  session_p99_ms: Number(times[Math.min(times.length - 1, Math.ceil(times.length * 0.99) - 1)].toFixed(1)),
  before,
  middle,
  after,
  rss_growth_mb: Number((after.rss_mb - before.rss_mb).toFixed(1)),
  heap_growth_mb: Number((after.heap_used_mb - before.heap_used_mb).toFixed(1)),
  heap_growth_second_half_mb: Number((after.heap_used_mb - middle.heap_used_mb).toFixed(1)),
  resource_growth: resourceGrowth,
  concurrent: {
    sessions: CONCURRENT,
    open: whileOpen,
    after_close: afterConcurrent,
    heap_per_open_session_mb: Number(((whileOpen.heap_used_mb - after.heap_used_mb) / CONCURRENT).toFixed(2)),
    heap_after_close_growth_mb: Number((afterConcurrent.heap_used_mb - after.heap_used_mb).toFixed(1)),
  },
};
console.log(JSON.stringify(report, null, 2));
// Pass: every session done and closed, no handle left behind, heap within a few MB of where it started.
const ok =
  done === SESSIONS &&
  after.sessions === 0 &&
  Object.keys(resourceGrowth).length === 0 &&
  report.heap_growth_mb < 8 &&
  report.heap_growth_second_half_mb < 2 &&
  whileOpen.sessions === CONCURRENT &&
  afterConcurrent.sessions === 0 &&
  report.concurrent.heap_after_close_growth_mb < 2;
if (!ok) console.error("FAILED: sessions left open, handles grew, or the heap kept growing");
process.exitCode = ok ? 0 : 1;
