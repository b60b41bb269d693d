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
/** The package's `bin`: the bundled server (dist/bin/cli.js), what users and MCP clients start. */
export const CLI = join(
  ROOT,
  JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).bin["digicert-partner-mcp"],
);
/** The same server as tsc compiled it, module by module (the library entry points; the bin before fix 9). */
export const SRC_CLI = join(ROOT, "dist", "src", "cli.js");

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

export const PROTOCOL = "2025-06-18";
const PER_RUN_TIMEOUT_MS = 20_000;

/** CPU time (user + system) the process has used so far, from /proc (Linux); undefined elsewhere. */
export function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields from the 3rd on: utime is the 14th field of the line, stime the 15th (clock ticks, 100 per second)
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/**
 * One cold start: ms to the initialize answer, to the tools/list answer, the server's CPU time by then (less
 * sensitive to other load on the machine than wall time), and the number of tools.
 */
export async function coldStart(argv, env) {
  const t0 = performance.now();
  const child = spawn(process.execPath, argv, {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ["pipe", "pipe", "ignore"],
  });
  const lines = createInterface({ input: child.stdout });
  const answers = new Map();
  const waiting = new Map();
  lines.on("line", (line) => {
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    if (msg.id === undefined) return;
    const at = performance.now();
    answers.set(msg.id, { msg, at, cpu: cpuMs(child.pid) });
    waiting.get(msg.id)?.();
  });
  const answer = (id) =>
    new Promise((resolveAnswer, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to id ${id}`)), PER_RUN_TIMEOUT_MS);
      const done = () => {
        clearTimeout(timer);
        const a = answers.get(id);
        if (a.msg.error) reject(new Error(`id ${id}: ${JSON.stringify(a.msg.error)}`));
        else resolveAnswer(a);
      };
      if (answers.has(id)) done();
      else waiting.set(id, done);
      child.once("exit", (code) => reject(new Error(`exited (${code}) before answering id ${id}`)));
    });
  const send = (m) => child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", ...m })}\n`);
  try {
    send({
      id: 1,
      method: "initialize",
      params: { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: "bench", version: "0" } },
    });
    const init = await answer(1);
    send({ method: "notifications/initialized" });
    send({ id: 2, method: "tools/list", params: {} });
    const list = await answer(2);
    return {
      initialize_ms: init.at - t0,
      tools_list_ms: list.at - t0,
      cpu_ms: list.cpu,
      tools: list.msg.result.tools.length,
    };
  } finally {
    child.stdin.end();
    // servers stop when stdin closes; SIGTERM after 2 s, SIGKILL after 5 s more
    const term = setTimeout(() => child.kill("SIGTERM"), 2_000);
    await waitExit(child, 7_000);
    clearTimeout(term);
  }
}
