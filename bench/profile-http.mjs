// CPU and heap profiles of the HTTP server under load: the bin with --http (and --stateless with --stateless),
// started with --cpu-prof and --heap-prof, 50 light clients (bench/raw-http-client.mjs) sending one kind of
// request for --seconds, then stopped (SIGTERM: Node writes the profiles as it exits). Prints the functions with
// the most self time, and where the profiles are (open them in Chrome DevTools or speedscope).
// --floor profiles the minimal same-SDK server instead (bench/floors/minimal-http-server.mjs; `echo` for ping,
// `get_contract`, the same sandbox request, for get_acme_contract), to set the two profiles side by side.
//   node bench/profile-http.mjs [--stateless] [--call ping|get_acme_contract] [--seconds 8] [--cli dist/bin/cli.js]
//                               [--floor]
import { spawn } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { API_PREFIX } from "../dist/src/operations/index.js";
import { args, CLI, ROOT, startSandboxProcess, waitExit, withTimeout } from "./lib.mjs";
import { startHttpServerProcess } from "./mcp-clients.mjs";
import { summariseHeapProfile, summariseProfile } from "./profile-summary.mjs";
import { RawClient } from "./raw-http-client.mjs";

const opts = args();
const stateless = opts.stateless === true;
const call = typeof opts.call === "string" ? opts.call : "get_acme_contract";
const SECONDS = Math.min(60, Number(opts.seconds ?? 8));
const CONCURRENCY = Number(opts.concurrency ?? 50);
const TOP = Number(opts.top ?? 25);
const floor = opts.floor === true;
const dir = join(
  ROOT,
  ".tmp",
  "profiles",
  `http-${floor ? "floor-" : ""}${stateless ? "stateless" : "stateful"}-${call}`,
);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const sandbox = await startSandboxProcess();
const nodeArgs = ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--heap-prof", `--heap-prof-dir=${dir}`];
const server = floor
  ? await startFloor()
  : await startHttpServerProcess(sandbox, {
      cli: typeof opts.cli === "string" ? resolve(opts.cli) : CLI,
      args: stateless ? ["--stateless"] : [],
      nodeArgs,
    });

/** The minimal server, under the profiler, making the same sandbox request as get_acme_contract. */
async function startFloor() {
  const script = join(ROOT, "bench", "floors", "minimal-http-server.mjs");
  const upstream = [
    "--upstream",
    sandbox.url + API_PREFIX.partner,
    "--key",
    sandbox.keys.subaccounts["1001"],
    "--devkey",
    sandbox.keys.devkey,
  ];
  const child = spawn(
    process.execPath,
    [...nodeArgs, script, ...(stateless ? ["--stateless"] : []), ...upstream],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const line = new Promise((res, rej) => {
    createInterface({ input: child.stdout }).once("line", res);
    child.once("exit", (code) => rej(new Error(`floor exited (${code})`)));
  });
  const { port } = JSON.parse(await withTimeout(line, 30_000, "floor"));
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    async close() {
      child.kill("SIGTERM");
      await waitExit(child, 10_000);
    },
  };
}
let calls = 0;
let errors = 0;
try {
  const clients = Array.from(
    { length: CONCURRENCY },
    () => new RawClient(server.url, { token: server.token, stateful: !stateless }),
  );
  for (const c of clients) await c.open();
  const run =
    call === "ping"
      ? floor
        ? (c) => c.call("tools/call", { name: "echo", arguments: { text: "ok" } })
        : (c) => c.call("ping", {})
      : (c) =>
          c.call("tools/call", {
            name: floor ? "get_contract" : call,
            arguments: { acme_contract_id: 10001 },
          });
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(
    clients.map(async (c) => {
      while (performance.now() < end) {
        try {
          await run(c);
          calls++;
        } catch {
          errors++;
        }
      }
    }),
  );
  for (const c of clients) await c.close();
} finally {
  await server.close();
  await sandbox.close();
}

if (opts["no-analyse"]) process.exit(0);
const summary = summariseProfile(dir, { top: TOP, topInclusive: Number(opts["top-inclusive"] ?? 40), calls });
console.log(
  `${calls} calls (${errors} errors) in ${SECONDS} s, ${floor ? "floor, " : ""}${stateless ? "stateless" : "stateful"}, ${call}`,
);
console.log(summary);
console.log(`\n${summariseHeapProfile(dir)}`);
console.log(`\nprofiles in ${dir}`);
