// 2. Cold start: from spawning a stdio server to its `initialize` answer and to its `tools/list` answer, for
// the built CLI (with a key, and with no key = in-process sandbox), the packed .mcpb bundle (unpacked and run
// the way its manifest says), and the MCP reference server @modelcontextprotocol/server-everything, all
// spawned the same way with the same Node, alternating (order rotates each round), N runs each.
// The client side is raw newline-delimited JSON-RPC on the pipes: no SDK client start-up in the figure.
// The floor (issue 16): a minimal stdio server on the same SDK and zod (bench/floors/minimal-stdio-server.mjs),
// bundled with rolldown the way our bin is; target: the bin within 1.3x of it. `node -e 0` shows Node itself.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleMinimalServer } from "./floors/bundle-minimal.mjs";
import { args, CLI, coldStart, fmt, PROTOCOL, ROOT, report, SRC_CLI, stats, writeResults } from "./lib.mjs";

const opts = args();
const RUNS = Number(opts.runs ?? (opts.quick ? 5 : 20));
const MAX_MS = Number(opts["max-ms"] ?? (opts.quick ? 60_000 : 240_000));
const KEY_ENV = {
  // a configured key: the server must not contact DigiCert while starting, so the base URL is never used
  DIGICERT_BASE_URL: "http://127.0.0.1:9",
  DIGICERT_PARTNER_API_KEY: "bench-partner-key-0123456789abcdef",
  DIGICERT_SUBACCOUNT_API_KEY: "bench-subaccount-key-0123456789abcdef",
};

function everythingEntry() {
  const dir = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything");
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const bin = typeof pkg.bin === "string" ? pkg.bin : Object.values(pkg.bin)[0];
  return { entry: join(dir, bin), version: pkg.version };
}

/** Builds the .mcpb with `npm run pack`'s script and unpacks it; undefined if absent. */
function buildBundle() {
  const script = join(ROOT, "scripts", "build-bundle.mjs");
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  if (!pkg.scripts?.pack || !existsSync(script)) return { skipped: "npm run pack does not exist yet" };
  const dir = mkdtempSync(join(tmpdir(), "bench-mcpb-"));
  const file = join(dir, "bench.mcpb");
  const out = join(dir, "unpacked");
  try {
    execFileSync(process.execPath, [script, "--out", file], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "pipe"],
      timeout: 180_000,
    });
    const mcpb = join(ROOT, "node_modules", ".bin", "mcpb");
    execFileSync(mcpb, ["unpack", file, out], { stdio: ["ignore", "ignore", "pipe"], timeout: 120_000 });
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    const cfg = manifest.server.mcp_config;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest's literal placeholder
    const argv = cfg.args.map((a) => a.replaceAll("${__dirname}", out));
    const size = readFileSync(file).length;
    return { dir, argv, size };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return { skipped: `bundle build failed: ${String(err.stderr ?? err.message).slice(0, 300)}` };
  }
}

const everything = everythingEntry();
const minimal = await bundleMinimalServer();
const bundle = opts["no-bundle"] ? { skipped: "--no-bundle" } : buildBundle();
const variants = [
  { name: "this server, bin dist/bin (key configured)", argv: [CLI], env: KEY_ENV },
  { name: "this server, bin dist/bin (no key: in-process sandbox)", argv: [CLI], env: {} },
  // the same code as tsc emits it, module by module: the bin before fix 9 (bundling)
  { name: "this server, dist/src unbundled (key configured)", argv: [SRC_CLI], env: KEY_ENV },
  bundle.argv
    ? { name: "this server, .mcpb bundle (key configured)", argv: bundle.argv, env: KEY_ENV }
    : { name: "this server, .mcpb bundle", skipped: bundle.skipped },
  {
    name: `minimal SDK server, bundled like the bin (floor; ${(minimal.bytes / 1024).toFixed(0)} KiB)`,
    argv: [minimal.entry],
    env: {},
    floor: true,
  },
  {
    name: `server-everything ${everything.version} (reference)`,
    argv: [everything.entry, "stdio"],
    env: {},
  },
];
const active = variants.filter((v) => !v.skipped);
const samples = new Map(active.map((v) => [v, { init: [], list: [], cpu: [], tools: 0, errors: [] }]));

