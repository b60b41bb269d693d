// Helpers of the load scripts (bench/load/). Loopback only; everything started here is stopped here.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");

import { CLI } from "../lib.mjs";

export { CLI };

export function machine() {
  const cpu = cpus();
  return `${cpu[0]?.model ?? "unknown CPU"} × ${cpu.length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function newToken() {
  return randomBytes(32).toString("hex");
}

/** The secrets of generated subaccounts: the sandbox keeps them in its store. */
export function generatedSubaccounts(sandbox, parentId) {
  const out = [];
  for (const account of sandbox.store.accounts.values()) {
    if (account.kind !== "sub" || account.parentId !== parentId || !account.name.startsWith("Generated"))
      continue;
    const key = [...sandbox.store.apiKeys.values()].find(
      (k) => k.accountId === account.id && k.status === "active",
    );
    const contract = sandbox.store.contractsOf(account.id).find((c) => c.canceledAt === null);
    if (key && contract) out.push({ accountId: account.id, key: key.secret, contractId: contract.id });
  }
  return out;
}

/** Resident set size of another process in MB: /proc on Linux, `ps` elsewhere; undefined once it is gone. */
export function rssOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    if (kb) return Number((Number(kb) / 1024).toFixed(1));
  } catch {
    // not Linux, or the process has exited
  }
  try {
    const kb = Number(execFileSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8" }).trim());
    return Number.isFinite(kb) && kb > 0 ? Number((kb / 1024).toFixed(1)) : undefined;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `everyMs` until stop(), which resolves with the highest seen. */
export function rssSampler(pid, everyMs = 200) {
  let peak = rssOf(pid) ?? 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssOf(pid) ?? 0);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssOf(pid) ?? 0);
    },
  };
}

/**
 * Spawns the built CLI with --http on port 0 (loopback) and resolves with its /mcp URL, read from its start-up
 * log line. Killed by close(), and after `maxMs` at the latest.
 */
export async function startServerProcess(env, { maxMs = 120_000, nodeArgs = [] } = {}) {
  const child = spawn(process.execPath, [...nodeArgs, CLI, "--http", "--port", "0", "--host", "127.0.0.1"], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const guard = setTimeout(() => child.kill("SIGKILL"), maxMs);
  guard.unref();
  let stderr = "";
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server not ready in 30 s:\n${stderr}`)), 30_000);
    child.stderr.on("data", (d) => {
      if (stderr.length < 200_000) stderr += d;
      const line = stderr.split("\n").find((l) => l.includes("serving MCP over Streamable HTTP"));
      if (line) {
        clearTimeout(timer);
        resolveUrl(JSON.parse(line).url);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}):\n${stderr}`));
    });
  });
  return {
    url,
    pid: child.pid,
    stderr: () => stderr,
    async close() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
      clearTimeout(guard);
    },
  };
}
