// CPU and heap profiles of the HTTP server under load: the bin with --http (and --stateless with --stateless),
// started with --cpu-prof and --heap-prof, 50 light clients (bench/raw-http-client.mjs) sending one kind of
// request for --seconds, then stopped (SIGTERM: Node writes the profiles as it exits). Prints the functions with
// the most self time, and where the profiles are (open them in Chrome DevTools or speedscope).
//   node bench/profile-http.mjs [--stateless] [--call ping|get_acme_contract] [--seconds 8] [--cli dist/bin/cli.js]
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { args, CLI, ROOT, startSandboxProcess } from "./lib.mjs";
import { startHttpServerProcess } from "./mcp-clients.mjs";
import { summariseHeapProfile, summariseProfile } from "./profile-summary.mjs";
import { RawClient } from "./raw-http-client.mjs";

const opts = args();
const stateless = opts.stateless === true;
const call = typeof opts.call === "string" ? opts.call : "get_acme_contract";
const SECONDS = Math.min(60, Number(opts.seconds ?? 8));
const CONCURRENCY = Number(opts.concurrency ?? 50);
const TOP = Number(opts.top ?? 25);
const dir = join(ROOT, ".tmp", "profiles", `http-${stateless ? "stateless" : "stateful"}-${call}`);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const sandbox = await startSandboxProcess();
const server = await startHttpServerProcess(sandbox, {
  cli: typeof opts.cli === "string" ? resolve(opts.cli) : CLI,
  args: stateless ? ["--stateless"] : [],
  nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--heap-prof", `--heap-prof-dir=${dir}`],
});
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
      ? (c) => c.call("ping", {})
      : (c) => c.call("tools/call", { name: call, arguments: { acme_contract_id: 10001 } });
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
  `${calls} calls (${errors} errors) in ${SECONDS} s, ${stateless ? "stateless" : "stateful"}, ${call}`,
);
console.log(summary);
console.log(`\n${summariseHeapProfile(dir)}`);
console.log(`\nprofiles in ${dir}`);
