// Where start-up time goes, to find what could be lazy: module import times (in the order the CLI loads them)
// and the cost of createMcpServer — the first one (start-up) and each later one (the CLI builds one up front,
// then one for stdio; Streamable HTTP builds one per session). Each run is a fresh process (cold imports).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { args, fmt, report, stats, writeResults } from "./lib.mjs";

const opts = args();
const RUNS = Number(opts.runs ?? (opts.quick ? 3 : 7));
const REPEATS = 20;

async function measureOnce() {
  const marks = [];
  let t = performance.now();
  const mark = (name) => {
    const now = performance.now();
    marks.push([name, now - t]);
    t = now;
  };
  await import("zod");
  mark("import zod");
  await import("@modelcontextprotocol/sdk/server/mcp.js");
  mark("import @modelcontextprotocol/sdk server (incl. ajv)");
  await import("pino");
  mark("import pino");
  await import("undici");
  mark("import undici (since 141024b only on the first DigiCert call)");
  const { DigiCertClient } = await import("../dist/src/client/client.js");
  const { createLogger } = await import("../dist/src/logging.js");
  mark("import src/client + logging");
  const { createMcpServer } = await import("../dist/src/mcp/server.js");
  mark("import src/mcp (catalog, schemas)");
  await import("../dist/src/transports/stdio.js");
  mark("import src/transports/stdio");
  await import("../dist/src/transports/http.js");
  mark("import src/transports/http (since b54ebd4 only with --http)");
  const logger = createLogger({ level: "info" });
  const client = new DigiCertClient({
    baseUrl: "http://127.0.0.1:9",
    credentials: { parentKey: "bench-partner-key-0123456789abcdef" },
  });
  const options = {
    client,
    logger,
    version: "0",
    confirmation: { mode: "required", secret: "bench-secret-bench-secret-bench-secret-0123" },
  };
  t = performance.now();
  createMcpServer(options);
  mark("createMcpServer, first");
  createMcpServer(options);
  mark("createMcpServer, second");
  const each = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    createMcpServer(options);
    each.push(performance.now() - t0);
  }
  marks.push(["createMcpServer, each later one (median)", stats(each).p50]);
  await client.close();
  return marks;
}

if (opts.child) {
  process.stdout.write(`${JSON.stringify(await measureOnce())}\n`);
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
const runs = [];
for (let i = 0; i < RUNS; i++) {
  const out = await new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [self, "--child"], { stdio: ["ignore", "pipe", "inherit"] });
    let text = "";
    child.stdout.on("data", (d) => {
      text += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (code === 0) resolveRun(JSON.parse(text));
      else reject(new Error(`startup child exited with ${code}`));
    });
  });
  runs.push(out);
}
const names = runs[0].map(([n]) => n);
const results = names.map((name, i) => ({ step: name, ...stats(runs.map((r) => r[i][1])) }));
report(
  `Start-up breakdown (median of ${RUNS} fresh processes, Node ${process.version})`,
  ["step", "p50 ms", "min ms", "max ms"],
  results.map((r) => [r.step, fmt(r.p50, 1), fmt(r.min, 1), fmt(r.max, 1)]),
);
const file = writeResults("startup", { runs: RUNS, results });
console.log(`\nresults: ${file}`);
