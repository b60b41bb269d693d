import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A real HAProxy (Debian's package) in front of replicas on loopback: round robin, no sticky sessions, health
 * checks on /healthz, and a request whose connection could not be opened retried on another replica (nothing
 * was sent, so a retry cannot duplicate a write). Never a mock.
 */
export interface TestHaproxy {
  url: string;
  stop(): Promise<void>;
}

const BINARIES = ["/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy"];

export function haproxyBinary(): string {
  const bin = BINARIES.find((b) => existsSync(b));
  if (!bin) throw new Error("haproxy not found: install Debian's haproxy package (.ci/run does)");
  return bin;
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startHaproxy(port: number, backends: number[]): Promise<TestHaproxy> {
  const dir = await mkdtemp(join(tmpdir(), "dcpm-haproxy-"));
  const config = [
    "global",
    "  maxconn 512",
    "defaults",
    "  mode http",
    "  timeout connect 1s",
    "  timeout client 30s",
    "  timeout server 30s",
    "  retries 3",
    "  option redispatch",
    "  retry-on conn-failure",
    "frontend mcp",
    `  bind 127.0.0.1:${port}`,
    "  default_backend replicas",
    "backend replicas",
    "  balance roundrobin",
    "  option httpchk GET /healthz",
    "  http-check expect status 200",
    ...backends.map((p, i) => `  server r${i + 1} 127.0.0.1:${p} check inter 200 fall 1 rise 1`),
    "",
  ].join("\n");
  const file = join(dir, "haproxy.cfg");
  await writeFile(file, config);
  const proc: ChildProcess = spawn(haproxyBinary(), ["-f", file, "-db"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  proc.stderr?.on("data", (c: Buffer) => {
    stderr += c.toString("utf8");
  });
  try {
    await waitForPort(port, 10_000);
  } catch (err) {
    proc.kill("SIGKILL");
    throw new Error(`haproxy did not start: ${String(err)}\n${stderr}`);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once("close", r));
        proc.kill("SIGTERM");
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
