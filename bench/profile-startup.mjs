// CPU profile of one cold start (spawn -> initialize -> tools/list, as bench/cold-start.mjs measures it) of
// the bin (or --cli FILE), with a key configured: where start-up time goes, by function and by script file.
//   node bench/profile-startup.mjs [--cli dist/bin/cli.js] [--top 30]
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { args, CLI, coldStart, ROOT } from "./lib.mjs";
import { summariseProfile } from "./profile-summary.mjs";

const opts = args();
const cli = typeof opts.cli === "string" ? resolve(opts.cli) : CLI;
const dir = join(ROOT, ".tmp", "profiles", "startup");
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const env = {
  DIGICERT_BASE_URL: "http://127.0.0.1:9",
  DIGICERT_PARTNER_API_KEY: "bench-partner-key-0123456789abcdef",
  DIGICERT_SUBACCOUNT_API_KEY: "bench-subaccount-key-0123456789abcdef",
};
await coldStart([cli], env); // file cache warm, as in the benchmark
const r = await coldStart(["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=100", cli], env);
console.log(`tools/list answered after ${r.tools_list_ms.toFixed(1)} ms (profiling slows it)`);
console.log(
  summariseProfile(dir, { top: Number(opts.top ?? 30), topInclusive: Number(opts["top-inclusive"] ?? 40) }),
);
