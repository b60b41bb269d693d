#!/usr/bin/env node
// Drives the MCP Inspector's CLI mode (@modelcontextprotocol/inspector, run with Node 22) against the built
// server, as a user debugging it would (run `npm run build` first):
//   stdio: `inspector --cli node dist/bin/cli.js --method tools/list`, then tools/call of a read-only tool;
//   HTTP:  the same against `dist/bin/cli.js --http` with `--header "Authorization: Bearer …"`, plus a call
//          without the header that must be refused;
//   confirmation: a destructive tool's two steps as two Inspector CLI runs (each a new session): refused in
//          another session by default, finished with MCP_CONFIRMATION_BINDING=caller, and only once.
// The server runs on its built-in sandbox (no DigiCert key in its environment).
//
// The inspector's postinstall (scripts/install-clients.mjs) is not needed: it only installs per-client
// dependencies in a source checkout and exits at once when the package lives under node_modules; the
// published package ships each client's bundled build/ output, which CLI mode runs.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanEnv, cliPath, node22, root, runCommand, startHttpServer } from "./lib/servers.mjs";

const launcher = join(
  root,
  "node_modules",
  "@modelcontextprotocol",
  "inspector",
  "clients",
  "launcher",
  "build",
  "index.js",
);
/** Preferred read-only tool to call: no required argument, answered by the sandbox. */
const PREFERRED_TOOL = "list_api_keys";

const started = Date.now();
const home = mkdtempSync(join(tmpdir(), "inspector-home-"));
// The inspector keeps a catalog and client settings under $HOME/.mcp-inspector: keep them out of the real home.
const inspectorEnv = cleanEnv({ HOME: home, MCP_CATALOG_PATH: join(home, "mcp.json") });

function log(text) {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${text}`);
}

async function inspector(args, { expectFailure = false, toolErrorOk = false } = {}) {
  const full = [launcher, "--cli", "--format", "json", "--connect-timeout", "20000", ...args];
  const result = await runCommand(node22, full, { env: inspectorEnv, echo: false, timeoutMs: 120_000 });
  if (expectFailure) {
    if (result.code === 0)
      throw new Error(`expected the inspector to fail: ${args.join(" ")}\n${result.stdout}`);
    return result;
  }
  // a tool result with isError: true makes the CLI exit non-zero after printing the result
  const toolError = toolErrorOk && result.code !== 0 && result.stdout.trimStart().startsWith('{"result"');
  if (result.code !== 0 && !toolError) {
    throw new Error(`inspector ${args.join(" ")} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  }
  let parsed;
  try {
    // after a tool error, a second JSON line names the error: the first is the result
    parsed = JSON.parse(toolError ? result.stdout.trim().split("\n")[0] : result.stdout);
  } catch {
    throw new Error(`inspector ${args.join(" ")} printed no JSON:\n${result.stdout}\n${result.stderr}`);
  }
  // --format json prints { "result": <the MCP result> }
  return { ...result, json: parsed.result ?? parsed };
}

function pickReadOnlyTool(tools) {
  const readOnly = tools.filter((t) => t.annotations?.readOnlyHint === true);
  const noArgs = (t) => !t.inputSchema?.required || t.inputSchema.required.length === 0;
  const chosen = readOnly.find((t) => t.name === PREFERRED_TOOL && noArgs(t)) ?? readOnly.find(noArgs);
  if (!chosen) throw new Error("no read-only tool without required arguments in tools/list");
  return chosen.name;
}

function checkTools(json, where) {
  const tools = json.tools;
  if (!Array.isArray(tools) || tools.length === 0) throw new Error(`${where}: tools/list returned no tools`);
  for (const t of tools) {
    if (typeof t.name !== "string" || typeof t.description !== "string" || t.inputSchema?.type !== "object") {
      throw new Error(`${where}: malformed tool ${JSON.stringify(t).slice(0, 200)}`);
    }
  }
  return tools;
}

function checkCall(json, tool, where) {
  if (json.isError)
    throw new Error(`${where}: ${tool} returned an error: ${JSON.stringify(json).slice(0, 500)}`);
  if (!Array.isArray(json.content) || json.content.length === 0) {
    throw new Error(`${where}: ${tool} returned no content: ${JSON.stringify(json).slice(0, 500)}`);
  }
}

/**
 * Preview in one Inspector CLI run, confirm in the next (a new session each): the way docs/clients.md gives.
 * Returns the second run's result.
 */
