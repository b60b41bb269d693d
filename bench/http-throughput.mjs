// 5. Streamable HTTP throughput: get_acme_contract calls per second and latency at 1, 10 and 50 concurrent
// clients (each an SDK Client + StreamableHTTPClientTransport with its own session), against the CLI started
// with --http, against a sandbox process. Beside it, the same concurrency calling DigiCertClient directly, and
// the same number of MCP clients that declare elicitation (whose answers come as SSE streams, not JSON); the
// three alternate in short windows so drift hits all. Closed loop, bounded in time and count, loopback only.
import { getOperation } from "../dist/src/operations/index.js";
import { args, fmt, report, startSandboxProcess, stats, writeResults } from "./lib.mjs";
import { connectHttp, directClient, rawCall, startHttpServerProcess } from "./mcp-clients.mjs";

const opts = args();
const LEVELS = String(opts.concurrency ?? "1,10,50")
  .split(",")
  .map(Number)
  .filter((n) => n > 0);
const WINDOW_MS = Number(opts["window-ms"] ?? (opts.quick ? 1_500 : 4_000));
const WINDOWS = Number(opts.windows ?? (opts.quick ? 2 : 3)); // per variant, alternating
const MAX_CALLS_PER_WINDOW = 50_000;
const TOOL = "get_acme_contract";
const ARGS = { acme_contract_id: 10001 };

/** C loops calling `run` until the window ends or the count cap; returns latencies, calls and errors. */
async function window(concurrency, run) {
  const latencies = [];
  let errors = 0;
  let calls = 0;
  const started = performance.now();
  const end = started + WINDOW_MS;
  const loop = async (i) => {
    while (performance.now() < end && calls < MAX_CALLS_PER_WINDOW) {
      calls++;
      const t0 = performance.now();
      try {
        await run(i);
        latencies.push(performance.now() - t0);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => loop(i)));
  return { latencies, errors, elapsed: performance.now() - started };
}

const sandbox = await startSandboxProcess();
const httpServer = await startHttpServerProcess(sandbox);
const direct = directClient(sandbox);
const op = getOperation(TOOL);
const results = [];
try {
  for (const concurrency of LEVELS) {
    const clients = [];
    const t0 = performance.now();
    for (let i = 0; i < concurrency; i++) clients.push(await connectHttp(httpServer));
    const connectMs = (performance.now() - t0) / concurrency;
    // clients that can elicit get SSE answers (the server may ask them mid-call); the others plain JSON (fix 13)
    const eliciting = [];
    for (let i = 0; i < concurrency; i++)
      eliciting.push(await connectHttp(httpServer, { capabilities: { elicitation: { form: {} } } }));
    const variants = [
      {
        name: "Streamable HTTP MCP",
        run: async (i) => {
          const r = await rawCall(clients[i].client, TOOL, ARGS);
          if (r.isError) throw new Error("tool error");
        },
      },
      { name: "direct (DigiCertClient)", run: () => direct.call(op, ARGS) },
      {
        name: "Streamable HTTP MCP, clients that can elicit (SSE answers)",
        run: async (i) => {
          const r = await rawCall(eliciting[i].client, TOOL, ARGS);
          if (r.isError) throw new Error("tool error");
        },
      },
    ];
    const acc = variants.map(() => ({ latencies: [], errors: 0, elapsed: 0 }));
    // short warm-up for both, then alternating windows
    for (const v of variants) await window(concurrency, v.run).catch(() => undefined);
    for (let w = 0; w < WINDOWS; w++) {
      for (let k = 0; k < variants.length; k++) {
        const i = (w + k) % variants.length;
        const r = await window(concurrency, variants[i].run);
        acc[i].latencies.push(...r.latencies);
        acc[i].errors += r.errors;
        acc[i].elapsed += r.elapsed;
      }
    }
    for (const c of [...clients, ...eliciting]) await c.close().catch(() => undefined);
    const [mcp, dir, sse] = acc.map((a) => ({
      calls_per_s: (a.latencies.length / a.elapsed) * 1000,
      errors: a.errors,
      ...stats(a.latencies),
    }));
    results.push({
      concurrency,
      session_setup_ms: connectMs,
      mcp,
      direct: dir,
      mcp_sse: sse,
      throughput_ratio: mcp.calls_per_s / dir.calls_per_s,
    });
    process.stderr.write(`concurrency ${concurrency}: done\n`);
  }
} finally {
  await direct.close();
  await httpServer.close();
  await sandbox.close();
}

report(
  `Streamable HTTP throughput: ${TOOL} (${WINDOWS} x ${WINDOW_MS} ms windows per variant, alternating)`,
  [
    "clients",
    "MCP calls/s",
    "MCP p50 ms",
    "MCP p99 ms",
    "direct calls/s",
    "direct p50 ms",
    "direct p99 ms",
    "throughput MCP/direct",
    "SSE answers: calls/s",
    "SSE p50 ms",
    "SSE p99 ms",
    "errors",
    "session setup ms",
  ],
  results.map((r) => [
    r.concurrency,
    fmt(r.mcp.calls_per_s, 0),
    fmt(r.mcp.p50),
    fmt(r.mcp.p99),
    fmt(r.direct.calls_per_s, 0),
    fmt(r.direct.p50),
    fmt(r.direct.p99),
    fmt(r.throughput_ratio),
    fmt(r.mcp_sse.calls_per_s, 0),
    fmt(r.mcp_sse.p50),
    fmt(r.mcp_sse.p99),
    r.mcp.errors + r.direct.errors + r.mcp_sse.errors,
    fmt(r.session_setup_ms, 1),
  ]),
  [
    "Benchmark clients, the server and the sandbox share the same cores, so the ceiling is the machine's, not the server's alone.",
  ],
);
const file = writeResults("http-throughput", { tool: TOOL, window_ms: WINDOW_MS, windows: WINDOWS, results });
console.log(`\nresults: ${file}`);
