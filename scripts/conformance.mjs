#!/usr/bin/env node
// Runs the official MCP conformance suite (@modelcontextprotocol/conformance, server mode, Node 22) against
// our Streamable HTTP server (`dist/bin/cli.js --http`, on its built-in sandbox), with the expected-failures
// baseline conformance/baseline.yml. Exit code: the suite's (0: only baseline failures; 1: a regression or a
// stale baseline entry).
//
// The suite's CLI cannot send headers, and our /mcp requires `Authorization: Bearer <MCP_HTTP_TOKEN>`: the
// suite talks to a loopback reverse proxy (scripts/lib/servers.mjs) that adds the token and passes
// everything else (Host and Origin included) through unchanged, so the server's own Host/Origin checks are
// what the dns-rebinding scenario tests. The server is told the proxy's address is its public one
// (MCP_ALLOWED_HOSTS / MCP_ALLOWED_ORIGINS), as behind any reverse proxy.
//
// Usage: node scripts/conformance.mjs [--stateless] [--scenario NAME] [--suite active|all|pending] [--verbose]
// (the baseline covers the active suite; the pending one only has fixture scenarios: json-schema-2020-12,
// server-sse-polling)
// Results: .tmp/conformance/ (checks.json per scenario).
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { cliPath, node22, root, runCommand, startAuthProxy, startHttpServer } from "./lib/servers.mjs";

const argv = process.argv.slice(2);
const stateless = argv.includes("--stateless");
const passThrough = [];
for (let i = 0; i < argv.length; i++) {
  const arg = argv[i];
  if (arg === "--scenario" || arg === "--suite") passThrough.push(arg, argv[++i]);
  else if (arg === "--verbose") passThrough.push(arg);
}

const suite = join(root, "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js");
// --stateless has its own baseline: the same fixture scenarios, plus one that needs a session.
const baseline = join(root, "conformance", stateless ? "baseline-stateless.yml" : "baseline.yml");
for (const [file, hint] of [
  [cliPath, "run `npm run build` first"],
  [suite, "@modelcontextprotocol/conformance is not installed"],
  [node22, "Node 22 is not installed: run scripts/install-node22.sh"],
  [baseline, "the baseline file is missing"],
]) {
  if (!existsSync(file)) {
    console.error(`${file} not found: ${hint}`);
    process.exit(2);
  }
}

const started = Date.now();
const proxy = await startAuthProxy();
const pp = proxy.port;
const publicHosts = [`127.0.0.1:${pp}`, `localhost:${pp}`, `[::1]:${pp}`];
let server;
let code = 1;
try {
  server = await startHttpServer({
    args: stateless ? ["--stateless"] : [],
    env: {
      MCP_ALLOWED_HOSTS: publicHosts.join(","),
      MCP_ALLOWED_ORIGINS: publicHosts.map((h) => `http://${h}`).join(","),
    },
  });
  proxy.retarget(`http://127.0.0.1:${server.port}`, server.token);
  const out = join(root, ".tmp", stateless ? "conformance-stateless" : "conformance");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const url = `http://127.0.0.1:${pp}/mcp`;
  console.log(`conformance: server ${server.url} (${stateless ? "stateless" : "sessions"}), suite → ${url}`);
  const result = await runCommand(
    node22,
    [suite, "server", "--url", url, "--expected-failures", baseline, "-o", out, ...passThrough],
    { timeoutMs: 600_000 },
  );
  code = result.code;
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  if (server) console.error(server.stderr());
  code = 1;
} finally {
  await server?.stop();
  await proxy.close();
}
console.log(`conformance: exit ${code} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(code);
