// CPU profile of the stdio server (the bin) answering N get_acme_contract calls: where its per-call time goes.
// The server runs with --cpu-prof; the profile (written when it exits) is summed by self time per function and
// per area (Node internals, the MCP SDK, zod, this server, ...). The client and the sandbox are not profiled.
//
//   node bench/profile-stdio.mjs [--calls 5000] [--entry dist/bin/cli.js] [--top 30] [--keep DIR]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { args, CLI, cpuMs, fmt, report, startSandboxProcess, writeResults } from "./lib.mjs";
import { connectStdio, rawCall } from "./mcp-clients.mjs";

const opts = args();
const CALLS = Number(opts.calls ?? 5_000);
const TOP = Number(opts.top ?? 30);
// "--entry 'bench/floor-server.mjs proxy'": a file and its arguments
const [ENTRY, ...ENTRY_ARGS] = opts.entry ? String(opts.entry).split(" ") : [CLI];
const TOOL = String(opts.tool ?? "get_acme_contract");
const ARGS = JSON.parse(String(opts.args ?? '{"acme_contract_id":10001}'));
const dir = opts.keep ? resolve(String(opts.keep)) : mkdtempSync(join(tmpdir(), "stdio-prof-"));

/** Which part of the code a profile node's function belongs to. */
function area(url, name) {
  if (!url) return name === "(garbage collector)" ? "GC" : name.startsWith("(") ? name : "native / V8";
  if (url.startsWith("node:")) return "Node internals";
  if (url.includes("@modelcontextprotocol/sdk") || url.includes("/sdk/dist/")) return "MCP SDK";
  if (url.includes("/zod/")) return "zod";
  if (url.includes("/ajv")) return "Ajv";
  if (url.includes("/pino") || url.includes("sonic-boom")) return "pino";
  if (url.includes("/undici/")) return "undici";
  if (url.includes("node_modules")) return url.replace(/.*node_modules\/((@[^/]+\/)?[^/]+).*/, "$1");
  // unbundled (dist/src): which layer; the bundled bin's chunks mix packages and layers
  const layer = /\/dist\/src\/([^/]+)\//.exec(url);
  if (layer) return `this server: src/${layer[1]}`;
  if (url.includes("/bench/")) return "the floor server (bench/)";
  return "this server";
}

const sandbox = await startSandboxProcess();
let server;
try {
  server = await connectStdio(sandbox, {
    args: ["--cpu-prof", `--cpu-prof-dir=${dir}`, resolve(ENTRY), ...ENTRY_ARGS],
  });
  for (let i = 0; i < 200; i++) await rawCall(server.client, TOOL, ARGS);
  const cpu0 = cpuMs(server.pid);
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const r = await rawCall(server.client, TOOL, ARGS);
    if (r.isError) throw new Error(JSON.stringify(r.content).slice(0, 300));
  }
  const wall = performance.now() - t0;
  const cpu = cpuMs(server.pid) - cpu0;
  await server.close();
  server = undefined;
  // the profile is written as the process exits
  let file;
  for (let i = 0; i < 100 && !file; i++) {
    file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (!file) await new Promise((r) => setTimeout(r, 100));
  }
  if (!file) throw new Error(`no profile in ${dir}`);
  const prof = JSON.parse(readFileSync(join(dir, file), "utf8"));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = prof.timeDeltas;
  for (let i = 0; i < prof.samples.length; i++) {
    self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (dt[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fns = new Map();
  const areas = new Map();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const name = functionName || "(anonymous)";
    if (name === "(idle)" || name === "(program)") continue;
    const short = url
      ? `${url.replace(/.*node_modules\//, "").replace(/^file:\/\/.*?\/(dist|src)\//, "$1/")}:${lineNumber + 1}`
      : "";
    const k = `${name} ${short}`;
    fns.set(k, (fns.get(k) ?? 0) + us);
    const a = area(url, name);
    areas.set(a, (areas.get(a) ?? 0) + us);
  }
  const busy = [...areas.values()].reduce((a, b) => a + b, 0);
  const perCall = (us) => us / CALLS;
  const areaRows = [...areas].sort((a, b) => b[1] - a[1]);
  report(
    `stdio server CPU profile: ${CALLS} ${TOOL} calls (${ENTRY.replace(/.*\/(dist\/)/, "$1")})`,
    ["area", "self µs / call", "share of busy"],
    areaRows.map(([a, us]) => [a, fmt(perCall(us), 1), `${fmt((100 * us) / busy, 1)} %`]),
    [
      `wall ${fmt(wall / CALLS, 3)} ms / call; server CPU (from /proc) ${cpu === undefined ? "n/a" : fmt(cpu / CALLS, 3)} ms / call; profiled busy ${fmt(perCall(busy) / 1000, 3)} ms / call of ${fmt(perCall(total) / 1000, 3)} sampled`,
    ],
  );
  const top = [...fns].sort((a, b) => b[1] - a[1]).slice(0, TOP);
  console.log("");
  console.log(top.map(([k, us]) => `${fmt(perCall(us), 1).padStart(7)} µs  ${k}`).join("\n"));
  writeResults("profile-stdio", {
    calls: CALLS,
    entry: ENTRY,
    wall_ms_per_call: wall / CALLS,
    server_cpu_ms_per_call: cpu === undefined ? null : cpu / CALLS,
    areas_us_per_call: Object.fromEntries(areaRows.map(([a, us]) => [a, perCall(us)])),
    top_us_per_call: top.map(([k, us]) => ({ fn: k, us: perCall(us) })),
  });
} finally {
  if (server) await server.close().catch(() => undefined);
  await sandbox.close();
  if (!opts.keep) rmSync(dir, { recursive: true, force: true });
}