async function twoSteps(target, auth, args) {
  const call = (extra) =>
    inspector(
      [...target, ...auth, "--method", "tools/call", "--tool-name", "remove_sans", ...args, ...extra],
      { toolErrorOk: true },
    );
  const preview = (await call([])).json;
  const token = preview.structuredContent?.confirmation_token;
  if (typeof token !== "string")
    throw new Error(`no confirmation token: ${JSON.stringify(preview).slice(0, 300)}`);
  return { token, result: (await call(["--tool-arg", `confirmation_token=${token}`])).json, call };
}

async function confirmationAcrossSessions(target) {
  const args = ["--tool-arg", "acme_contract_id=10002", "--tool-arg", 'sans=["www.example.com"]'];
  const bySession = await startHttpServer();
  try {
    const at = ["--server-url", bySession.url];
    const auth = ["--header", `Authorization: Bearer ${bySession.token}`];
    const { result } = await twoSteps([...target.slice(0, 2), ...at], auth, args);
    if (!result.isError || !/another session/.test(JSON.stringify(result)))
      throw new Error(`default binding: expected "another session": ${JSON.stringify(result).slice(0, 300)}`);
    log("confirmation, default binding: the token is refused in the next CLI run (another session)");
  } finally {
    await bySession.stop();
  }
  const byCaller = await startHttpServer({ env: { MCP_CONFIRMATION_BINDING: "caller" } });
  server = byCaller;
  const at = ["--server-url", byCaller.url];
  const auth = ["--header", `Authorization: Bearer ${byCaller.token}`];
  const { result, call, token } = await twoSteps([...target.slice(0, 2), ...at], auth, args);
  if (result.isError || result.structuredContent?.status !== "done")
    throw new Error(`MCP_CONFIRMATION_BINDING=caller: not done: ${JSON.stringify(result).slice(0, 300)}`);
  log("confirmation, MCP_CONFIRMATION_BINDING=caller: preview in one CLI run, done in the next");
  const replay = (await call(["--tool-arg", `confirmation_token=${token}`])).json;
  if (!replay.isError || !/already been used|changed/.test(JSON.stringify(replay)))
    throw new Error(`replay was not refused: ${JSON.stringify(replay).slice(0, 300)}`);
  log("confirmation: the same token in a third CLI run → refused");
}

let failed = false;
let server;
try {
  // stdio: the inspector starts the server itself (it passes only its default variables plus -e ones).
  const stdioTarget = [process.execPath, cliPath];
  const env = ["-e", "LOG_LEVEL=warn"];
  const listed = await inspector([...env, "--method", "tools/list", ...stdioTarget]);
  const tools = checkTools(listed.json, "stdio");
  log(`stdio: tools/list → ${tools.length} tools`);
  const tool = pickReadOnlyTool(tools);
  const called = await inspector([...env, "--method", "tools/call", "--tool-name", tool, ...stdioTarget]);
  checkCall(called.json, tool, "stdio");
  log(`stdio: tools/call ${tool} → ${called.json.content.length} content block(s), not an error`);

  // Streamable HTTP with the bearer token.
  server = await startHttpServer();
  const auth = ["--header", `Authorization: Bearer ${server.token}`];
  const httpTarget = ["--transport", "http", "--server-url", server.url];
  const listedHttp = await inspector([...httpTarget, ...auth, "--method", "tools/list"]);
  const httpTools = checkTools(listedHttp.json, "http");
  if (httpTools.map((t) => t.name).join() !== tools.map((t) => t.name).join()) {
    throw new Error("http: tools/list differs from stdio's");
  }
  log(`http: tools/list → ${httpTools.length} tools (same as stdio)`);
  const calledHttp = await inspector([...httpTarget, ...auth, "--method", "tools/call", "--tool-name", tool]);
  checkCall(calledHttp.json, tool, "http");
  log(`http: tools/call ${tool} → ${calledHttp.json.content.length} content block(s), not an error`);
  const refused = await inspector([...httpTarget, "--stored-auth-only", "--method", "tools/list"], {
    expectFailure: true,
  });
  const why = `${refused.stdout}${refused.stderr}`;
  if (!/401|unauthori[sz]ed|auth/i.test(why)) throw new Error(`http: refused for another reason:\n${why}`);
  log(
    `http: without the bearer token → refused (exit ${refused.code}): ${why.trim().split("\n")[0]?.slice(0, 160)}`,
  );

  await server.stop();
  server = undefined;
  await confirmationAcrossSessions(httpTarget);
  log("inspector check passed");
} catch (err) {
  failed = true;
  console.error(err instanceof Error ? err.message : err);
  if (server) console.error(`server stderr:\n${server.stderr()}`);
} finally {
  await server?.stop();
  rmSync(home, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
