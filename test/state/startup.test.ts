import { afterAll, beforeAll, expect, it } from "vitest";
import { cliRunner, ensureBuilt } from "../cli/child.js";
import { freePort } from "../helpers/postgres.js";

// DATABASE_URL set but nothing answers there: the server must not start half-way, and must say why.

const { cli, killAll } = cliRunner();
beforeAll(() => ensureBuilt(), 120_000);
afterAll(() => killAll());

it("exits at start with a clear message (never the password) when PostgreSQL cannot be reached", async () => {
  const port = await freePort();
  const password = "pw-that-must-not-show-9f8e7d";
  const child = cli(["--http", "--sandbox"], {
    DATABASE_URL: `postgres://mcp:${password}@127.0.0.1:${port}/digicert`,
    MCP_HTTP_TOKEN: "startup-test-token-0123456789abcdef",
    MCP_HTTP_PORT: "0",
  });
  const code = await child.exited;
  expect(code).toBe(1);
  expect(child.stderr()).toContain(
    `failed to start: DATABASE_URL: the database (PostgreSQL at 127.0.0.1:${port}/digicert) is unavailable`,
  );
  expect(child.stderr()).toMatch(/ECONNREFUSED/);
  expect(child.stderr()).not.toContain(password);
  expect(child.stderr()).not.toContain("serving MCP");
});

it("refuses a DATABASE_URL that is not postgres:// as a configuration error", async () => {
  const child = cli(["--http", "--sandbox"], {
    DATABASE_URL: "mysql://root:secret-pw@localhost/db",
    MCP_HTTP_TOKEN: "startup-test-token-0123456789abcdef",
  });
  expect(await child.exited).toBe(2);
  expect(child.stderr()).toContain("DATABASE_URL must be a postgres:// URL");
  expect(child.stderr()).not.toContain("secret-pw");
});
