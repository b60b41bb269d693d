import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConfirmationTokens, MemoryLedger, type UsedTokenLedger } from "../../src/mcp/confirmation/token.js";
import { PgConfirmationLedger } from "../../src/state/confirmations.js";
import { Database } from "../../src/state/database.js";
import { startPostgres, type TestPostgres } from "../helpers/postgres.js";

// The used-token ledger, in memory and in PostgreSQL (the same suite): bounded per caller, entries gone with
// their token, a replay refused; and for PostgreSQL what only a shared ledger must do.

const SECRET = "l".repeat(32);
const TTL = 60_000;

interface LedgerBackend {
  name: string;
  setUp(): Promise<void>;
  reset(): Promise<void>;
  /** one ledger object (a replica); several on the same place share what they record */
  ledger(): UsedTokenLedger;
  tearDown(): Promise<void>;
}

function memoryBackend(): LedgerBackend {
  let shared = new MemoryLedger(TTL);
  return {
    name: "memory",
    async setUp() {},
    async reset() {
      shared = new MemoryLedger(TTL);
    },
    ledger: () => shared,
    async tearDown() {},
  };
}

let server: TestPostgres | undefined;
let db: Database | undefined;
let url = "";

function postgresBackend(): LedgerBackend {
  return {
    name: "postgres",
    async setUp() {
      server = await startPostgres();
      url = await server.createDatabase();
      db = await Database.open(url);
    },
    async reset() {
      await db?.query("TRUNCATE dcpm_confirmations");
    },
    ledger: () => new PgConfirmationLedger(db as Database, TTL),
    async tearDown() {
      await db?.close();
      await server?.stop();
    },
  };
}

function harness(backend: LedgerBackend, bound: number) {
  let now = 1_000_000;
  const replica = () =>
    new ConfirmationTokens({
      secret: SECRET,
      ttlMs: TTL,
      now: () => now,
      maxUsedPerCaller: bound,
      ledger: backend.ledger(),
    });
  const tokens = replica();
  const redeem = (owner: string, on = tokens) => {
    const { token } = tokens.issue({ tool: "t", args: "a", state: "s", session: owner });
    return on.verifyAndConsume(token, { tool: "t", args: "a", session: owner, owner });
  };
  return { tokens, replica, redeem, advance: (ms: number) => (now += ms) };
}

describe.each([memoryBackend(), postgresBackend()])("confirmation ledger: $name", (backend) => {
  beforeAll(() => backend.setUp(), 60_000);
  afterAll(() => backend.tearDown());
  beforeEach(() => backend.reset());

  it("refuses a caller over its bound, and only that caller", async () => {
    const { redeem } = harness(backend, 3);
    for (let i = 0; i < 3; i++) expect((await redeem("flooder")).ok).toBe(true);
    const over = await redeem("flooder");
    expect(over.ok).toBe(false);
    expect(over.ok ? "" : over.reason).toMatch(/3 confirmations in flight/);
    expect((await redeem("other")).ok).toBe(true);
  });

  it("forgets used tokens when they expire: the caller may confirm again, and idle callers free theirs", async () => {
    const { tokens, redeem, advance } = harness(backend, 2);
    await redeem("a");
    await redeem("a");
    await redeem("idle");
    expect(await tokens.usedCount()).toBe(3);
    expect((await redeem("a")).ok).toBe(false);
    advance(TTL + 1);
    expect((await redeem("a")).ok).toBe(true);
    expect(await tokens.usedCount()).toBe(1);
  });

  it("still refuses a replay within the lifetime, on any replica sharing the ledger", async () => {
    const { tokens, replica } = harness(backend, 10);
    const other = replica();
    const { token } = tokens.issue({ tool: "t", args: "a", state: "s", session: "x" });
    const who = { tool: "t", args: "a", session: "x", owner: "x" };
    expect((await tokens.verifyAndConsume(token, who)).ok).toBe(true);
    for (const on of [tokens, other]) {
      const again = await on.verifyAndConsume(token, who);
      expect(again.ok ? "" : again.reason).toMatch(/already been used/);
    }
  });

  it("lets exactly one of many simultaneous redemptions of one token through", async () => {
    const { tokens, replica } = harness(backend, 100);
    const replicas = [tokens, replica(), replica(), replica()];
    const { token } = tokens.issue({ tool: "t", args: "a", state: "s", session: "x" });
    const who = { tool: "t", args: "a", session: "x", owner: "x" };
    const verdicts = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (replicas[i % replicas.length] as ConfirmationTokens).verifyAndConsume(token, who),
      ),
    );
    expect(verdicts.filter((v) => v.ok)).toHaveLength(1);
  });
});

describe("confirmation ledger in PostgreSQL: what only the shared one must do", () => {
  let pgServer: TestPostgres;
  let database: Database;
  beforeAll(async () => {
    pgServer = await startPostgres();
    database = await Database.open(await pgServer.createDatabase());
  }, 60_000);
  afterAll(async () => {
    await database?.close();
    await pgServer?.stop();
  });

  it("keeps neither the token, nor its nonce, nor the caller's name", async () => {
    let now = 5_000_000;
    const tokens = new ConfirmationTokens({
      secret: SECRET,
      ttlMs: TTL,
      now: () => now,
      ledger: new PgConfirmationLedger(database, TTL),
    });
    const owner = "alice-token-name";
    const { token } = tokens.issue({ tool: "t", args: "a", state: "s", session: owner });
    expect((await tokens.verifyAndConsume(token, { tool: "t", args: "a", session: owner, owner })).ok).toBe(
      true,
    );
    now += 1;
    const nonce = JSON.parse(Buffer.from(token.split(".")[1] as string, "base64url").toString()).n as string;
    const rows = await database.query("SELECT * FROM dcpm_confirmations");
    const text = JSON.stringify(rows);
    expect(rows).toHaveLength(1);
    for (const secret of [token, nonce, owner, SECRET, token.split(".")[2] as string])
      expect(text).not.toContain(secret);
  });

  it("fails closed: while the database is away a valid token is refused, and it works once it is back", async () => {
    const tokens = new ConfirmationTokens({
      secret: SECRET,
      ttlMs: TTL,
      now: Date.now,
      ledger: new PgConfirmationLedger(database, TTL),
    });
    const { token } = tokens.issue({ tool: "t", args: "a", state: "s", session: "x" });
    const who = { tool: "t", args: "a", session: "x", owner: "x" };
    await pgServer.pause();
    try {
      const verdict = await tokens.verifyAndConsume(token, who);
      expect(verdict.ok).toBe(false);
      expect(verdict.ok ? "" : verdict.reason).toMatch(/could not be recorded.*never acted on unrecorded/);
    } finally {
      await pgServer.start();
    }
    expect((await tokens.verifyAndConsume(token, who)).ok).toBe(true);
    expect((await tokens.verifyAndConsume(token, who)).ok).toBe(false);
  });
});
