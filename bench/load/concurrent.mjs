// Load (a): 50 concurrent MCP clients over Streamable HTTP for a bounded time against the sandbox, mixing reads
// and writes, including confirmed destructive calls (two-step token flow). Checks: no protocol error, no tool
// error, and no lost or duplicated write: each client adds unique SANs to its own contract and removes some of
// them again (confirmed); afterwards every contract must hold exactly its initial SANs plus those added minus
// those removed, and the sandbox must have received each write exactly once (sandbox.stats), and the audit log
// must hold one line per write call. The server's RSS is reported before the clients connect, at its peak, right
// after every session closed, and after an idle pause (when V8 has had a chance to collect and give memory back).
// --heap-snapshots DIR: the server writes a heap snapshot (after a full GC) on SIGUSR2 at each of those points.
// Run after `npx tsc -p .`:  node bench/load/concurrent.mjs [--seconds 20] [--idle-seconds 10]
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { DEMO, startSandbox } from "../../dist/sandbox/index.js";
import {
  generatedSubaccounts,
  machine,
  newToken,
  percentile,
  rssOf,
  rssSampler,
  sleep,
  startServerProcess,
} from "./lib.mjs";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "20" },
    clients: { type: "string", default: "50" },
    "idle-seconds": { type: "string", default: "10" },
    "heap-snapshots": { type: "string" },
    // V8 options for the server process, e.g. --server-node-args=--max-old-space-size=96 (docs/reliability.md)
    "server-node-args": { type: "string", default: "" },
  },
});
const IDLE_SECONDS = Math.min(60, Math.max(0, Number(values["idle-seconds"])));
const SNAPSHOT_DIR = values["heap-snapshots"];
const SECONDS = Math.min(120, Math.max(1, Number(values.seconds)));
const CLIENTS = Math.min(200, Math.max(1, Number(values.clients)));
/** at most this many SANs of its own on a contract at once (a contract holds at most 250) */
const MAX_OWN_SANS = 120;

const sandbox = await startSandbox({ generate: { subaccounts: CLIENTS + 5, contractsPerSubaccount: 1 } });
const subs = generatedSubaccounts(sandbox, DEMO.parent).slice(0, CLIENTS);
if (subs.length < CLIENTS) throw new Error(`only ${subs.length} usable generated subaccounts`);
const initialSans = new Map(
  subs.map((s) => [s.contractId, [...sandbox.store.contracts.get(s.contractId).sans]]),
);
sandbox.stats.clear();

const dir = mkdtempSync(join(tmpdir(), "load-concurrent-"));
const auditPath = join(dir, "audit.jsonl");
const token = newToken();
const server = await startServerProcess(
  {
    DIGICERT_BASE_URL: sandbox.url,
    DIGICERT_PARTNER_API_KEY: sandbox.keys.parent,
    DIGICERT_SUBACCOUNT_API_KEYS: JSON.stringify(Object.fromEntries(subs.map((s) => [s.accountId, s.key]))),
    MCP_HTTP_TOKEN: token,
    MCP_HTTP_RATE_LIMIT: "0", // the figures are the server's cost, not its throttle
    // every client uses the one token: its session cap (default 10) would turn most of them away
    MCP_HTTP_MAX_SESSIONS_PER_TOKEN: String(CLIENTS),
    MCP_AUDIT_LOG: auditPath,
    LOG_LEVEL: "info",
  },
  {
    nodeArgs: [
      ...values["server-node-args"].split(" ").filter(Boolean),
      ...(SNAPSHOT_DIR ? ["--heapsnapshot-signal=SIGUSR2", `--diagnostic-dir=${SNAPSHOT_DIR}`] : []),
    ],
  },
);

/** The server's RSS now; with --heap-snapshots, after it wrote a snapshot (which forces a full GC first). */
async function serverRss() {
  if (SNAPSHOT_DIR) {
    process.kill(server.pid, "SIGUSR2");
    await sleep(3_000);
  }
  return rssOf(server.pid);
}
const rss = { before_mb: await serverRss() };

const latencies = [];
const failures = { protocol: [], tool: [] };
const counts = { calls: 0, reads: 0, adds: 0, previews: 0, confirmed: 0 };
const expected = new Map(); // contractId -> Set of SANs added by the load and not removed
const removed = new Map();

