import type { Pool, PoolClient, QueryResultRow } from "pg";
import type { Logger } from "../logging.js";
import { MIGRATIONS } from "./migrations.js";

/**
 * Shared state in PostgreSQL (DATABASE_URL): one pool per process. `pg` is loaded only when a DATABASE_URL is
 * set, so the default (files and memory) never pays for it.
 */
export class Database {
  private constructor(
    readonly pool: Pool,
    /** host:port/database, for messages: never the password */
    readonly where: string,
    private readonly url: string,
    private readonly logger: Logger | undefined,
  ) {}

  /**
   * Connects, runs the migrations and returns the database. Throws a DatabaseUnavailable (with where and why,
   * never the password) when it cannot be reached.
   */
  static async open(url: string, options: { logger?: Logger; max?: number } = {}): Promise<Database> {
    const where = describeUrl(url);
    const { default: pg } = await import("pg");
    const pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 10,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      // a statement never waits forever on a lock or a dead server
      statement_timeout: 10_000,
      query_timeout: 12_000,
      application_name: "digicert-partner-mcp",
    });
    // An idle client whose server went away emits here; without a listener it would crash the process.
    pool.on("error", (err) =>
      options.logger?.warn({ err: err.message, where }, "PostgreSQL connection lost"),
    );
    const db = new Database(pool, where, url, options.logger);
    try {
      await db.migrate();
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw new DatabaseUnavailable(where, err);
    }
    return db;
  }

  async query<R extends QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>(text, values)).rows;
    } catch (err) {
      throw asUnavailable(this.where, err);
    }
  }

  /** Runs `task` in one transaction on one connection. */
  async transaction<T>(task: (client: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw new DatabaseUnavailable(this.where, err);
    }
    try {
      await client.query("BEGIN");
      const result = await task(client);
      await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw asUnavailable(this.where, err);
    } finally {
      client.release();
    }
  }

  /** Whether a trivial query answers now (for /healthz). */
  async reachable(): Promise<boolean> {
    try {
      await this.pool.query("SELECT 1");
      return true;
    } catch {
      return false;
    }
  }

  /** A dedicated connection outside the pool (LISTEN needs one that stays open). */
  async dedicatedClient(): Promise<import("pg").Client> {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5_000 });
    client.on("error", (err) => this.logger?.debug({ err: err.message }, "PostgreSQL listener error"));
    await client.connect();
    return client;
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }

  /**
   * Applies the migrations not yet applied, in order, each in its own transaction. A transaction-level advisory
   * lock makes replicas that start at once take turns: the second sees the first one's work and skips it.
   */
  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
      await client.query(
        "CREATE TABLE IF NOT EXISTS dcpm_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
      );
      const { rows } = await client.query<{ version: number }>("SELECT version FROM dcpm_migrations");
      const done = new Set(rows.map((r) => r.version));
      for (const [index, sql] of MIGRATIONS.entries()) {
        const version = index + 1;
        if (done.has(version)) continue;
        await client.query(sql);
        await client.query("INSERT INTO dcpm_migrations (version) VALUES ($1)", [version]);
        this.logger?.info({ version, where: this.where }, "database migration applied");
      }
      await client.query("COMMIT");
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}

/** Arbitrary constant: the advisory lock key of the migrations (bigint; "dcpm" in ASCII). */
const MIGRATION_LOCK = 0x6463706d;

/** The database could not answer: what tools report, never with the URL's password. */
export class DatabaseUnavailable extends Error {
  constructor(
    readonly where: string,
    cause: unknown,
  ) {
    super(`the database (PostgreSQL at ${where}) is unavailable: ${reasonOf(cause)}`);
    this.name = "DatabaseUnavailable";
  }
}

function reasonOf(err: unknown): string {
  if (err instanceof DatabaseUnavailable) return err.message;
  const e = err as { code?: string; message?: string; errors?: { message?: string }[] };
  // AggregateError (IPv4 and IPv6 both refused) has an empty message
  const message = e?.message || e?.errors?.[0]?.message || String(err);
  return e?.code && !message.includes(e.code) ? `${message} (${e.code})` : message;
}

/**
 * SQL errors that are about the statement (a bug) stay as they are; everything else (connection refused or
 * lost, timeouts, the server shutting down) becomes DatabaseUnavailable.
 */
function asUnavailable(where: string, err: unknown): Error {
  if (err instanceof DatabaseUnavailable) return err;
  const code = (err as { code?: string }).code;
  const sqlBug = typeof code === "string" && /^(42|22|23)/.test(code);
  return sqlBug && err instanceof Error ? err : new DatabaseUnavailable(where, err);
}

/** host:port/database of a postgres:// URL, without user or password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || "localhost"}:${u.port || "5432"}${u.pathname || "/"}`;
  } catch {
    return "(an unparsable DATABASE_URL)";
  }
}
