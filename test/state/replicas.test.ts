import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../sandbox/index.js";
import { type Child, cliRunner, ensureBuilt } from "../cli/child.js";
import { startHaproxy, type TestHaproxy } from "../helpers/haproxy.js";
import { percentile, rpc, toolResult } from "../helpers/mcp-post.js";
import { freePort, startPostgres, type TestPostgres } from "../helpers/postgres.js";

/**
 * Three stateless replicas of the built server on one PostgreSQL, behind a real HAProxy (round robin, no sticky
 * sessions), one sandbox. A bounded load of reads and confirmed writes (remove_sans: preview on one replica,
 * confirm usually on another) runs while one replica is killed (SIGKILL) and restarted. The sandbox is the
 * ground truth: no acknowledged write missing, none received twice, every token redeemed at most once, and a
 * snapshot taken on one replica listed by the others. p50/p99 are printed (docs/deployment.md, BENCHMARKS.md),
 * never asserted.
 */

const TOKEN = `replica-token-${randomBytes(16).toString("hex")}`;
const SECRET = randomBytes(32).toString("base64");
/** the contracts the writers own (one each, so no writer's change alters another's preview) and their accounts */
const TARGETS = [
  { contract: 10001, account: 1001 },
  { contract: 10006, account: 1002 },
  { contract: 10007, account: 1004 },
];
const WRITES_PER_WRITER = 14;
const READS = 60;

const { cli, killAll } = cliRunner();
let pg: TestPostgres;
let sandbox: Sandbox;
let lb: TestHaproxy;
let databaseUrl = "";
const ports: number[] = [];
const replicas: (Child | undefined)[] = [];

function replicaEnv(port: number): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    MCP_HTTP_TOKEN: TOKEN,
    MCP_CONFIRMATION_SECRET: SECRET,
    DIGICERT_BASE_URL: sandbox.url,
    DIGICERT_PARTNER_API_KEY: sandbox.keys.parent,
    DIGICERT_SUBACCOUNT_API_KEYS: JSON.stringify(sandbox.keys.subaccounts),
    MCP_ALLOWED_HOSTS: [lb ? lb.url : "", ...ports.map((p) => `http://127.0.0.1:${p}`)]
      .filter(Boolean)
      .map((u) => new URL(u).host)
      .join(","),
    MCP_HTTP_PORT: String(port),
    // the shared per-token limit would bound this load (it is shown on its own in test/state/rate-limits.test.ts)
    MCP_HTTP_RATE_LIMIT: "100000",
    MCP_HTTP_RATE_BURST: "10000",
    MCP_AUDIT_LOG: "off",
    LOG_LEVEL: "info",
  };
}

async function startReplica(index: number): Promise<void> {
  const port = ports[index] as number;
  const child = cli(["--http", "--stateless"], replicaEnv(port));
  replicas[index] = child;
  await child.waitForStderr((line) => line.includes("serving MCP over Streamable HTTP"), 20_000);
}

async function waitHealthyThroughLb(): Promise<void> {
  // HAProxy checks every 200 ms; give it a few rounds to bring a restarted replica back in
  await new Promise((r) => setTimeout(r, 700));
}

beforeAll(async () => {
  await ensureBuilt();
  pg = await startPostgres();
  databaseUrl = await pg.createDatabase();
  sandbox = await startSandbox();
  for (const t of TARGETS) {
    const c = sandbox.store.contracts.get(t.contract);
    if (!c) throw new Error(`seed lacks contract ${t.contract}`);
    for (let i = 0; i < WRITES_PER_WRITER; i++) c.sans.push(`r${i}.c${t.contract}.replica.example`);
  }
  for (let i = 0; i < 3; i++) ports.push(await freePort());
  const lbPort = await freePort();
  lb = { url: `http://127.0.0.1:${lbPort}`, stop: async () => {} };
  await Promise.all([0, 1, 2].map(startReplica));
  lb = await startHaproxy(lbPort, ports);
  await waitHealthyThroughLb();
  sandbox.stats.clear();
}, 90_000);

afterAll(async () => {
  await killAll();
  await lb?.stop();
  await sandbox?.close();
  await pg?.stop();
});

interface Tally {
  acked: Set<string>;
  unknown: Set<string>;
  refusedReplays: number;
  acceptedReplays: number;
  /** replays whose answer was lost with the killed replica */
  lostReplays: number;
  latencies: number[];
  readFailures: number;
  tokensIssued: number;
}

const call = (url: string, name: string, args: Record<string, unknown>) =>
  rpc(url, TOKEN, "tools/call", { name, arguments: args });