// one untimed start each: fills the OS file cache, as on a machine where the client has run before
for (const v of active) await coldStart(v.argv, v.env).catch(() => undefined);
const started = performance.now();
let rounds = 0;
while (rounds < RUNS && performance.now() - started < MAX_MS) {
  for (let k = 0; k < active.length; k++) {
    const v = active[(rounds + k) % active.length];
    const s = samples.get(v);
    try {
      const r = await coldStart(v.argv, v.env);
      s.init.push(r.initialize_ms);
      s.list.push(r.tools_list_ms);
      if (r.cpu_ms !== undefined) s.cpu.push(r.cpu_ms);
      s.tools = r.tools;
    } catch (err) {
      s.errors.push(err.message);
    }
  }
  rounds++;
}
if (bundle.dir) rmSync(bundle.dir, { recursive: true, force: true });
rmSync(minimal.dir, { recursive: true, force: true });

const reference = samples.get(active[active.length - 1]);
const refInit = stats(reference.init).p50;
const refList = stats(reference.list).p50;
const floorList = stats(samples.get(active.find((v) => v.floor)).list).p50;
const results = variants.map((v) => {
  if (v.skipped) return { variant: v.name, skipped: v.skipped };
  const s = samples.get(v);
  const init = stats(s.init);
  const list = stats(s.list);
  const cpu = stats(s.cpu);
  return {
    variant: v.name,
    runs: init.n,
    tools: s.tools,
    initialize: init,
    tools_list: list,
    cpu_to_tools_list: cpu,
    ratio_initialize_p50: init.p50 / refInit,
    ratio_tools_list_p50: list.p50 / refList,
    ratio_to_floor_p50: list.p50 / floorList,
    errors: s.errors.slice(0, 3),
  };
});
const rows = results.map((r) =>
  r.skipped
    ? [r.variant, "n/a", "n/a", "n/a", "n/a", "n/a", "n/a", "n/a", "n/a", "n/a"]
    : [
        r.variant,
        r.runs,
        r.tools,
        fmt(r.initialize.p50, 1),
        fmt(r.initialize.p90, 1),
        fmt(r.tools_list.p50, 1),
        fmt(r.tools_list.p90, 1),
        `${fmt(r.ratio_tools_list_p50)}x`,
        `${fmt(r.ratio_to_floor_p50)}x`,
        fmt(r.cpu_to_tools_list.p50, 0),
      ],
);
// the target holds for what users start: the bin and the .mcpb (the unbundled build is shown for comparison)
const shipped = results.filter((r) => !r.skipped && /bin dist\/bin \(key|\.mcpb/.test(r.variant));
const met = shipped.every((r) => r.tools_list.p50 < refList);
const binRow = shipped.find((r) => r.variant.includes("bin dist/bin (key"));
const metFloor = binRow !== undefined && binRow.ratio_to_floor_p50 <= 1.3;
report(
  `Cold start over stdio (${rounds} alternating rounds, Node ${process.version})`,
  [
    "server",
    "runs",
    "tools",
    "initialize p50 ms",
    "p90",
    "tools/list p50 ms",
    "p90",
    "vs reference",
    "vs floor (minimal, bundled)",
    "server CPU ms to tools/list (p50)",
  ],
  rows,
  [
    bundle.skipped
      ? `Bundle: n/a (${bundle.skipped}).`
      : `Bundle: built with scripts/build-bundle.mjs (${(bundle.size / 1024 / 1024).toFixed(1)} MiB), unpacked with mcpb unpack, started with the manifest's mcp_config args.`,
    `Target: bin and .mcpb faster than the reference (tools/list p50 ${shipped.map((r) => fmt(r.tools_list.p50, 1)).join(" / ")} ms vs ${fmt(refList, 1)} ms): ${
      met ? "met" : "MISSED"
    }`,
    `Target (issue 16): bin within 1.3x of the minimal SDK server bundled the same way (${binRow ? fmt(binRow.ratio_to_floor_p50) : "n/a"}x): ${
      metFloor ? "met" : "MISSED"
    }`,
    ...results.filter((r) => r.errors?.length).map((r) => `errors in ${r.variant}: ${r.errors.join("; ")}`),
  ],
);
const file = writeResults("cold-start", {
  runs: rounds,
  protocol: PROTOCOL,
  bundle: bundle.skipped ? { skipped: bundle.skipped } : { bytes: bundle.size },
  results,
  target: { faster_than_reference: met, within_1_3x_of_bundled_minimal: metFloor },
});
console.log(`\nresults: ${file}`);
