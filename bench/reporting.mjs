// 4. Reporting at scale. The measuring is bench/reporting-scale.mjs (owned by the reporting code; each size in
// a fresh process, sandbox in another): this runs it, passes its table through, and adds how each figure
// grows per 10x more contracts (10 = linear) from its JSON.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { args, fmt, RESULTS_DIR, ROOT, table, writeResults } from "./lib.mjs";

const opts = args();
const script = join(ROOT, "bench", "reporting-scale.mjs");
const SIZES = opts.sizes ?? "1000,10000,100000";
const RUNS = opts.runs ?? (opts.quick ? "1" : "3");

if (!existsSync(script)) {
  console.log("\n## Reporting at scale\n\nn/a: bench/reporting-scale.mjs does not exist yet.");
  writeResults("reporting", { skipped: "bench/reporting-scale.mjs missing" });
  process.exit(0);
}

console.log(`\n## Reporting at scale (bench/reporting-scale.mjs --sizes ${SIZES} --runs ${RUNS})\n`);
const code = await new Promise((resolveExit) => {
  const child = spawn(process.execPath, [script, "--sizes", SIZES, "--runs", RUNS], { stdio: "inherit" });
  // 100,000 contracts x 3 runs takes about a minute here; 10 minutes means something is wrong
  const timer = setTimeout(() => child.kill("SIGTERM"), 600_000);
  child.once("exit", (c) => {
    clearTimeout(timer);
    resolveExit(c);
  });
});
if (code !== 0) {
  console.log(`reporting-scale.mjs exited with ${code}`);
  process.exit(1);
}

const data = JSON.parse(readFileSync(join(RESULTS_DIR, "reporting-scale.json"), "utf8"));
const results = data.results;
const metrics = [
  ["take + store", (r) => r.ms.fetch + r.ms.record],
  ["summary + Markdown", (r) => r.ms.summary],
  ["diff", (r) => r.ms.diff],
  ["read back (cold)", (r) => r.ms.read_cold],
  ["CSV", (r) => r.ms.csv],
  ["peak RSS", (r) => r.memory.peak_rss],
  ["peak heap", (r) => r.memory.peak_heap],
];
const growth = metrics.map(([name, get]) => {
  const steps = [];
  for (let i = 1; i < results.length; i++) {
    const a = results[i - 1];
    const b = results[i];
    steps.push({
      from: a.contracts,
      to: b.contracts,
      factor: get(b) / get(a),
      contracts_factor: b.contracts / a.contracts,
    });
  }
  return { metric: name, steps };
});
if (results.length > 1) {
  const headers = [
    "growth",
    ...growth[0].steps.map((s) => `${s.from.toLocaleString("en-US")} → ${s.to.toLocaleString("en-US")}`),
  ];
  console.log(
    `\nHow it grows (factor per step; contracts grow ${fmt(growth[0].steps[0].contracts_factor, 0)}x per step, so ≈10 is linear):\n`,
  );
  console.log(
    table(
      headers,
      growth.map((g) => [g.metric, ...g.steps.map((s) => `${fmt(s.factor, 1)}x`)]),
    ),
  );
}
const file = writeResults("reporting", {
  source: "bench/reporting-scale.mjs",
  runs: Number(RUNS),
  results,
  growth,
});
console.log(`\nresults: ${file} (and bench/results/reporting-scale.json)`);