/** A preview has no effect, so it is simply asked again when a replica dies under it. */
async function preview(
  url: string,
  args: Record<string, unknown>,
  tally: Tally,
): Promise<string | undefined> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const answer = await call(url, "remove_sans", args).catch(() => undefined);
    const result = answer && toolResult(answer);
    if (answer && result?.structured.status === "confirmation_required") {
      tally.latencies.push(answer.ms);
      tally.tokensIssued++;
      return result.structured.confirmation_token as string;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

async function writer(target: (typeof TARGETS)[number], tally: Tally, progress: () => void): Promise<void> {
  for (let i = 0; i < WRITES_PER_WRITER; i++) {
    const san = `r${i}.c${target.contract}.replica.example`;
    const args = { acme_contract_id: target.contract, account_id: target.account, sans: [san] };
    const token = await preview(lb.url, args, tally);
    if (!token) {
      progress();
      continue;
    }
    // the confirmation is sent once: an answer lost with a dying replica leaves the outcome unknown
    const answer = await call(lb.url, "remove_sans", { ...args, confirmation_token: token }).catch(
      () => undefined,
    );
    const result = answer && toolResult(answer);
    if (answer && result && !result.isError) {
      tally.acked.add(san);
      tally.latencies.push(answer.ms);
      // the same token again, through the balancer (most likely another replica): refused everywhere
      const replay = await call(lb.url, "remove_sans", { ...args, confirmation_token: token }).catch(
        () => undefined,
      );
      const replayed = replay && toolResult(replay);
      if (replayed && !replayed.isError) tally.acceptedReplays++;
      else if (replayed?.text.includes("already been used")) tally.refusedReplays++;
      else if (!replayed) tally.lostReplays++;
    } else if (!result?.text.includes("changed since the preview")) {
      tally.unknown.add(san);
    }
    progress();
  }
}

async function reader(tally: Tally, progress: () => void): Promise<void> {
  for (let i = 0; i < READS; i++) {
    const args = i % 2 === 0 ? {} : { acme_contract_id: 10002, account_id: 1001 };
    const name = i % 2 === 0 ? "list_api_keys" : "get_acme_contract";
    let done = false;
    for (let attempt = 0; attempt < 4 && !done; attempt++) {
      const answer = await call(lb.url, name, args).catch(() => undefined);
      const result = answer && toolResult(answer);
      if (answer && result && !result.isError) {
        tally.latencies.push(answer.ms);
        done = true;
      } else await new Promise((r) => setTimeout(r, 100));
    }
    if (!done) tally.readFailures++;
    progress();
  }
}

describe("three replicas on one PostgreSQL behind HAProxy", () => {
  it("loses and duplicates no write while a replica is killed and restarted", async () => {
    const tally: Tally = {
      acked: new Set(),
      unknown: new Set(),
      refusedReplays: 0,
      acceptedReplays: 0,
      lostReplays: 0,
      latencies: [],
      readFailures: 0,
      tokensIssued: 0,
    };
    const total = TARGETS.length * WRITES_PER_WRITER + READS;
    let completed = 0;
    let chaos = Promise.resolve();
    let killedAt = -1;
    const progress = () => {
      completed++;
      if (completed === Math.floor(total * 0.3)) {
        killedAt = completed;
        chaos = (async () => {
          await replicas[1]?.kill("SIGKILL");
          await new Promise((r) => setTimeout(r, 800));
          await startReplica(1);
        })();
      }
    };
    const started = performance.now();
    await Promise.all([...TARGETS.map((t) => writer(t, tally, progress)), reader(tally, progress)]);
    await chaos;
    const wallMs = performance.now() - started;
    expect(killedAt).toBeGreaterThan(0);

    // the sandbox's state and request counts are the ground truth
    const removed = new Set<string>();
    for (const t of TARGETS) {
      const present = new Set(sandbox.store.contracts.get(t.contract)?.sans ?? []);
      for (let i = 0; i < WRITES_PER_WRITER; i++) {
        const san = `r${i}.c${t.contract}.replica.example`;
        if (!present.has(san)) removed.add(san);
      }
    }
    // zero lost: every acknowledged removal happened
    for (const san of tally.acked) expect(removed.has(san), `${san} acknowledged but not removed`).toBe(true);
    // nothing happened that was not asked for and confirmed
    for (const san of removed) expect(tally.acked.has(san) || tally.unknown.has(san)).toBe(true);
    // zero duplicated: each removal reached DigiCert (the sandbox) exactly once
    expect(sandbox.stats.count("remove_sans")).toBe(removed.size);
    // every token at most once
    expect(tally.acceptedReplays, "replays accepted").toBe(0);
    expect(tally.refusedReplays + tally.lostReplays).toBe(tally.acked.size);
    expect(tally.lostReplays).toBeLessThan(tally.acked.size / 2);
    expect(tally.readFailures, "reads that failed 4 times").toBe(0);
    // most writes went through despite the kill (a bound, not a timing)
    expect(tally.acked.size).toBeGreaterThan(TARGETS.length * WRITES_PER_WRITER * 0.6);

    const figures = {
      requests: tally.latencies.length,
      acked_writes: tally.acked.size,
      unknown_outcome: tally.unknown.size,
      p50_ms: Math.round(percentile(tally.latencies, 50) * 10) / 10,
      p99_ms: Math.round(percentile(tally.latencies, 99) * 10) / 10,
      wall_s: Math.round(wallMs / 100) / 10,
    };
    console.log(`replica figures: ${JSON.stringify(figures)}`);
  }, 120_000);

  it("shows a snapshot taken on one replica on every other, and /healthz reports the database", async () => {
    const direct = ports.map((p) => `http://127.0.0.1:${p}`);
    for (const url of direct) {
      const health = (await (await fetch(`${url}/healthz`)).json()) as { ok: boolean; database: string };
      expect(health).toMatchObject({ ok: true, database: "reachable" });
    }
    const answer = await call(direct[0] as string, "take_reporting_snapshot", {});
    const taken = toolResult(answer);
    expect(taken?.isError).toBe(false);
    const id = JSON.stringify(taken?.structured).match(/\d{8}T\d{6}Z-[0-9a-f]{8}(-\d+)?/)?.[0];
    expect(id).toBeDefined();
    for (const url of direct.slice(1)) {
      const listed = await rpc(url, TOKEN, "resources/list", {});
      expect(JSON.stringify(listed.body)).toContain(id as string);
    }
  });
});
