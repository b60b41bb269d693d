// 5b. Streamable HTTP at N concurrent clients (default 50), each figure beside its floors, in one run:
//   - this server (the bin with --http, and with --http --stateless), calling get_acme_contract (a DigiCert
//     round trip, to the sandbox) and sending `ping` (no tool, no DigiCert: the server's own cost per request:
//     transport, auth, rate limit, session, logging, telemetry and, stateless, a whole McpServer per request);
//   - a minimal server on the same SDK (bench/floors/minimal-http-server.mjs; stateful and stateless) answering
//     a trivial tool (`echo`) and a tool that makes the same undici request to the sandbox (`get_contract`);
//   - a raw node:http JSON echo (bench/floors/json-echo-server.mjs): loopback HTTP with this client, no SDK.
// Optionally (--before DIR) the same rows for another build's bin (e.g. .tmp/before/dist/bin/cli.js).
// Every server is its own process; the sandbox too. The client is undici (one keep-alive connection per
// simulated client) sending raw JSON-RPC, so the client's cost per call is the same for every row and small.
// Variants alternate in short windows (order rotating), so drift and other load hit all of them. The server's
// CPU time per call is read from /proc/<pid>/stat around each window.
//   node bench/http-floors.mjs [--concurrency 50] [--window-ms 3000] [--windows 3] [--before .tmp/before/dist/bin/cli.js]
//                              [--only REGEX]
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { API_PREFIX } from "../dist/src/operations/index.js";
import {
  args,
  cpuMs,
  fmt,
  ROOT,
  report,
  startSandboxProcess,
  stats,
  waitExit,
  withTimeout,
  writeResults,
} from "./lib.mjs";
import { startHttpServerProcess } from "./mcp-clients.mjs";
import { RawClient } from "./raw-http-client.mjs";

const opts = args();
const CONCURRENCY = Number(opts.concurrency ?? 50);
const WINDOW_MS = Number(opts["window-ms"] ?? (opts.quick ? 1_500 : 3_000));
const WINDOWS = Number(opts.windows ?? (opts.quick ? 2 : 3));
const MAX_CALLS_PER_WINDOW = 100_000;
const CONTRACT = { acme_contract_id: 10001 };

/** Spawns a floor server script; resolves with {url, pid, close} once it printed its port. */
async function startFloor(script, argv = []) {
  const child = spawn(process.execPath, [join(ROOT, "bench", "floors", script), ...argv], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const first = new Promise((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`${script} exited (${code})`)));
  });
  const { port } = JSON.parse(await withTimeout(first, 30_000, script));
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    pid: child.pid,
    async close() {
      child.kill("SIGTERM");
      await waitExit(child, 5_000);
    },
  };
}

async function window(clients, run) {
  const latencies = [];
  let errors = 0;
  let calls = 0;
  let firstError;
  const started = performance.now();
  const end = started + WINDOW_MS;
  await Promise.all(
    clients.map(async (c) => {
      while (performance.now() < end && calls < MAX_CALLS_PER_WINDOW) {
        calls++;
        const t0 = performance.now();
        try {
          await run(c);
          latencies.push(performance.now() - t0);
        } catch (err) {
          errors++;
          firstError ??= err.message;
        }
      }
    }),
  );
  return { latencies, errors, firstError, elapsed: performance.now() - started };
}

const tool = (name, a) => (c) => c.call("tools/call", { name, arguments: a });
const ping = (c) => c.call("ping", {});

const sandbox = await startSandboxProcess();
const upstream = [
  "--upstream",
  sandbox.url + API_PREFIX.partner,
  "--key",
  sandbox.keys.subaccounts["1001"],
  "--devkey",
  sandbox.keys.devkey,
];
const servers = {
  echo: await startFloor("json-echo-server.mjs"),
  minimal: await startFloor("minimal-http-server.mjs", upstream),
  minimalStateless: await startFloor("minimal-http-server.mjs", ["--stateless", ...upstream]),
  ours: await startHttpServerProcess(sandbox),
  oursStateless: await startHttpServerProcess(sandbox, { args: ["--stateless"] }),
};
const builds = [["", servers.ours, servers.oursStateless]];
if (typeof opts.before === "string") {
  servers.before = await startHttpServerProcess(sandbox, { cli: opts.before });
  servers.beforeStateless = await startHttpServerProcess(sandbox, {
    cli: opts.before,
    args: ["--stateless"],
  });
  builds.unshift([" (before)", servers.before, servers.beforeStateless]);
}
const variants = [
  { name: "raw node:http JSON echo", server: servers.echo, stateful: false, run: ping },
  {
    name: "minimal SDK server, stateful: echo tool",
    server: servers.minimal,
    stateful: true,
    run: tool("echo", { text: "ok" }),
  },
  {
    name: "minimal SDK server, stateless: echo tool",
    server: servers.minimalStateless,
    stateful: false,
    run: tool("echo", { text: "ok" }),
  },
  {
    name: "minimal SDK server, stateful: sandbox request",
    server: servers.minimal,
    stateful: true,
    run: tool("get_contract", CONTRACT),
  },
  {
    name: "minimal SDK server, stateless: sandbox request",
    server: servers.minimalStateless,
    stateful: false,
    run: tool("get_contract", CONTRACT),
  },
  ...builds.flatMap(([tag, stateful, stateless]) => [
    { name: `this server${tag}, stateful: ping`, server: stateful, stateful: true, run: ping },
    { name: `this server${tag}, stateless: ping`, server: stateless, stateful: false, run: ping },
    {
      name: `this server${tag}, stateful: get_acme_contract`,
      server: stateful,
      stateful: true,
      run: tool("get_acme_contract", CONTRACT),
    },
    {
      name: `this server${tag}, stateless: get_acme_contract`,
      server: stateless,
      stateful: false,
      run: tool("get_acme_contract", CONTRACT),
    },
  ]),
];