async function timed(client, name, args) {
  const started = performance.now();
  try {
    const result = await client.request(
      { method: "tools/call", params: { name, arguments: args } },
      CallToolResultSchema,
      { timeout: 30_000 },
    );
    latencies.push(performance.now() - started);
    counts.calls++;
    if (result.isError) failures.tool.push(`${name}: ${result.content?.[0]?.text?.slice(0, 200)}`);
    return result;
  } catch (err) {
    counts.calls++;
    failures.protocol.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

async function runClient(index, deadline) {
  const { accountId, contractId } = subs[index];
  const transport = new StreamableHTTPClientTransport(new URL(server.url), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: `load-${index}`, version: "0" });
  await client.connect(transport);
  const own = new Set();
  expected.set(contractId, own);
  removed.set(contractId, new Set());
  let n = 0;
  while (Date.now() < deadline) {
    n++;
    await timed(client, "get_acme_contract", { acme_contract_id: contractId, account_id: accountId });
    counts.reads++;
    if (own.size < MAX_OWN_SANS) {
      const san = `c${index}-n${n}.load.example`;
      const r = await timed(client, "add_sans", {
        acme_contract_id: contractId,
        account_id: accountId,
        sans: [san],
      });
      if (r && !r.isError) own.add(san);
      counts.adds++;
    }
    if (n % 2 === 0 && own.size > 0) {
      const san = own.values().next().value;
      const args = { acme_contract_id: contractId, account_id: accountId, sans: [san] };
      const preview = await timed(client, "remove_sans", args);
      counts.previews++;
      const confirmationToken = preview?.structuredContent?.confirmation_token;
      if (typeof confirmationToken === "string") {
        const done = await timed(client, "remove_sans", { ...args, confirmation_token: confirmationToken });
        counts.confirmed++;
        if (done && !done.isError) {
          own.delete(san);
          removed.get(contractId).add(san);
        }
      } else failures.tool.push("remove_sans: no confirmation token in the preview");
    }
    await timed(client, "list_acme_credentials", { acme_contract_id: contractId, account_id: accountId });
    counts.reads++;
  }
  await transport.terminateSession().catch(() => undefined);
  await client.close();
}

const started = performance.now();
const deadline = Date.now() + SECONDS * 1000;
const sampler = rssSampler(server.pid);
await Promise.all(subs.map((_, i) => runClient(i, deadline)));
const elapsed = (performance.now() - started) / 1000;
rss.peak_mb = sampler.stop();
// every client has closed its session (DELETE): the server holds none of them any more
await sleep(1_000);
rss.after_close_mb = await serverRss();
await sleep(IDLE_SECONDS * 1000);
rss.after_idle_mb = await serverRss();
rss.idle_seconds = IDLE_SECONDS;

// Lost or duplicated writes, checked against the sandbox's own state and request counts.
const problems = [];
for (const s of subs) {
  const actual = sandbox.store.contracts.get(s.contractId).sans;
  const want = new Set([...initialSans.get(s.contractId), ...expected.get(s.contractId)]);
  if (new Set(actual).size !== actual.length) problems.push(`contract ${s.contractId}: duplicate SANs`);
  const missing = [...want].filter((x) => !actual.includes(x));
  const extra = actual.filter((x) => !want.has(x));
  if (missing.length || extra.length) {
    problems.push(
      `contract ${s.contractId}: missing ${missing.join(",") || "-"}, unexpected ${extra.join(",") || "-"}`,
    );
  }
}
const stats = sandbox.stats;
if (stats.count("add_sans") !== counts.adds)
  problems.push(`sandbox saw ${stats.count("add_sans")} add_sans, sent ${counts.adds}`);
if (stats.count("remove_sans") !== counts.confirmed) {
  problems.push(`sandbox saw ${stats.count("remove_sans")} remove_sans, confirmed ${counts.confirmed}`);
}
await server.close();
const audit = readFileSync(auditPath, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l));
const auditWrites = counts.adds + counts.previews + counts.confirmed;
if (audit.length !== auditWrites)
  problems.push(`audit log has ${audit.length} lines for ${auditWrites} write calls`);
const auditText = readFileSync(auditPath, "utf8");
for (const secret of [token, sandbox.keys.parent, ...subs.map((s) => s.key)]) {
  if (auditText.includes(secret)) problems.push("a secret is in the audit log");
}
rmSync(dir, { recursive: true, force: true });
await sandbox.close();

latencies.sort((a, b) => a - b);
const report = {
  script: "bench/load/concurrent.mjs",
  date: new Date().toISOString(),
  machine: machine(),
  clients: CLIENTS,
  seconds: Number(elapsed.toFixed(1)),
  calls: counts.calls,
  calls_per_second: Math.round(counts.calls / elapsed),
  p50_ms: Number(percentile(latencies, 50).toFixed(1)),
  p99_ms: Number(percentile(latencies, 99).toFixed(1)),
  max_ms: Number(latencies.at(-1).toFixed(1)),
  reads: counts.reads,
  add_sans: counts.adds,
  remove_sans_previews: counts.previews,
  remove_sans_confirmed: counts.confirmed,
  sandbox_requests: stats.snapshot?.().total,
  audit_lines: audit.length,
  protocol_errors: failures.protocol.length,
  tool_errors: failures.tool.length,
  lost_or_duplicated_writes: problems.length,
  server_node_args: values["server-node-args"] || undefined,
  server_rss: rss,
};
console.log(JSON.stringify(report, null, 2));
for (const line of [...failures.protocol, ...failures.tool, ...problems].slice(0, 20))
  console.error(`  ${line}`);
process.exitCode = failures.protocol.length + failures.tool.length + problems.length === 0 ? 0 : 1;
