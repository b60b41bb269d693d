// A throwaway PostgreSQL server for the benchmarks that need one (bench/reporting-floor.mjs, bench/pg-rows.mjs):
// Debian's binaries (or PG_BIN_DIR), initdb in a temporary directory (as the postgres user when run as root, since
// initdb refuses root), on a free loopback port, durability off; stop() removes it. As test/helpers/postgres.ts.
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chmod, chown, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./lib.mjs";

const run = promisify(execFile);

const asRoot = process.getuid?.() === 0;
function pgRun(bin, args) {
  const command = asRoot ? "runuser" : bin;
  const argv = asRoot ? ["-u", "postgres", "--", bin, ...args] : args;
  return run(command, argv, { timeout: 60_000, env: { ...process.env, LC_ALL: "C" } });
}
export async function startPostgres() {
  const fromEnv = process.env.PG_BIN_DIR;
  const majors = existsSync("/usr/lib/postgresql")
    ? readdirSync("/usr/lib/postgresql").filter((v) => /^\d+$/.test(v))
    : [];
  const bin =
    fromEnv ??
    majors
      .sort((a, b) => Number(b) - Number(a))
      .map((v) => join("/usr/lib/postgresql", v, "bin"))
      .find((d) => existsSync(join(d, "initdb")));
  if (!bin) throw new Error("PostgreSQL binaries not found (set PG_BIN_DIR)");
  const dir = await mkdtemp(join(os.tmpdir(), "dcpm-bench-pg-"));
  if (asRoot) {
    const { stdout: uid } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    await chown(dir, Number(uid.trim()), Number(gid.trim()));
  }
  await chmod(dir, 0o700);
  const data = join(dir, "data");
  await pgRun(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
  const port = await freePort();
  const opts = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  await pgRun(join(bin, "pg_ctl"), [
    "-D",
    data,
    "-o",
    opts,
    "-l",
    join(dir, "log"),
    "-w",
    "-t",
    "60",
    "start",
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await pgRun(join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