// --only REGEX: the variants whose names match (the raw echo always runs: every ratio is also given against it)
const only = typeof opts.only === "string" ? new RegExp(opts.only) : undefined;
if (only)
  variants.splice(
    0,
    variants.length,
    ...variants.filter((v) => v.server === servers.echo || only.test(v.name)),
  );
const results = [];
try {
  for (const v of variants) {
    v.clients = Array.from(
      { length: CONCURRENCY },
      () => new RawClient(v.server.url, { token: v.server.token, stateful: v.stateful }),
    );
    for (const c of v.clients) await c.open();
    v.acc = { latencies: [], errors: 0, elapsed: 0, cpu: 0, firstError: undefined };
    await window(v.clients, v.run); // warm-up
  }
  for (let w = 0; w < WINDOWS; w++) {
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(w + k) % variants.length];
      const cpu0 = cpuMs(v.server.pid);
      const r = await window(v.clients, v.run);
      v.acc.cpu += cpuMs(v.server.pid) - cpu0;
      v.acc.latencies.push(...r.latencies);
      v.acc.errors += r.errors;
      v.acc.firstError ??= r.firstError;
      v.acc.elapsed += r.elapsed;
    }
    process.stderr.write(`window ${w + 1}/${WINDOWS} done\n`);
  }
  for (const v of variants) {
    const s = stats(v.acc.latencies);
    results.push({
      variant: v.name,
      calls_per_s: (s.n / v.acc.elapsed) * 1000,
      server_cpu_ms_per_call: v.acc.cpu / Math.max(1, s.n),
      errors: v.acc.errors,
      first_error: v.acc.firstError,
      ...s,
    });
  }
} finally {
  for (const v of variants) for (const c of v.clients ?? []) await c.close().catch(() => undefined);
  for (const s of Object.values(servers)) await s.close();
  await sandbox.close();
}

const by = (name) => results.find((r) => r.variant === name);
const floorOf = (r) => {
  const mode = r.variant.includes("stateless") ? "stateless" : "stateful";
  const what = r.variant.endsWith("get_acme_contract") ? "sandbox request" : "echo tool";
  return by(`minimal SDK server, ${mode}: ${what}`);
};
const echo = by("raw node:http JSON echo");
report(
  `Streamable HTTP at ${CONCURRENCY} clients, beside its floors (${WINDOWS} x ${WINDOW_MS} ms windows per variant, alternating)`,
  [
    "variant",
    "calls/s",
    "p50 ms",
    "p99 ms",
    "server CPU ms/call",
    "vs minimal SDK server (same kind of call)",
    "vs raw echo",
    "errors",
  ],
  results.map((r) => {
    const floor = r.variant.startsWith("this server") ? floorOf(r) : undefined;
    return [
      r.variant,
      fmt(r.calls_per_s, 0),
      fmt(r.p50),
      fmt(r.p99),
      fmt(r.server_cpu_ms_per_call, 3),
      floor ? `${fmt(r.calls_per_s / floor.calls_per_s)}x` : "",
      `${fmt(r.calls_per_s / echo.calls_per_s)}x`,
      r.errors,
    ];
  }),
  [
    "Floors: ping is compared with the minimal server's echo tool (neither calls DigiCert); get_acme_contract with its sandbox request (the same undici GET to the same sandbox, without our validation, rendering and scrubbing of the answer). The client, every server and the sandbox share the machine's cores.",
    ...results.filter((r) => r.first_error).map((r) => `first error in ${r.variant}: ${r.first_error}`),
  ],
);
const file = writeResults("http-floors", {
  concurrency: CONCURRENCY,
  window_ms: WINDOW_MS,
  windows: WINDOWS,
  results,
});
console.log(`\nresults: ${file}`);
