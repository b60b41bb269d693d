// Reporting at scale: snapshot take + store, summary, diff, CSV, domain lookup and expiry list at 1,000 /
// 10,000 / 100,000 contracts, with peak memory. Runs from the build output (npm run build first):
//
//   node bench/reporting-scale.mjs [--sizes 1000,10000,100000] [--runs 3]
//
// Each size runs in a fresh process (so peak RSS belongs to that size alone) against a sandbox in another
// process (so the emulator's memory and event loop are not counted). Results: a Markdown table on stdout and
// bench/results/reporting-scale.json.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SELF = fileURLToPath(import.meta.url);
const CONTRACTS_PER_SUBACCOUNT = 10;

function option(name, fallback) {
  const argv = process.argv.slice(2);
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  const a = argv[i];
  return a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[i + 1];
}

/** Starts a child running this file in `role`; resolves with the first JSON line it prints. */
function child(role, extra, { keepAlive = false } = {}) {
  const proc = spawn(process.execPath, ["--expose-gc", SELF, "--role", role, ...extra], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  return new Promise((resolveLine, reject) => {
    const timer = setTimeout(() => reject(new Error(`${role} gave no answer in 10 minutes`)), 600_000);
    const lines = createInterface({ input: proc.stdout });
    lines.once("line", (line) => {
      clearTimeout(timer);
      resolveLine({ value: JSON.parse(line), proc });
      if (!keepAlive) proc.stdin.end();
    });
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${role} exited with ${code}`));
    });
  });
}

async function orchestrate() {
  const sizes = String(option("sizes", "1000,10000,100000"))
    .split(",")
    .map((s) => Number(s.trim()))
    .filter((n) => n > 0);
  const runs = Number(option("runs", "3"));
  const results = [];
  for (const size of sizes) {
    const subaccounts = Math.max(1, Math.round(size / CONTRACTS_PER_SUBACCOUNT));
    const sandbox = await child("sandbox", ["--generate", `${subaccounts}x${CONTRACTS_PER_SUBACCOUNT}`], {
      keepAlive: true,
    });
    try {
      const measured = await child("measure", [
        "--url",
        sandbox.value.url,
        "--key",
        sandbox.value.keys.parent,
        "--runs",
        String(runs),
      ]);
      results.push(measured.value);
      process.stderr.write(`${size}: done\n`);
    } finally {
      sandbox.proc.stdin.end();
    }
  }
  const machine = {
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpu: os.cpus()[0]?.model ?? "unknown",
    cpus: os.cpus().length,
    memory_gib: Math.round(os.totalmem() / 2 ** 30),
  };
  mkdirSync(join(ROOT, "bench", "results"), { recursive: true });
  writeFileSync(
    join(ROOT, "bench", "results", "reporting-scale.json"),
    `${JSON.stringify({ date: new Date().toISOString(), machine, runs, results }, null, 2)}\n`,
  );
  const ms = (x) => (x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString("en-US"));
  const mb = (bytes) => (bytes / 2 ** 20).toFixed(1);
  const rows = [
    [
      "contracts (subaccounts)",
      (r) => `${r.contracts.toLocaleString("en-US")} (${r.subaccounts.toLocaleString("en-US")})`,
    ],
    ["fetch GET /account/reporting, ms", (r) => ms(r.ms.fetch)],
    ["store new snapshot, ms", (r) => ms(r.ms.record)],
    ["take + store total, ms", (r) => ms(r.ms.fetch + r.ms.record)],
    ["same report again (check only), ms", (r) => ms(r.ms.record_unchanged)],
    ["read back (cold: gunzip + verify + parse), ms", (r) => ms(r.ms.read_cold)],
    ["summary + Markdown, ms", (r) => ms(r.ms.summary)],
    ["diff (≈3% changed), ms", (r) => ms(r.ms.diff)],
    ["CSV, ms", (r) => ms(r.ms.csv)],
    ["domain lookup, ms", (r) => ms(r.ms.domain)],
    ["expiring in 30 days, ms", (r) => ms(r.ms.expiring)],
    ["report JSON / snapshot file, MB", (r) => `${mb(r.bytes.canonical)} / ${mb(r.bytes.gzip)}`],
    ["summary Markdown, KB", (r) => (r.bytes.summary / 1024).toFixed(1)],
    ["peak RSS during the first take + store, MB", (r) => mb(r.memory.peak_rss_take)],
    ["peak RSS / heap over the whole run, MB", (r) => `${mb(r.memory.peak_rss)} / ${mb(r.memory.peak_heap)}`],
  ];
  const header = ["", ...results.map((r) => r.contracts.toLocaleString("en-US"))];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const [label, cell] of rows.slice(1)) lines.push(`| ${label} | ${results.map(cell).join(" | ")} |`);
  process.stdout.write(
    `Reporting scale (median of ${runs} runs; ${machine.node}, ${machine.cpu} × ${machine.cpus}, ${machine.platform})\n\n${lines.join("\n")}\n`,
  );
}

async function runSandbox() {
  const { startSandbox } = await import(join(ROOT, "dist", "sandbox", "index.js"));
  const m = /^(\d+)x(\d+)$/.exec(String(option("generate", "")));
  const sandbox = await startSandbox({
    seed: "empty",
    generate: m ? { subaccounts: Number(m[1]), contractsPerSubaccount: Number(m[2]) } : undefined,
  });
  process.stdout.write(`${JSON.stringify({ url: sandbox.url, keys: sandbox.keys })}\n`);
  const stop = () => void sandbox.close().finally(() => process.exit(0));
  process.stdin.on("end", stop);
  process.stdin.resume();
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Changes about 3% of a report the way a busy partner's day would: cancels, SAN edits, renewals, new, gone. */
function mutate(report) {
  const copy = structuredClone(report);
  let n = 0;
  for (const account of copy.accounts) {
    account.acme = account.acme.filter((c) => {
      n++;
      if (n % 200 === 0) return false; // removed
      if (n % 100 === 1) c.date_canceled = "2026-06-01T00:00:00Z";
      if (n % 100 === 2) c.sans = [...c.sans.slice(1), `new-${n}.example.com`];
      if (n % 100 === 3) c.valid_till = "2031-01-01T00:00:00Z";
      return true;
    });
  }
  for (let i = 0; i < Math.ceil(n / 200); i++) {
    const account = copy.accounts[i % copy.accounts.length];
    account.acme.push({
      ...account.acme[0],
      acme_contract_id: 900_000_000 + i,
      sans: [`added-${i}.example.com`],
    });
  }
  return copy;
}

async function measure() {
  const dist = (p) => join(ROOT, "dist", p);
  const { DigiCertClient } = await import(dist("src/client/client.js"));
  const reporting = await import(dist("src/reporting/index.js"));
  const url = option("url");
  const key = option("key");
  const runs = Number(option("runs", "3"));
  let peakHeap = 0;
  const sample = () => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  const timed = async (fn) => {
    const start = performance.now();
    const value = await fn();
    const ms = performance.now() - start;
    sample();
    return { value, ms };
  };
  const client = new DigiCertClient({
    baseUrl: url,
    credentials: { parentKey: key },
    timeouts: { totalMs: 600_000, headersMs: 300_000, bodyMs: 300_000 },
  });
  const nowMs = Date.now();
  const samples = {};
  const add = (name, ms) => {
    samples[name] ??= [];
    samples[name].push(ms);
  };
  let last;
  let takePeakRss;
  for (let run = 0; run < runs; run++) {
    const dataDir = await mkdtemp(join(os.tmpdir(), "reporting-bench-"));
    try {
      const store = new reporting.SnapshotStore({ dataDir, origin: url, accountKey: key, cacheSize: 1 });
      const fetched = await timed(() => client.call("get_account_reporting", {}));
      add("fetch", fetched.ms);
      const report = fetched.value.data;
      const recorded = await timed(() => store.record(report));
      add("record", recorded.ms);
      // maxRSS only grows: read right after the first take, it is the peak of fetch + parse + store alone
      takePeakRss ??= process.resourceUsage().maxRSS * 1024;
      add("record_unchanged", (await timed(() => store.record(report))).ms);
      const cold = new reporting.SnapshotStore({ dataDir, origin: url, accountKey: key, cacheSize: 0 });
      const read = await timed(() => cold.read(recorded.value.meta.id));
      add("read_cold", read.ms);
      const summary = await timed(() =>
        reporting.renderSummaryMarkdown(reporting.summarizeReport(report, { nowMs, previous: report }), {
          snapshot_id: recorded.value.meta.id,
        }),
      );
      add("summary", summary.ms);
      const changed = mutate(report);
      const diff = await timed(() => reporting.diffReports(report, changed));
      add("diff", diff.ms);
      const csv = await timed(() => reporting.toCsv(report));
      add("csv", csv.ms);
      add(
        "domain",
        (await timed(() => reporting.findContractsForDomain(report, "www.customer100500.example", nowMs))).ms,
      );
      add("expiring", (await timed(() => reporting.expiringContracts(report, { days: 30, nowMs }))).ms);
      const files = await readdir(store.dir);
      const gz = files.find((f) => f.endsWith(".json.gz"));
      last = {
        contracts: recorded.value.meta.counts.contracts,
        subaccounts: recorded.value.meta.counts.subaccounts,
        bytes: {
          canonical: recorded.value.meta.bytes,
          gzip: gz ? (await stat(join(store.dir, gz))).size : 0,
          summary: Buffer.byteLength(summary.value),
          csv: Buffer.byteLength(csv.value),
        },
        diff_counts: diff.value.counts,
      };
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
    globalThis.gc?.();
  }
  await client.close();
  const ms = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  const memory = {
    peak_rss_take: takePeakRss,
    peak_rss: process.resourceUsage().maxRSS * 1024,
    peak_heap: peakHeap,
  };
  process.stdout.write(`${JSON.stringify({ ...last, ms, memory })}\n`);
  process.exit(0);
}

const role = option("role", "main");
if (role === "sandbox") await runSandbox();
else if (role === "measure") await measure();
else await orchestrate();
