import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
/** The package's `bin`: the bundled server (dist/bin/cli.js) that npx, the .mcpb and MCP clients start. */
export const CLI = join(
  ROOT,
  (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string> }).bin[
    "digicert-partner-mcp"
  ] as string,
);

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The end-to-end tests run the built bin (dist/bin/cli.js), as users do. `npm test` builds first; when the
 * tests run alone and dist is missing or older than the sources, build it here.
 */
export async function ensureBuilt(): Promise<void> {
  const stale =
    !existsSync(CLI) ||
    statSync(CLI).mtimeMs < Math.max(newestMtime(join(ROOT, "src")), newestMtime(join(ROOT, "sandbox")));
  if (!stale) return;
  const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
  await new Promise<void>((done) => {
    // tsc emits even when another module has type errors mid-work; the tests then show what breaks.
    execFile(process.execPath, [tsc, "-p", ROOT], { cwd: ROOT, timeout: 120_000 }, () => done());
  });
  // the rest of `npm run build`: the contracts view, the precomputed tool schemas, then the bundle
  for (const script of [
    "scripts/build-app.mjs",
    "scripts/precompute-schemas.mjs",
    "scripts/bundle-cli.mjs",
  ]) {
    await new Promise<void>((done) => {
      execFile(process.execPath, [join(ROOT, script)], { cwd: ROOT, timeout: 60_000 }, () => done());
    });
  }
  if (!existsSync(CLI)) throw new Error(`build failed: ${CLI} missing (run npm run build)`);
}

/** A clean environment: nothing from the developer's shell (no DIGICERT_* keys) leaks into the child. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "SYSTEMROOT", "TMPDIR", "TEMP", "TMP"]) {
    const v = process.env[name];
    if (v !== undefined) env[name] = v;
  }
  return { ...env, ...extra };
}

export interface Child {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  /** waits until stderr holds a line matching the predicate (or fails after the timeout) */
  waitForStderr: (test: (line: string) => boolean, timeoutMs?: number) => Promise<string>;
  kill: (signal?: NodeJS.Signals) => Promise<number | null>;
}

export function runCli(args: string[], env: Record<string, string>): Child {
  const proc = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  proc.stdout?.on("data", (c: Buffer) => {
    out += c.toString("utf8");
  });
  proc.stderr?.on("data", (c: Buffer) => {
    err += c.toString("utf8");
  });
  const exited = new Promise<number | null>((r) => proc.once("close", (code) => r(code)));
  const waitForStderr = (test: (line: string) => boolean, timeoutMs = 15_000): Promise<string> =>
    new Promise((resolvePromise, reject) => {
      const check = () => {
        const line = err.split("\n").find(test);
        if (line !== undefined) {
          cleanup();
          resolvePromise(line);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for stderr; got:\n${err}`));
      }, timeoutMs);
      const onExit = () => {
        cleanup();
        reject(new Error(`the CLI exited; stderr:\n${err}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        proc.stderr?.off("data", check);
        proc.off("close", onExit);
      };
      proc.stderr?.on("data", check);
      proc.once("close", onExit);
      check();
    });
  const kill = async (signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return { proc, stdout: () => out, stderr: () => err, exited, waitForStderr, kill };
}

/** Starts built CLIs in a clean environment and kills every one still running at the end of the file. */
export function cliRunner(): {
  cli: (args: string[], env?: Record<string, string>) => Child;
  killAll: () => Promise<void>;
} {
  const children: Child[] = [];
  return {
    cli: (args, env = {}) => {
      const child = runCli(args, cleanEnv(env));
      children.push(child);
      return child;
    },
    killAll: async () => {
      await Promise.all(children.map((c) => c.kill("SIGKILL")));
    },
  };
}
