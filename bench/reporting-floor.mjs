// Reporting against its floor: at each size, in one run, the floor (a bare fetch + JSON.parse of GET
// /account/reporting in a fresh process: time and peak RSS) beside the server's own path (client.callStrict +
// store.take, then the change counts take_reporting_snapshot shows), taken three times in ONE long-lived process
// (the server's situation: 2nd and 3rd takes are where memory piles up), then the summary, diff, domain and
// expiry queries, for the files store and the PostgreSQL store. Runs from the build output (npm run build first):
//
//   node bench/reporting-floor.mjs [--sizes 100000,300000] [--stores file,pg] [--takes 3] [--quick: 100000 only]
//
// The floor runs before and after each store's process (interleaved) and the ratio uses their mean. The
// sandbox runs in its own process. Each take after the first changes one contract's valid_till, so it is a new
// snapshot (as a real day's report would be). Results: a Markdown table on stdout and
// bench/results/reporting-floor.json. PostgreSQL: initdb + pg_ctl on a loopback port (as test/helpers/postgres.ts),
// removed at the end.
import { execFile, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startPostgres } from "./postgres.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SELF = fileURLToPath(import.meta.url);
const CONTRACTS_PER_SUBACCOUNT = 10;
const dist = (p) => join(ROOT, "dist", p);
const _run = promisify(execFile);

function option(name, fallback) {
  const argv = process.argv.slice(2);
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  const a = argv[i];
  return a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[i + 1];
}

const maxRss = () => process.resourceUsage().maxRSS * 1024;

