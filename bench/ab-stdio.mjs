// Before/after of a per-call change: the stdio overhead of several built servers, side by side in one run.
// Each entry point (a CLI file: dist/bin/cli.js, dist/src/cli.js, or another checkout's) runs as its own stdio
// child; every round calls get_acme_contract once through each and once through DigiCertClient directly, the
// order rotating. Fewer processes than bench/overhead.mjs, so the figures are the pipes' and the servers' own.
//
//   git worktree add --detach ../before <commit> && (cd ../before && ln -s ../main/node_modules && npx tsc -p .)
//   node bench/ab-stdio.mjs ../before/dist/src/cli.js dist/bin/cli.js [--rounds 2500]
import { resolve } from "node:path";
import { args, fmt, report, startSandboxProcess, stats, writeResults } from "./lib.mjs";
import { connectStdio, directClient, rawCall } from "./mcp-clients.mjs";

const opts = args();
const entries = process.argv.slice(2).filter((x) => !x.startsWith("--") && !/^\d+$/.test(x));
if (entries.length === 0) {
  console.error("usage: node bench/ab-stdio.mjs CLI_A [CLI_B ...] [--rounds N]");
  process.exit(2);
}
const ROUNDS = Number(opts.rounds ?? 2_500);
const WARMUP = Math.min(300, Math.floor(ROUNDS / 10));
const TOOL = "get_acme_contract";
const ARGS = { acme_contract_id: 10001 };

const sandbox = await startSandboxProcess();
const direct = directClient(sandbox);
const servers = [];
try {
  for (const entry of entries)
    servers.push({ name: entry, ...(await connectStdio(sandbox, { args: [resolve(entry)] })) });
  const variants = [
    { name: "direct (DigiCertClient.call)", run: () => direct.call(TOOL, ARGS) },
    ...servers.map((s) => ({
      name: `stdio: ${s.name}`,
      run: async () => {
        const r = await rawCall(s.client, TOOL, ARGS);
        if (r.isError) throw new Error(`${s.name}: ${JSON.stringify(r.content).slice(0, 200)}`);
      },
    })),
  ];
  const samples = variants.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < variants.length; k++) {
      const i = (r + k) % variants.length;
      const t = performance.now();
      await variants[i].run();
      if (r >= WARMUP) samples[i].push(performance.now() - t);
    }
  }
  const base = stats(samples[0]).p50;
  const rows = variants.map((v, i) => {
    const s = stats(samples[i]);
    return { variant: v.name, n: s.n, p50_ms: s.p50, p99_ms: s.p99, added_p50_ms: s.p50 - base };
  });
  report(
    `stdio overhead A/B: ${TOOL} (${ROUNDS - WARMUP} rounds after ${WARMUP} warm-up)`,
    ["variant", "n", "p50 ms", "p99 ms", "added p50 ms"],
    rows.map((r) => [r.variant, r.n, fmt(r.p50_ms, 3), fmt(r.p99_ms, 3), fmt(r.added_p50_ms, 3)]),
  );
  console.log(`\nresults: ${writeResults("ab-stdio", { rounds: ROUNDS, results: rows })}`);
} finally {
  for (const s of servers) await s.close().catch(() => undefined);
  await direct.close();
  await sandbox.close();
}
