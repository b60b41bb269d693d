// Shared helpers for the benchmarks: arguments, statistics, tables, machine description, results files,
// child processes (sandbox, server). Everything is loopback-only and every wait is bounded.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const RESULTS_DIR = join(ROOT, "bench", "results");
export const CLI = join(ROOT, "dist", "src", "cli.js");

/** `--quick` (fewer runs, shorter windows) and `--name value` / `--name=value` options. */
export function args(argv = process.argv.slice(2)) {
  const out = { quick: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) continue;
    const eq = a.indexOf("=");
    if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith("--")) out[a.slice(2)] = argv[++i];
    else out[a.slice(2)] = true;
  }
  out.quick = out.quick === true || out.quick === "true";
  return out;
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

/** n, min, p50, p90, p99, max, mean of a list of numbers (ms). */
export function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((s, x) => s + x, 0);
  return {
    n: sorted.length,
    min: sorted[0] ?? Number.NaN,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
  };
}

export function fmt(x, digits = 2) {
  if (x === undefined || x === null || Number.isNaN(x)) return "n/a";
  if (typeof x === "string") return x;
  return x.toFixed(digits);
}

export function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

export function mib(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** A Markdown table (also readable in a terminal), columns padded. */
export function table(headers, rows) {
  const cells = [headers, ...rows].map((r) => r.map((c) => String(c)));
  const widths = headers.map((_, i) => Math.max(3, ...cells.map((r) => (r[i] ?? "").length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  const sep = `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`;
  return [line(cells[0]), sep, ...cells.slice(1).map(line)].join("\n");
}

/** The machine the figures come from. */
export function machine() {
  let cpu = os.cpus()[0]?.model ?? "unknown";
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    const m = /^model name\s*:\s*(.+)$/m.exec(info);
    if (m) cpu = m[1].trim();
  } catch {
    // not Linux: os.cpus() it is
  }
  return {
    date: new Date().toISOString(),
    nproc: os.availableParallelism(),
    memory_gib: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
    node: process.version,
    cpu,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    // other work on the machine while measuring (1, 5, 15 min); figures taken under load are noisier
    loadavg: os.loadavg().map((x) => Number(x.toFixed(2))),
  };
}

export function machineLine(m = machine()) {
  return `${m.date.slice(0, 10)} · ${m.cpu} · nproc ${m.nproc} · ${m.memory_gib} GiB · Node ${m.node} · ${m.platform} · load ${m.loadavg.join(" ")}`;
}

/** Writes bench/results/<name>.json with the machine description added. */
export function writeResults(name, data) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, `${JSON.stringify({ benchmark: name, machine: machine(), ...data }, null, 2)}\n`);
  return file;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Rejects after `ms` with a message, so no wait in a benchmark can hang. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Waits for a child to exit, killing it (SIGKILL) if it has not after `ms`. */
export function waitExit(child, ms = 5_000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveExit) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolveExit();
    });
  });
}

/**
 * Starts bench/sandbox-proc.mjs in its own process. `generate` e.g. "1000x100". Resolves with
 * {url, keys, close()} once it listens.
 */
export async function startSandboxProcess(generate, timeoutMs = 120_000) {
  const argv = [join(ROOT, "bench", "sandbox-proc.mjs")];
  if (generate) argv.push(generate);
  const child = spawn(process.execPath, ["--max-old-space-size=4096", ...argv], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const first = new Promise((resolveLine, reject) => {
    lines.once("line", resolveLine);
    child.once("exit", (code) => reject(new Error(`sandbox process exited (${code}) before listening`)));
  });
  const info = JSON.parse(await withTimeout(first, timeoutMs, "sandbox process"));
  return {
    ...info,
    pid: child.pid,
    async close() {
      child.stdin.end();
      await waitExit(child);
    },
  };
}

/** Environment for the server CLI pointed at a sandbox with its demo keys (no in-process sandbox). */
export function serverEnv(sandbox, extra = {}) {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "info" };
  return {
    ...env,
    DIGICERT_BASE_URL: sandbox.url,
    DIGICERT_PARTNER_API_KEY: sandbox.keys.parent,
    DIGICERT_SUBACCOUNT_API_KEY: sandbox.keys.subaccounts["1001"],
    DIGICERT_DEVKEY: sandbox.keys.devkey,
    ...extra,
  };
}

/** A free loopback port (listen on 0, close). */
export async function freePort() {
  const { createServer } = await import("node:net");
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

/** Prints a section heading, the machine line and a table. */
export function report(title, headers, rows, notes = []) {
  console.log(`\n## ${title}\n`);
  console.log(`_${machineLine()}_\n`);
  console.log(table(headers, rows));
  for (const n of notes) console.log(`\n${n}`);
}
