import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chmod, chown, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);

/**
 * A real PostgreSQL server for tests: initdb in a temporary directory, pg_ctl on a free loopback port, stopped and
 * removed by `stop()`. Never a mock. initdb refuses root, so as root it runs as the `postgres` user.
 */
export interface TestPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** a fresh, empty database on this server; returns its URL */
  createDatabase(name?: string): Promise<string>;
  /** stops the server (fast shutdown: connections are cut), keeping its data for `start()` */
  pause(): Promise<void>;
  /** starts it again on the same port after `pause()` */
  start(): Promise<void>;
  /** stops it and removes its data directory */
  stop(): Promise<void>;
}

/** Debian's layout: /usr/lib/postgresql/<major>/bin; the newest installed major wins. */
function debianBinDirs(): string[] {
  try {
    return readdirSync("/usr/lib/postgresql")
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
      .map((v) => join("/usr/lib/postgresql", v, "bin"));
  } catch {
    return [];
  }
}

export function postgresBinDir(): string {
  const fromEnv = process.env.PG_BIN_DIR;
  const dir = fromEnv ?? debianBinDirs().find((d) => existsSync(join(d, "initdb")));
  if (!dir || !existsSync(join(dir, "initdb"))) {
    throw new Error(
      "PostgreSQL server binaries not found (initdb, pg_ctl): install Debian's postgresql package or set PG_BIN_DIR",
    );
  }
  return dir;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary, as the postgres user when we are root. */
function pgRun(bin: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  const command = asRoot ? "runuser" : bin;
  const argv = asRoot ? ["-u", "postgres", "--", bin, ...args] : args;
  return run(command, argv, { timeout: 30_000, env: { ...process.env, LC_ALL: "C" } });
}

let counter = 0;

export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const dir = await mkdtemp(join(tmpdir(), "dcpm-pg-"));
  const data = join(dir, "data");
  if (asRoot) {
    // the postgres user must own the directory it runs in
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  await chmod(dir, 0o700);
  await pgRun(join(bin, "initdb"), [
    "-D",
    data,
    "-U",
    "postgres",
    "--auth=trust",
    "--no-sync",
    "-E",
    "UTF8",
    "--no-instructions",
  ]);
  const port = await freePort();
  const options = [
    `-c listen_addresses=127.0.0.1`,
    `-c port=${port}`,
    `-c unix_socket_directories=${dir}`,
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=200",
  ].join(" ");
  const start = async () => {
    await pgRun(join(bin, "pg_ctl"), [
      "-D",
      data,
      "-o",
      options,
      "-l",
      join(dir, "log"),
      "-w",
      "-t",
      "30",
      "start",
    ]);
  };
  await start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  const pgStop = () => pgRun(join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]);
  return {
    url,
    port,
    async createDatabase(name = `t${process.pid}_${++counter}`) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    pause: async () => {
      await pgStop();
    },
    start,
    async stop() {
      if (stopped) return;
      stopped = true;
      await pgStop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
