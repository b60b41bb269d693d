// Before/after of a start-up change: cold start (stdio, key configured) of two builds, alternating, N runs each.
// Wall time to tools/list and the server's CPU time by then (steadier than wall time on a busy machine).
//
//   cp -r dist .tmp/before/dist && cp package.json .tmp/before/   # build A (before the change)
//   npm run build                                                   # build B (after) in dist/
//   node bench/ab-cold-start.mjs .tmp/before/dist dist [--runs 20] [--bin]
//
// --bin starts each build's bundled bin (DIST/bin/cli.js, what users start) instead of DIST/src/cli.js.
//
// A copy must sit two levels below the repository (e.g. .tmp/before/dist) so it finds node_modules and the
// version in package.json.
import { join, resolve } from "node:path";
import { args, coldStart, fmt, report, stats, writeResults } from "./lib.mjs";

const opts = args();
const [a, b] = process.argv.slice(2).filter((x) => !x.startsWith("--") && !/^\d+$/.test(x));
if (!a || !b) {
  console.error("usage: node bench/ab-cold-start.mjs DIST_A DIST_B [--runs N]");
  process.exit(2);
}
const RUNS = Number(opts.runs ?? 20);
const KEY_ENV = {
  DIGICERT_BASE_URL: "http://127.0.0.1:9",
  DIGICERT_PARTNER_API_KEY: "bench-partner-key-0123456789abcdef",
  DIGICERT_SUBACCOUNT_API_KEY: "bench-subaccount-key-0123456789abcdef",
};
const builds = [a, b].map((dir) => ({
  name: dir,
  argv: [join(resolve(dir), ...(opts.bin ? ["bin", "cli.js"] : ["src", "cli.js"]))],
  wall: [],
  cpu: [],
}));
for (const build of builds) await coldStart(build.argv, KEY_ENV); // warm the file cache
const started = performance.now();
for (let i = 0; i < RUNS && performance.now() - started < 300_000; i++) {
  for (let k = 0; k < builds.length; k++) {
    const build = builds[(i + k) % builds.length];
    const r = await coldStart(build.argv, KEY_ENV);
    build.wall.push(r.tools_list_ms);
    if (r.cpu_ms !== undefined) build.cpu.push(r.cpu_ms);
  }
}
const results = builds.map((x) => ({ build: x.name, wall: stats(x.wall), cpu: stats(x.cpu) }));
report(
  "Cold start A/B (stdio, key configured; spawn → tools/list answer)",
  ["build", "runs", "wall p50 ms", "wall p90 ms", "CPU p50 ms", "CPU mean ms"],
  results.map((r) => [
    r.build,
    r.wall.n,
    fmt(r.wall.p50, 1),
    fmt(r.wall.p90, 1),
    fmt(r.cpu.p50, 0),
    fmt(r.cpu.mean, 0),
  ]),
  [
    `B/A: wall p50 ${fmt(results[1].wall.p50 / results[0].wall.p50)}x, CPU mean ${fmt(results[1].cpu.mean / results[0].cpu.mean)}x`,
  ],
);
writeResults("ab-cold-start", { results });
