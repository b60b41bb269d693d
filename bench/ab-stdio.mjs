// stdio overhead beside its floors, and before/after of a per-call change, side by side in one run.
// Each entry point (a CLI file: dist/bin/cli.js, dist/src/cli.js, or another checkout's) runs as its own stdio
// child; every round calls get_acme_contract once through each, once through each floor and once through
// DigiCertClient directly, the order rotating. All MCP variants use the same SDK client (raw tools/call
// request, no output-schema check), so the client's own cost is the same in every row.
// Floors (bench/floor-server.mjs), unless --no-floors:
//   pipes: raw JSON-RPC echo   no SDK on the server side: the pipes, JSON and the client, nothing else
//   SDK stdio server, trivial  the SDK's McpServer answering a tool that does no work
//   SDK stdio server, proxy    the SDK's McpServer making the same DigiCert call, returning the JSON: the
//                              least a stdio server doing this job can cost (its figure minus direct's)
//
//   git worktree add --detach ../before <commit> && (cd ../before && ln -s ../main/node_modules && npx tsc -p .)
//   node bench/ab-stdio.mjs [../before/dist/src/cli.js] [dist/bin/cli.js] [--rounds 2500] [--no-floors]
import { join, resolve } from "node:path";
import { args, CLI, fmt, ROOT, report, startSandboxProcess, stats, writeResults } from "./lib.mjs";
import { connectStdio, directClient, rawCall } from "./mcp-clients.mjs";

const opts = args();
const entries = process.argv
  .slice(2)
  .filter((x, i, all) => !x.startsWith("--") && !/^\d+$/.test(x) && all[i - 1] !== "--rounds");
if (entries.length === 0) entries.push(CLI);
const ROUNDS = Number(opts.rounds ?? 2_500);
const WARMUP = Math.min(300, Math.floor(ROUNDS / 10));
const FLOORS = !opts["no-floors"];
const TOOL = "get_acme_contract";
const ARGS = { acme_contract_id: 10001 };
const FLOOR = join(ROOT, "bench", "floor-server.mjs");

const sandbox = await startSandboxProcess();
const direct = directClient(sandbox);
const servers = [];
try {
  if (FLOORS) {
    servers.push({
      name: "floor: pipes, raw JSON-RPC echo",
      ...(await connectStdio(sandbox, { args: [FLOOR, "echo"] })),
    });
    servers.push({
      name: "floor: SDK stdio server, trivial tool",
      ...(await connectStdio(sandbox, { args: [FLOOR, "trivial"] })),
    });
    servers.push({
      name: "floor: SDK stdio server, same DigiCert call",
      ...(await connectStdio(sandbox, { args: [FLOOR, "proxy"] })),
    });
  }
  for (const entry of entries)
    servers.push({
      name: `stdio: ${entry.replace(`${ROOT}/`, "")}`,
      ours: true,
      ...(await connectStdio(sandbox, { args: [resolve(entry)] })),
    });
  const variants = [
    { name: "direct (DigiCertClient.call)", run: () => direct.call(TOOL, ARGS) },
    ...servers.map((s) => ({
      name: s.name,
      ours: s.ours,
      run: async () => {
        const r = await rawCall(s.client, TOOL, ARGS);
        if (r.isError) throw new Error(`${s.name}: ${JSON.stringify(r.content).slice(0, 200)}`);
      },
    })),
  ];
  if (FLOORS)
    variants.push({
      name: "ping to the last server (SDK client.ping)",
      run: () => servers.at(-1).client.ping(),
    });
  const samples = variants.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < variants.length; k++) {
      const i = (r + k) % variants.length;
      const t = performance.now();
      await variants[i].run();
      if (r >= WARMUP) samples[i].push(performance.now() - t);
    }
  }
  const base = stats(samples[0]).p50;
  const proxy = FLOORS ? stats(samples[3]).p50 : undefined;
  const rows = variants.map((v, i) => {
    const s = stats(samples[i]);
    return {
      variant: v.name,
      n: s.n,
      p50_ms: s.p50,
      p90_ms: s.p90,
      p99_ms: s.p99,
      added_p50_ms: s.p50 - base,
      over_floor_p50_ms: proxy !== undefined && v.ours ? s.p50 - proxy : undefined,
    };
  });
  report(
    `stdio overhead beside its floors: ${TOOL} (${ROUNDS - WARMUP} rounds after ${WARMUP} warm-up)`,
    ["variant", "n", "p50 ms", "p90 ms", "p99 ms", "added p50 ms (vs direct)", "over the SDK floor p50 ms"],
    rows.map((r) => [
      r.variant,
      r.n,
      fmt(r.p50_ms, 3),
      fmt(r.p90_ms, 3),
      fmt(r.p99_ms, 3),
      fmt(r.added_p50_ms, 3),
      r.over_floor_p50_ms === undefined ? "" : fmt(r.over_floor_p50_ms, 3),
    ]),
    rows
      .filter((_r, i) => variants[i].ours)
      .map(
        (r) =>
          `Target (issue 16): stdio p50 within 0.3 ms of direct → ${r.variant}: +${fmt(r.added_p50_ms, 3)} ms: ${r.added_p50_ms <= 0.3 ? "met" : "MISSED"}`,
      ),
  );
  console.log(`\nresults: ${writeResults("ab-stdio", { rounds: ROUNDS, warmup: WARMUP, results: rows })}`);
} finally {
  for (const s of servers) await s.close().catch(() => undefined);
  await direct.close();
  await sandbox.close();
}