/** Starts a child running this file in `role`; resolves with the first JSON line it prints. */
function child(role, extra, { keepAlive = false, nodeArgs = [] } = {}) {
  const proc = spawn(process.execPath, [...nodeArgs, SELF, "--role", role, ...extra], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  return new Promise((resolveLine, reject) => {
    const timer = setTimeout(() => reject(new Error(`${role} gave no answer in 15 minutes`)), 900_000);
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

// --- PostgreSQL (a throwaway server, as test/helpers/postgres.ts starts one) ---

// --- roles ---

async function runSandbox() {
  const { startSandbox } = await import(dist("sandbox/index.js"));
  const m = /^(\d+)x(\d+)$/.exec(String(option("generate", "")));
  const sandbox = await startSandbox({
    seed: "empty",
    generate: m ? { subaccounts: Number(m[1]), contractsPerSubaccount: Number(m[2]) } : undefined,
  });
  process.stdout.write(`${JSON.stringify({ url: sandbox.url, keys: sandbox.keys })}\n`);
  process.stdin.on("end", () => void sandbox.close().finally(() => process.exit(0)));
  process.stdin.resume();
}

/** The floor: undici request + body text + JSON.parse, nothing else, in a fresh process. */
async function runFloor() {
  const { request } = await import("undici");
  const { getReporting } = await import(dist("src/operations/account.js"));
  const { renderPath } = await import(dist("src/operations/index.js"));
  const base = maxRss();
  const start = performance.now();
  const res = await request(option("url") + renderPath(getReporting, {}), {
    headers: { accept: "application/json", "x-partner-apikey": option("key") },
  });
  const text = await res.body.text();
  const fetched = performance.now();
  const report = JSON.parse(text);
  const end = performance.now();
  const contracts = report.accounts.reduce((n, a) => n + a.acme.length, 0);
  process.stdout.write(
    `${JSON.stringify({
      ms: end - start,
      ms_parse: end - fetched,
      bytes: Buffer.byteLength(text),
      contracts,
      rss_peak: maxRss(),
      rss_start: base,
    })}\n`,
  );
  process.exit(0);
}

/** The server's path, `takes` times in one process, then the queries. */
async function runServer() {
  const { DigiCertClient } = await import(dist("src/client/client.js"));
  const { getReporting } = await import(dist("src/operations/account.js"));
  const reporting = await import(dist("src/reporting/index.js"));
  const takes = Number(option("takes", "3"));
  const client = new DigiCertClient({
    baseUrl: option("url"),
    credentials: { parentKey: option("key") },
    timeouts: { totalMs: 600_000, headersMs: 300_000, bodyMs: 300_000 },
  });
  let store;
  let db;
  let dataDir;
  if (option("store") === "pg") {
    const { Database } = await import(dist("src/state/database.js"));
    db = await Database.open(option("db"));
    store = new reporting.PgSnapshotStore({ db, origin: option("url"), accountKey: option("key") });
  } else {
    dataDir = await mkdtemp(join(os.tmpdir(), "reporting-floor-"));
    store = new reporting.FileSnapshotStore({ dataDir, origin: option("url"), accountKey: option("key") });
  }
  const base = maxRss();
  const out = { takes: [], queries: {}, rss_start: base };
  for (let n = 0; n < takes; n++) {
    const start = performance.now();
    let fetchedAt = start;
    // what ReportingContext.take does: callStrict (snapshots rely on the documented form) inside store.take
    const recorded = await store.take(async () => {
      const { data } = await client.callStrict(getReporting, {});
      fetchedAt = performance.now();
      if (n > 0) {
        // one contract's expiry moves: a new snapshot, as a real day's report would be
        const c = data.accounts[n % data.accounts.length].acme[0];
        c.valid_till = new Date(Date.parse(c.valid_till) + n * 86_400_000).toISOString().replace(".000", "");
      }
      return data;
    });
    const taken = performance.now();
    // what take_reporting_snapshot adds: the change counts since the previous snapshot
    let changes = null;
    if (recorded.created && recorded.previous) {
      // as take_reporting_snapshot asks since the stores answer the diff (PostgreSQL: from its rows)
      changes = (await store.diff(recorded.previous.id, recorded.meta.id, 0))?.counts ?? null;
    }
    const end = performance.now();
    // PostgreSQL writes the contract rows after the snapshot's commit; the take does not wait for them. Waited
    // for here (not timed in the take), as the next take comes minutes later, not at once.
    await store.settled();
    const rowsWritten = performance.now();
    out.takes.push({
      ms: end - start,
      ms_rows_after: rowsWritten - end,
      ms_take: taken - start,
      ms_fetch: fetchedAt - start,
      ms_changes: end - taken,
      created: recorded.created,
      expiry_moved: changes?.expiry_moved ?? null,
      rss_peak_so_far: maxRss(),
    });
    out.bytes = recorded.meta.bytes;
    out.contracts = recorded.meta.counts.contracts;
  }
  const latest = await store.latest();
  const nowMs = Date.now();
  const timed = async (name, fn) => {
    const start = performance.now();
    await fn();
    out.queries[name] = performance.now() - start;
  };
  // as reporting_summary asks since the stores answer it (PostgreSQL: stored with the snapshot)
  await timed("summary", async () => {
    const answer = await store.summary(latest.id);
    reporting.renderSummaryMarkdown(answer.summary, {
      snapshot_id: latest.id,
      previous_id: answer.previous_id,
    });
  });
  await timed("diff", async () => {
    const p = await store.previous(latest.id);
    await store.diff(p.id, latest.id);
  });
  // as the tools ask since the stores answer these themselves (PostgreSQL: from its per-contract rows)
  await timed("domain", () => store.findDomain(latest.id, DOMAIN, { nowMs, limit: 50 }));
  await timed("expiring", () => store.expiring(latest.id, { days: 30, nowMs, offset: 0, limit: 50 }));
  out.rss_peak = maxRss();
  await store.close();
  await db?.close();
  await client.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify(out)}\n`);
  process.exit(0);
}

const DOMAIN = "www.customer100500.example";

/**
 * A replica that has just started (PostgreSQL only): a fresh process and store on the database the server role
 * filled, asking the domain and expiry queries as the tools do (store methods, no report read), then the same
 * answers from the whole report (read + the pure functions), with peak RSS after each step.
 */
async function runQueries() {
  const reporting = await import(dist("src/reporting/index.js"));
  const { Database } = await import(dist("src/state/database.js"));
  const db = await Database.open(option("db"));
  const store = new reporting.PgSnapshotStore({ db, origin: option("url"), accountKey: option("key") });
  const latest = await store.latest();
  const nowMs = Date.now();
  const out = { rss_start: maxRss(), steps: [] };
  const step = async (name, fn) => {
    const start = performance.now();
    const value = await fn();
    out.steps.push({ name, ms: performance.now() - start, rss_peak: maxRss(), total: value?.total });
    return value;
  };
  const ask = { nowMs, limit: 50 };
  const window = { days: 30, nowMs, offset: 0, limit: 50 };
  const summary = await step("summary", () => store.summary(latest.id));
  const e1 = await step("expiring 30 d", () => store.expiring(latest.id, window));
  // a domain the report has: the first SAN of the soonest-expiring contract, and one label under its parent
  const domain = e1.contracts.flatMap((c) => c.sans).find((san) => !san.startsWith("*.")) ?? DOMAIN;
  const d1 = await step("domain", () => store.findDomain(latest.id, domain, ask));
  const account = e1.contracts[0]?.account_id;
  const a1 = await step("one subaccount's contracts", () => store.accountReport(latest.id, account));
  const p = await store.previous(latest.id);
  // as compare_reporting_snapshots asks by default (20 a list; PostgreSQL: the diff kept on the row), then whole
  const cut1 = p
    ? await step("diff with the previous, 20 a list", () => store.diff(p.id, latest.id, 20))
    : undefined;
  const diff1 = p
    ? await step("diff with the previous, whole", () => store.diff(p.id, latest.id))
    : undefined;
  await step("domain again", () => store.findDomain(latest.id, domain, ask));
  const parent = domain.slice(domain.indexOf(".") + 1);
  await step("other label under its parent", () => store.findDomain(latest.id, `zz-none.${parent}`, ask));
  await step("expiring 30 d again", () => store.expiring(latest.id, window));
  await step("expiring 365 d, page 40", () =>
    store.expiring(latest.id, { ...window, days: 365, offset: 2000 }),
  );
  // the same answers from the whole report, as the tools did before
  const s = await step("read whole report", () => store.read(latest.id));
  const d2 = await step("domain from report", () => reporting.domainPage(s.report, domain, ask));
  const e2 = await step("expiring from report", () => reporting.expiringPage(s.report, window));
  const a2 = await step("subaccount from report", () => reporting.accountReport(s.report, account));
  const before = p ? await step("read the previous report too", () => store.read(p.id)) : undefined;
  const s2 = await step("summary from reports", () =>
    reporting.snapshotSummary(s.report, s.meta.taken_at, before && { id: p.id, report: before.report }),
  );
  const diff2 = before
    ? await step("diff from both reports", () => reporting.snapshotDiff(before.report, s.report))
    : undefined;
  const pairs = {
    domain: [d1, d2],
    expiring: [e1, e2],
    summary: [summary, s2],
    subaccount: [a1, a2],
    diff: [diff1, diff2],
    diff_cut: [cut1, diff2 && reporting.limitDiff(diff2, 20)],
  };
  // deep equality: a report read back has its keys sorted, one built from rows has them in the API's order
  const { isDeepStrictEqual } = await import("node:util");
  const differ = Object.keys(pairs).filter((k) => !isDeepStrictEqual(pairs[k][0], pairs[k][1]));
  out.same_answers = differ.length === 0 ? true : `no: ${differ.join(", ")}`;
  if (differ.length > 0)
    out.differ = Object.fromEntries(
      differ.map((k) => [k, pairs[k].map((v) => JSON.stringify(v).slice(0, 600))]),
    );
  await store.close();
  await db.close();
  if (out.differ) process.stderr.write(`${JSON.stringify(out.differ, null, 1)}\n`);
  process.stdout.write(`${JSON.stringify(out)}\n`);
  process.exit(0);
}

// --- orchestration ---

async function orchestrate() {
  const quick = process.argv.includes("--quick");
  const sizes = String(option("sizes", quick ? "100000" : "100000,300000"))
    .split(",")
    .map((s) => Number(s.trim()))
    .filter((n) => n > 0);
  const stores = String(option("stores", "file,pg")).split(",");
  const takes = option("takes", "3");
  const pg = stores.includes("pg") ? await startPostgres() : undefined;
  const results = [];
  try {
    for (const size of sizes) {
      const subaccounts = Math.max(1, Math.round(size / CONTRACTS_PER_SUBACCOUNT));
      const sandbox = await child("sandbox", ["--generate", `${subaccounts}x${CONTRACTS_PER_SUBACCOUNT}`], {
        keepAlive: true,
      });
      const args = ["--url", sandbox.value.url, "--key", sandbox.value.keys.parent];
      try {
        for (const kind of stores) {
          const before = (await child("floor", args)).value;
          const extra = ["--store", kind, "--takes", takes];
          if (kind === "pg") extra.push("--db", pg.url);
          const server = (await child("server", [...args, ...extra])).value;
          const queries =
            kind === "pg" ? (await child("queries", [...args, "--db", pg.url])).value : undefined;
          const after = (await child("floor", args)).value;
          results.push({ size, store: kind, floor: [before, after], server, queries, load: os.loadavg() });
          process.stderr.write(`${size} ${kind}: done\n`);
        }
      } finally {
        sandbox.proc.stdin.end();
      }
    }
  } finally {
    await pg?.stop();
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
    join(ROOT, "bench", "results", "reporting-floor.json"),
    `${JSON.stringify({ date: new Date().toISOString(), machine, results }, null, 2)}\n`,
  );
  const mb = (b) => Math.round(b / 2 ** 20);
  const s = (ms) => (ms / 1000).toFixed(2);
  const x = (a, b) => `${(a / b).toFixed(2)}x`;
  const lines = [
    "| contracts | store | floor: fetch+parse s (parse alone) / peak MB | take 1 s: total (fetch+check, store) | take 1 / floor, time / peak | take 1 / parse alone | takes 2..n s | peak MB after takes 2..n | summary / diff / domain / expiry s | load avg |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of results) {
    const floorMs = (r.floor[0].ms + r.floor[1].ms) / 2;
    const parseMs = (r.floor[0].ms_parse + r.floor[1].ms_parse) / 2;
    const floorRss = (r.floor[0].rss_peak + r.floor[1].rss_peak) / 2;
    const [first, ...rest] = r.server.takes;
    const q = r.server.queries;
    lines.push(
      `| ${r.size.toLocaleString("en-US")} | ${r.store} | ${s(floorMs)} (${s(parseMs)}) / ${mb(floorRss)} | ${s(first.ms)} (${s(first.ms_fetch)}, ${s(first.ms_take - first.ms_fetch)})${first.ms_rows_after >= 5 ? `; rows after it ${s(first.ms_rows_after)}` : ""} | ${x(first.ms, floorMs)} / ${x(first.rss_peak_so_far, floorRss)} | ${x(first.ms, parseMs)} | ${rest.map((t) => s(t.ms)).join(", ")} | ${rest.map((t) => mb(t.rss_peak_so_far)).join(", ")} | ${[q.summary, q.diff, q.domain, q.expiring].map(s).join(" / ")} | ${r.load.map((l) => l.toFixed(2)).join(" ")} |`,
    );
  }
  const fresh = [
    "| contracts | step (fresh process, PostgreSQL store) | s | peak RSS MB after | peak / floor peak |",
    "|---|---|---|---|---|",
  ];
  for (const r of results) {
    if (!r.queries) continue;
    const floorRss = (r.floor[0].rss_peak + r.floor[1].rss_peak) / 2;
    fresh.push(
      `| ${r.size.toLocaleString("en-US")} | (start) | | ${mb(r.queries.rss_start)} | ${x(r.queries.rss_start, floorRss)} |`,
    );
    for (const q of r.queries.steps) {
      fresh.push(
        `| ${r.size.toLocaleString("en-US")} | ${q.name}${q.total === undefined ? "" : ` (total ${q.total})`} | ${s(q.ms)} | ${mb(q.rss_peak)} | ${x(q.rss_peak, floorRss)} |`,
      );
    }
    fresh.push(
      `| ${r.size.toLocaleString("en-US")} | same answers both ways | ${r.queries.same_answers} | | |`,
    );
  }
  process.stdout.write(
    `Reporting vs floor (${machine.node}, ${machine.cpu} × ${machine.cpus}, ${machine.memory_gib} GiB)\n\n${lines.join("\n")}\n${
      fresh.length > 2 ? `\n${fresh.join("\n")}\n` : ""
    }`,
  );
}

const role = option("role", "main");
if (role === "sandbox") await runSandbox();
else if (role === "floor") await runFloor();
else if (role === "server") await runServer();
else if (role === "queries") await runQueries();
else await orchestrate();
