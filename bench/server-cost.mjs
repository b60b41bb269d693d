// Per-server cost of the reporting extension: what createMcpServer costs with the reporting tools, resources,
// prompts and check_setup registered (as the CLI's server factory does: once per HTTP session, and once per
// request in stateless HTTP), for two builds in the same process, interleaved, beside the floor of a server
// with the catalog tools only. Usage: node bench/server-cost.mjs [--before .tmp/before/dist] [--after dist]
//   [--rounds 15] [--per-round 40]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { args, fmt, ROOT, report, stats, writeResults } from "./lib.mjs";

const opts = args();
const ROUNDS = Number(opts.rounds ?? (opts.quick ? 5 : 15));
const PER_ROUND = Number(opts["per-round"] ?? 40);
const builds = {
  before: resolve(ROOT, opts.before ?? ".tmp/before/dist"),
  after: resolve(ROOT, opts.after ?? "dist"),
};
const dataDir = mkdtempSync(join(tmpdir(), "server-cost-"));

async function load(dist) {
  const from = (p) => import(pathToFileURL(join(dist, "src", p)).href);
  const { createMcpServer } = await from("mcp/server.js");
  const { registerReporting } = await from("mcp/reporting/index.js");
  const { registerSetupCheck } = await from("mcp/setup-tool.js");
  const { SnapshotStore } = await from("reporting/index.js");
  const { DigiCertClient } = await from("client/client.js");
  const { createLogger } = await from("logging.js");
  const logger = createLogger({ level: "info" });
  const credentials = { parentKey: "bench-partner-key-0123456789abcdef" };
  const client = new DigiCertClient({ baseUrl: "http://127.0.0.1:9", credentials });
  const store = new SnapshotStore({ dataDir, origin: client.baseUrl, accountKey: credentials.parentKey });
  const base = {
    client,
    logger,
    version: "0",
    confirmation: { mode: "required", secret: "bench-secret-bench-secret-bench-secret-0123" },
  };
  const withReporting = {
    ...base,
    extend: (server, ext) => {
      registerReporting(server, {
        client,
        logger,
        store,
        hasDevkey: false,
        access: ext.access,
        subscriptions: false,
      });
      registerSetupCheck(server, {
        profile: "default",
        credentials,
        baseUrl: client.baseUrl,
        version: "0",
        isToolSelected: ext.isToolSelected,
        scrub: (v) => client.scrub(v),
        logger,
      });
    },
  };
  return {
    client,
    catalogOnly: () => createMcpServer(base),
    reporting: () => createMcpServer(withReporting),
  };
}

const loaded = {};
for (const [name, dist] of Object.entries(builds)) loaded[name] = await load(dist);
const cases = [
  ["before: with reporting", loaded.before.reporting],
  ["after: with reporting", loaded.after.reporting],
  ["floor (after): catalog tools only", loaded.after.catalogOnly],
];
const samples = Object.fromEntries(cases.map(([n]) => [n, []]));
// first servers (schemas, precomputed file) and JIT warm-up, not measured
for (const [, make] of cases) for (let i = 0; i < 20; i++) make();
for (let r = 0; r < ROUNDS; r++) {
  // alternate the order each round, so neither build always runs after the other
  const order = r % 2 === 0 ? cases : [...cases].reverse();
  for (const [name, make] of order) {
    const t0 = performance.now();
    for (let i = 0; i < PER_ROUND; i++) make();
    samples[name].push((performance.now() - t0) / PER_ROUND);
  }
}
const results = cases.map(([name]) => ({ case: name, ...stats(samples[name]) }));
const floor = results[2].p50;
const before = results[0].p50;
report(
  `createMcpServer per server (ms, median of ${ROUNDS} interleaved rounds of ${PER_ROUND}, Node ${process.version})`,
  ["case", "p50 ms", "min ms", "max ms", "x floor", "x before"],
  results.map((r) => [
    r.case,
    fmt(r.p50, 3),
    fmt(r.min, 3),
    fmt(r.max, 3),
    fmt(r.p50 / floor, 2),
    fmt(r.p50 / before, 2),
  ]),
  [
    `extension's own cost (with reporting minus floor): before ${fmt(before - floor, 3)} ms, after ${fmt(results[1].p50 - floor, 3)} ms`,
  ],
);
for (const l of Object.values(loaded)) await l.client.close();
rmSync(dataDir, { recursive: true, force: true });
const file = writeResults("server-cost", { builds, rounds: ROUNDS, perRound: PER_ROUND, results });
console.log(`\nresults: ${file}`);
