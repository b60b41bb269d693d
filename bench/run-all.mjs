// Runs every benchmark, one child process each (so none inherits another's heap or sockets), then prints the
// targets. `npm run bench` builds first. Options: --quick (fewer runs, shorter windows), --only a,b.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { args, fmt, machineLine, RESULTS_DIR, ROOT, table, writeResults } from "./lib.mjs";

const opts = args();
const BENCHMARKS = [
  { name: "startup", file: "startup.mjs", budgetMs: 120_000 },
  { name: "cold-start", file: "cold-start.mjs", budgetMs: 300_000 },
  { name: "overhead", file: "overhead.mjs", budgetMs: 240_000 },
  { name: "result-size", file: "result-size.mjs", budgetMs: 60_000 },
  { name: "http-throughput", file: "http-throughput.mjs", budgetMs: 180_000 },
  { name: "http-floors", file: "http-floors.mjs", budgetMs: 300_000 },
  { name: "agent-cost", file: "agent-cost.mjs", budgetMs: 300_000 },
  { name: "reporting", file: "reporting.mjs", budgetMs: 600_000 },
  { name: "reporting-floor", file: "reporting-floor.mjs", budgetMs: 1_200_000 },
  { name: "scrub", file: "scrub.mjs", budgetMs: 60_000 },
  { name: "app-page", file: "app-page.mjs", budgetMs: 300_000 },
];
const only = typeof opts.only === "string" ? opts.only.split(",") : undefined;
const selected = BENCHMARKS.filter((b) => !only || only.includes(b.name));

console.log(`# digicert-partner-mcp benchmarks${opts.quick ? " (--quick)" : ""}\n\n_${machineLine()}_`);
const runs = [];
for (const b of selected) {
  const started = performance.now();
  const code = await new Promise((resolveExit) => {
    const child = spawn(process.execPath, [join(ROOT, "bench", b.file), ...(opts.quick ? ["--quick"] : [])], {
      stdio: "inherit",
    });
    const timer = setTimeout(() => {
      console.error(`${b.name}: over its ${b.budgetMs / 1000} s budget, stopping it`);
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
    }, b.budgetMs);
    child.once("exit", (c, signal) => {
      clearTimeout(timer);
      resolveExit(c ?? signal);
    });
  });
  runs.push({ name: b.name, exit: code, seconds: (performance.now() - started) / 1000 });
}

const read = (name) => {
  const file = join(RESULTS_DIR, `${name}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
};
const targets = [];
// only results written by this run (a failed benchmark leaves the previous run's file behind)
const ran = (name) => runs.some((r) => r.name === name && r.exit === 0);
const overhead = read("overhead");
if (overhead && ran("overhead")) {
  const stdio = overhead.results.find((r) => r.variant.startsWith("stdio"));
  targets.push([
    "tool-call overhead: stdio p50 within 0.3 ms of direct (issue 16)",
    `+${fmt(stdio.added_p50_ms, 3)} ms (SDK floor +${fmt(overhead.target.sdk_floor_added_p50_ms, 3)} ms)`,
    overhead.target.met,
  ]);
}
const cold = read("cold-start");
if (cold && ran("cold-start")) {
  const ours = cold.results[0];
  const ref = cold.results[cold.results.length - 1];
  targets.push([
    "cold start: faster than server-everything (tools/list p50)",
    `${fmt(ours.tools_list.p50, 0)} ms vs ${fmt(ref.tools_list.p50, 0)} ms`,
    cold.target.faster_than_reference,
  ]);
}
if (cold && ran("cold-start")) {
  const bin = cold.results.find((r) => r.variant.includes("bin dist/bin (key"));
  targets.push([
    "cold start: within 1.3x the minimal SDK server bundled like the bin (tools/list p50)",
    `${fmt(bin?.ratio_to_floor_p50)}x`,
    cold.target.within_1_3x_of_bundled_minimal,
  ]);
}
const floors = read("http-floors");
if (floors && ran("http-floors")) {
  const by = (name) => floors.results.find((r) => r.variant === name);
  for (const mode of ["stateful", "stateless"]) {
    const ours = by(`this server, ${mode}: get_acme_contract`);
    const floor = by(`minimal SDK server, ${mode}: sandbox request`);
    const ratio = ours && floor ? ours.calls_per_s / floor.calls_per_s : Number.NaN;
    targets.push([
      `HTTP at ${floors.concurrency} clients, ${mode}: >= 0.7x the minimal same-SDK server (same sandbox request), 0 errors`,
      `${fmt(ratio)}x, ${ours?.errors ?? "n/a"} errors`,
      ratio >= 0.7 && ours?.errors === 0,
    ]);
  }
}
const cost = read("agent-cost");
if (cost && ran("agent-cost")) {
  targets.push([
    "agent cost: all tools under 6,000 tokens",
    `${cost.tools_list.total.o200k} o200k / ${cost.tools_list.total.cl100k} cl100k`,
    cost.target.met,
  ]);
}
console.log("\n## Targets\n");
console.log(
  table(
    ["target", "measured", "met"],
    targets.map(([t, m, ok]) => [t, m, ok ? "yes" : "NO"]),
  ),
);
console.log("\n## Runs\n");
console.log(
  table(
    ["benchmark", "exit", "seconds"],
    runs.map((r) => [r.name, r.exit, fmt(r.seconds, 1)]),
  ),
);
writeResults("run-all", { quick: opts.quick, runs, targets });
process.exitCode = runs.every((r) => r.exit === 0) ? 0 : 1;
