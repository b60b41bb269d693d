// 1. Tool-call overhead: get_acme_contract through the MCP server (in-memory, stdio, Streamable HTTP) versus
// DigiCertClient.call() directly, all against one sandbox process. Variants are interleaved round-robin (the
// starting variant rotates each round) after a warm-up, so drift and GC hit all of them alike.

import { join } from "node:path";
import { getOperation } from "../dist/src/operations/index.js";
import { args, fmt, ROOT, report, SRC_CLI, startSandboxProcess, stats, writeResults } from "./lib.mjs";
import {
  connectHttp,
  connectInMemory,
  connectStdio,
  directClient,
  rawCall,
  startHttpServerProcess,
} from "./mcp-clients.mjs";

const opts = args();
const WARMUP = Number(opts.warmup ?? (opts.quick ? 50 : 200));
const ROUNDS = Number(opts.rounds ?? (opts.quick ? 300 : 2000));
const MAX_MS = Number(opts["max-ms"] ?? (opts.quick ? 30_000 : 150_000));
const TOOL = "get_acme_contract";
const ARGS = { acme_contract_id: 10001 };

const sandbox = await startSandboxProcess();
const closers = [() => sandbox.close()];
try {
  const op = getOperation(TOOL);
  const direct = directClient(sandbox);
  closers.unshift(() => direct.close());
  const memory = await connectInMemory(sandbox);
  closers.unshift(() => memory.close());
  const stdio = await connectStdio(sandbox);
  closers.unshift(() => stdio.close());
  // the same server as tsc emits it, module by module: shows that bundling the bin (fix 9) costs no per-call time
  const stdioSrc = await connectStdio(sandbox, { args: [SRC_CLI] });
  closers.unshift(() => stdioSrc.close());
  // floors (bench/floor-server.mjs): the pipes alone, and the SDK's stdio server making the same DigiCert call
  const FLOOR = join(ROOT, "bench", "floor-server.mjs");
  const echo = await connectStdio(sandbox, { args: [FLOOR, "echo"] });
  closers.unshift(() => echo.close());
  const floor = await connectStdio(sandbox, { args: [FLOOR, "proxy"] });
  closers.unshift(() => floor.close());
  const httpServer = await startHttpServerProcess(sandbox);
  closers.unshift(() => httpServer.close());
  const http = await connectHttp(httpServer);
  closers.unshift(() => http.close());
  // the same server, a client that can elicit: answers come as SSE streams (fix 13 made the others plain JSON)
  const httpSse = await connectHttp(httpServer, { capabilities: { elicitation: { form: {} } } });
  closers.unshift(() => httpSse.close());
  // listTools lets the SDK client cache output validators, which callTool() then applies
  await memory.client.listTools();

  const check = (r) => {
    if (r.isError) throw new Error(`${TOOL} failed: ${JSON.stringify(r.content).slice(0, 300)}`);
  };
  const variants = [
    { name: "direct (DigiCertClient.call)", run: () => direct.call(op, ARGS) },
    { name: "in-memory MCP", run: () => rawCall(memory.client, TOOL, ARGS).then(check) },
    {
      name: "in-memory MCP + client output check",
      run: () => memory.client.callTool({ name: TOOL, arguments: ARGS }).then(check),
    },
    { name: "stdio MCP (child process)", run: () => rawCall(stdio.client, TOOL, ARGS).then(check) },
    { name: "Streamable HTTP MCP (child process)", run: () => rawCall(http.client, TOOL, ARGS).then(check) },
    {
      name: "Streamable HTTP MCP, client that can elicit (SSE answers)",
      run: () => rawCall(httpSse.client, TOOL, ARGS).then(check),
    },
    {
      name: "stdio MCP, dist/src unbundled (child process)",
      run: () => rawCall(stdioSrc.client, TOOL, ARGS).then(check),
    },
    {
      name: "floor: SDK stdio server making the same DigiCert call",
      run: () => rawCall(floor.client, TOOL, ARGS).then(check),
    },
    {
      name: "floor: pipes, raw JSON-RPC echo (no work)",
      run: () => rawCall(echo.client, TOOL, ARGS).then(check),
    },
  ];
  const samples = variants.map(() => []);

  const round = async (r, record) => {
    for (let k = 0; k < variants.length; k++) {
      const i = (r + k) % variants.length;
      const t0 = performance.now();
      await variants[i].run();
      const ms = performance.now() - t0;
      if (record) samples[i].push(ms);
    }
  };
  for (let r = 0; r < WARMUP; r++) await round(r, false);
  const started = performance.now();
  let rounds = 0;
  while (rounds < ROUNDS && performance.now() - started < MAX_MS) await round(rounds++, true);

  const base = stats(samples[0]);
  const results = variants.map((v, i) => {
    const s = stats(samples[i]);
    return {
      variant: v.name,
      ...s,
      ratio_p50: s.p50 / base.p50,
      added_p50_ms: s.p50 - base.p50,
      added_p99_ms: s.p99 - base.p99,
    };
  });
  report(
    `Tool-call overhead: ${TOOL} (${rounds} interleaved rounds after ${WARMUP} warm-up)`,
    ["variant", "n", "p50 ms", "p90 ms", "p99 ms", "p50 ratio", "added p50 ms", "added p99 ms"],
    results.map((r) => [
      r.variant,
      r.n,
      fmt(r.p50, 3),
      fmt(r.p90, 3),
      fmt(r.p99, 3),
      `${fmt(r.ratio_p50)}x`,
      fmt(r.added_p50_ms, 3),
      fmt(r.added_p99_ms, 3),
    ]),
    [
      `Target (issue 16): stdio p50 within 0.3 ms of direct → added ${fmt(results[3].added_p50_ms, 3)} ms: ${
        results[3].added_p50_ms <= 0.3 ? "met" : "MISSED"
      }; the SDK floor making the same call: +${fmt(results[7].added_p50_ms, 3)} ms, so this server's own share is ${fmt(
        results[3].p50 - results[7].p50,
        3,
      )} ms`,
    ],
  );
  const file = writeResults("overhead", {
    tool: TOOL,
    warmup: WARMUP,
    rounds,
    results,
    target: {
      stdio_added_p50_ms_max: 0.3,
      met: results[3].added_p50_ms <= 0.3,
      sdk_floor_added_p50_ms: results[7].added_p50_ms,
      over_sdk_floor_p50_ms: results[3].p50 - results[7].p50,
    },
  });
  console.log(`\nresults: ${file}`);
} finally {
  for (const close of closers) await close().catch((err) => console.error(`close: ${err.message}`));
}
