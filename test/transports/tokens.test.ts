import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO, type Sandbox, startSandbox } from "../../sandbox/index.js";
import { AuditLog } from "../../src/audit/log.js";
import { openProfiles, type ProfileRuntime } from "../../src/cli/profiles.js";
import { serverFactory } from "../../src/cli/server-factory.js";
import type { HashedToken, HttpConfig } from "../../src/config/index.js";
import { OPERATIONS } from "../../src/operations/index.js";
import { tokenHash } from "../../src/transports/auth.js";
import { type RunningHttpServer, startHttpServer } from "../../src/transports/http.js";
import { connectClient, httpConfig, INITIALIZE, mcpHeaders, memoryLogger, raw, TOKEN_A } from "./helpers.js";

// Tokens as clients send them; the server only ever sees their hashes (below) and MCP_HTTP_TOKEN's TOKEN_A.
const SUPPORT = "support-bot-token-0123456789abcdef0123456789";
const TEAM_A = "team-a-token-0123456789abcdef0123456789abcdef";
const TEAM_B = "team-b-token-0123456789abcdef0123456789abcdef";
const ACME_ONLY = "acme-only-token-0123456789abcdef0123456789ab";

const GRANTS: HashedToken[] = [
  { name: "support-bot", sha256: tokenHash(SUPPORT), readOnly: true, profile: "default" },
  { name: "team-a", sha256: tokenHash(TEAM_A), readOnly: false, profile: "team-a" },
  { name: "team-b", sha256: tokenHash(TEAM_B), readOnly: false, profile: "team-b", maxBodyBytes: 2048 },
  {
    name: "acme-only",
    sha256: tokenHash(ACME_ONLY),
    readOnly: false,
    profile: "default",
    toolsets: ["acme"],
  },
];
const WRITE_TOOLS = OPERATIONS.filter((op) => op.effect !== "read").map((op) => op.name);

let sandbox: Sandbox;
let profiles: Map<string, ProfileRuntime>;
let dir: string;
let auditPath: string;
let audit: AuditLog;
const log = memoryLogger();
const running: RunningHttpServer[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  dir = mkdtempSync(join(tmpdir(), "tokens-http-"));
  const k = sandbox.keys;
  profiles = openProfiles({
    defaultCredentials: {
      parentKey: k.parent,
      subaccountKey: k.subaccounts[1001],
      subaccountKeys: { ...k.subaccounts },
      devkey: k.devkey,
    },
    profiles: {
      // team A owns subaccount 1001, team B subaccount 1004: neither profile holds the other's key
      "team-a": { subaccountKeys: { 1001: k.subaccounts[1001] as string } },
      "team-b": { subaccountKeys: { 1004: k.subaccounts[1004] as string } },
    },
    baseUrl: sandbox.url,
    timeouts: {},
    dataDir: dir,
    logger: log.logger,
  });
  auditPath = join(dir, "audit.jsonl");
  const opened = AuditLog.open({ kind: "file", path: auditPath }, { secrets: allSecrets() });
  if (!opened) throw new Error("no audit log");
  audit = opened;
});
afterEach(async () => {
  for (const c of closers.splice(0)) await c().catch(() => undefined);
  for (const s of running.splice(0)) await s.close();
  sandbox.reset();
});
afterAll(async () => {
  audit.close();
  for (const p of profiles.values()) await p.client.close();
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

function allSecrets(): string[] {
  const k = sandbox.keys;
  return [k.parent, k.devkey, ...Object.values(k.subaccounts), SUPPORT, TEAM_A, TEAM_B, ACME_ONLY, TOKEN_A];
}

async function start(overrides: Partial<HttpConfig> = {}, auditLog = audit): Promise<RunningHttpServer> {
  const factory = serverFactory({
    profiles,
    logger: log.logger,
    version: "9.9.9-test",
    confirmation: { mode: "required", secret: "s".repeat(32) },
    confirmationTokens: undefined,
    audit: auditLog,
    transport: "http",
  });
  const server = await startHttpServer(
    httpConfig({
      tokens: [TOKEN_A],
      hashedTokens: GRANTS,
      rateLimit: { perMinute: 0, burst: 1 },
      ...overrides,
    }),
    {
      createServer: (context) => factory({}, context),
      logger: log.logger,
      version: "9.9.9-test",
      // as the CLI wires it
      onRefused: (refusal) => auditLog.refused({ ...refusal, transport: "http" }),
    },
  );
  running.push(server);
  return server;
}

async function client(url: string, token: string) {
  const c = await connectClient(url, token);
  closers.push(() => c.client.close());
  return c.client;
}

async function expectNoWriteTools(c: Awaited<ReturnType<typeof client>>): Promise<void> {
  const names = (await c.listTools()).tools.map((t) => t.name);
  for (const w of WRITE_TOOLS) expect(names).not.toContain(w);
}

function text(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === "text" ? first.text : "";
}

describe("tokens file over HTTP", () => {
  it("accepts a token whose hash is in the file, and not the hash itself", async () => {
    const server = await start();
    const c = await client(server.url, SUPPORT);
    expect((await c.listTools()).tools.length).toBeGreaterThan(0);
    for (const bearer of [tokenHash(SUPPORT), tokenHash(SUPPORT).toUpperCase(), `${SUPPORT}x`]) {
      const res = await raw(server.url, { headers: mcpHeaders(bearer), body: INITIALIZE });
      expect(res.status).toBe(401);
    }
  });

  it("read-only token: no write tool is listed, and calling one by name does nothing", async () => {
    const server = await start();
    const c = await client(server.url, SUPPORT);
    const names = (await c.listTools()).tools.map((t) => t.name);
    expect(names).toContain("get_acme_contract");
    for (const w of WRITE_TOOLS) expect(names).not.toContain(w);
    sandbox.stats.clear();
    const r = (await c.callTool({
      name: "cancel_acme_contract",
      arguments: { acme_contract_id: DEMO.contracts.ov },
    })) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/not found|unknown tool/i);
    expect(sandbox.stats.snapshot().total).toBe(0);
    expect(sandbox.store.contracts.get(DEMO.contracts.ov)?.canceledAt).toBeNull();
    // full-access MCP_HTTP_TOKEN on the same server still sees them
    const full = await client(server.url, TOKEN_A);
    expect((await full.listTools()).tools.map((t) => t.name)).toContain("cancel_acme_contract");
  });

  it("toolset-limited token: only that toolset's tools", async () => {
    const server = await start();
    const c = await client(server.url, ACME_ONLY);
    const tools = (await c.listTools()).tools.map((t) => t.name);
    const acme = OPERATIONS.filter((op) => op.toolset === "acme").map((op) => op.name);
    expect(tools.sort()).toEqual([...acme].sort());
    const r = (await c.callTool({ name: "list_api_keys", arguments: {} })) as CallToolResult;
    expect(r.isError).toBe(true);
  });

  it("a token on profile A cannot reach a subaccount of profile B: config error, nothing sent", async () => {
    const server = await start();
    const a = await client(server.url, TEAM_A);
    const own = (await a.callTool({
      name: "get_acme_contract",
      arguments: { acme_contract_id: DEMO.contracts.dv, account_id: DEMO.subFull },
    })) as CallToolResult;
    expect(own.isError, text(own)).toBeFalsy();
    sandbox.stats.clear();
    const other = (await a.callTool({
      name: "list_acme_certificates",
      arguments: { acme_contract_id: DEMO.contracts.withCertificates, account_id: DEMO.subCerts },
    })) as CallToolResult;
    expect(other.isError).toBe(true);
    expect(text(other)).toMatch(/no key is configured for subaccount 1004.*configured: 1001/s);
    expect(other.structuredContent).toMatchObject({ error: { kind: "config" } });
    // and without account_id it cannot fall back to a parent key it does not have
    const parent = (await a.callTool({ name: "list_api_keys", arguments: {} })) as CallToolResult;
    expect(parent.isError, text(parent)).toBeFalsy();
    const report = (await a.callTool({ name: "get_account_reporting", arguments: {} })) as CallToolResult;
    expect(report.isError).toBe(true);
    expect(text(report)).toMatch(/parent-account key/);
    // the sandbox saw only team A's own key
    const snapshot = sandbox.stats.snapshot();
    expect(JSON.stringify(snapshot)).not.toMatch(/list_acme_certificates|get_account_reporting/);
    // team B, the other way round
    const b = await client(server.url, TEAM_B);
    const r = (await b.callTool({
      name: "add_sans",
      arguments: { acme_contract_id: DEMO.contracts.dv, account_id: DEMO.subFull, sans: ["b.example.com"] },
    })) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/no key is configured for subaccount 1001/);
    expect(sandbox.store.contracts.get(DEMO.contracts.dv)?.sans).not.toContain("b.example.com");
  });

  it("per-token body limit", async () => {
    const server = await start();
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping", params: { pad: "x".repeat(4096) } });
    expect((await raw(server.url, { headers: mcpHeaders(TEAM_B), body })).status).toBe(413);
    expect((await raw(server.url, { headers: mcpHeaders(TEAM_A), body })).status).not.toBe(413);
  });

  it("stateless mode builds each request's server for the token too", async () => {
    const server = await start({ stateless: true });
    const c = await client(server.url, SUPPORT);
    await expectNoWriteTools(c);
  });

  it("audits writes under the token's name and profile, with no key or token in the file", async () => {
    const server = await start();
    const a = await client(server.url, TEAM_A);
    const before = readFileSync(auditPath, "utf8").length;
    await a.callTool({
      name: "add_sans",
      arguments: { acme_contract_id: DEMO.contracts.dv, account_id: DEMO.subFull, sans: [TEAM_A] },
    });
    await a.callTool({
      name: "add_sans",
      arguments: { acme_contract_id: DEMO.contracts.dv, account_id: DEMO.subFull, sans: ["ok.example.com"] },
    });
    const lines = readFileSync(auditPath, "utf8")
      .slice(before)
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).toMatchObject({ token: "team-a", profile: "team-a", transport: "http", tool: "add_sans" });
      expect(line.session).toMatch(/^[0-9a-f-]{8}$/);
    }
    expect(lines.map((l) => l.outcome)).toEqual(["error:invalid_arguments", "ok"]);
    const all = readFileSync(auditPath, "utf8");
    for (const s of allSecrets()) expect(all).not.toContain(s);
  });

  it("never sends a session's own bearer token back, even when the agent pastes it", async () => {
    const server = await start();
    const a = await client(server.url, TEAM_A);
    const r = await a.callTool({
      name: "add_sans",
      arguments: { acme_contract_id: DEMO.contracts.dv, sans: [TEAM_A] },
    });
    expect(r.isError).toBe(true);
    expect(JSON.stringify(r)).not.toContain(TEAM_A);
  });
});

describe("per-token rate limit", () => {
  it("answers 429 with Retry-After and a JSON-RPC error; other tokens are unaffected", async () => {
    const server = await start({ rateLimit: { perMinute: 6, burst: 3 } });
    for (let i = 0; i < 3; i++) {
      expect((await raw(server.url, { headers: mcpHeaders(TEAM_A), body: INITIALIZE })).status).toBe(200);
    }
    const limited = await raw(server.url, { headers: mcpHeaders(TEAM_A), body: INITIALIZE });
    expect(limited.status).toBe(429);
    const wait = Number(limited.headers["retry-after"]);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(10);
    expect(JSON.parse(limited.body)).toMatchObject({
      jsonrpc: "2.0",
      error: { code: -32000, message: expect.stringMatching(/Too many requests.*retry after/) },
      id: null,
    });
    expect((await raw(server.url, { headers: mcpHeaders(TEAM_B), body: INITIALIZE })).status).toBe(200);
    expect((await raw(server.url, { headers: mcpHeaders(TOKEN_A), body: INITIALIZE })).status).toBe(200);
    // a wrong token is refused as unauthorized, not counted against anyone
    expect((await raw(server.url, { headers: mcpHeaders(`${TEAM_A}x`), body: INITIALIZE })).status).toBe(401);
  });

  it("a token's own rate_limit wins over the server's", async () => {
    const server = await start({
      rateLimit: { perMinute: 6, burst: 2 },
      hashedTokens: GRANTS.map((g) => (g.name === "team-b" ? { ...g, rateLimit: 0 } : g)),
    });
    for (let i = 0; i < 5; i++) {
      expect((await raw(server.url, { headers: mcpHeaders(TEAM_B), body: INITIALIZE })).status).toBe(200);
    }
  });
});

describe("replacing the tokens file's entries (SIGHUP reload)", () => {
  const NEWCOMER = "newcomer-token-0123456789abcdef0123456789ab";
  const newcomer: HashedToken = {
    name: "newcomer",
    sha256: tokenHash(NEWCOMER),
    readOnly: true,
    profile: "default",
  };
  const without = (name: string) => GRANTS.filter((g) => g.name !== name);

  it("a removed token is refused at once and its session closed; the others keep theirs; a new one works", async () => {
    const server = await start();
    const support = await client(server.url, SUPPORT);
    const teamA = await client(server.url, TEAM_A);
    const full = await client(server.url, TOKEN_A);
    expect(server.sessionCount()).toBe(3);

    const changes = server.replaceFileTokens([...without("support-bot"), newcomer]);
    expect(changes).toEqual({
      added: ["newcomer"],
      removed: ["support-bot"],
      changed: [],
      sessionsClosed: 1,
    });
    await expect.poll(() => server.sessionCount()).toBe(2);
    expect((await raw(server.url, { headers: mcpHeaders(SUPPORT), body: INITIALIZE })).status).toBe(401);
    await expect(support.listTools()).rejects.toThrow();
    // unchanged tokens: same sessions, still working (MCP_HTTP_TOKEN's tokens are not in the file: untouched)
    expect((await teamA.listTools()).tools.length).toBeGreaterThan(0);
    expect((await full.listTools()).tools.length).toBeGreaterThan(0);
    await expectNoWriteTools(await client(server.url, NEWCOMER));
  });

  it("a token whose grant changed loses its session, and its next session has the new grant", async () => {
    const server = await start();
    const before = await client(server.url, TEAM_A);
    expect((await before.listTools()).tools.map((t) => t.name)).toContain("cancel_acme_contract");

    const narrowed = GRANTS.map((g) => (g.name === "team-a" ? { ...g, readOnly: true } : g));
    expect(server.replaceFileTokens(narrowed)).toMatchObject({ changed: ["team-a"], sessionsClosed: 1 });
    await expect(before.listTools()).rejects.toThrow();
    const after = await client(server.url, TEAM_A);
    expect((await after.listTools()).tools.map((t) => t.name)).not.toContain("cancel_acme_contract");
  });

  it("a token given a new secret under the same name: the old secret stops, the new one works", async () => {
    const server = await start();
    const rotated = "team-a-rotated-0123456789abcdef0123456789ab";
    server.replaceFileTokens(
      GRANTS.map((g) => (g.name === "team-a" ? { ...g, sha256: tokenHash(rotated) } : g)),
    );
    expect((await raw(server.url, { headers: mcpHeaders(TEAM_A), body: INITIALIZE })).status).toBe(401);
    expect((await raw(server.url, { headers: mcpHeaders(rotated), body: INITIALIZE })).status).toBe(200);
  });

  it("stateless: the new list applies from the next request", async () => {
    const server = await start({ stateless: true });
    expect((await raw(server.url, { headers: mcpHeaders(SUPPORT), body: INITIALIZE })).status).toBe(200);
    server.replaceFileTokens(without("support-bot"));
    expect((await raw(server.url, { headers: mcpHeaders(SUPPORT), body: INITIALIZE })).status).toBe(401);
  });
});

describe("refused requests in the audit log", () => {
  // a log of its own: the shared one's flood guard still holds back the 401s earlier tests caused
  const refusedIn = (path: string) =>
    readFileSync(path, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.event === "refused");

  it("401, 429 and a tool the token was not given are audited by name and address, never the token", async () => {
    const path = join(dir, "refusals.jsonl");
    const own = AuditLog.open({ kind: "file", path }, { secrets: allSecrets() }) as AuditLog;
    closers.push(async () => own.close());
    const server = await start(
      {
        rateLimit: { perMinute: 0, burst: 1 },
        hashedTokens: GRANTS.map((g) => (g.name === "team-a" ? { ...g, rateLimit: 6 } : g)),
      },
      own,
    );
    const wrong = `${SUPPORT}-wrong`;
    for (let i = 0; i < 3; i++) {
      expect((await raw(server.url, { headers: mcpHeaders(wrong), body: INITIALIZE })).status).toBe(401);
    }
    const support = await client(server.url, SUPPORT);
    const r = (await support.callTool({
      name: "cancel_acme_contract",
      arguments: { acme_contract_id: DEMO.contracts.ov },
    })) as CallToolResult;
    expect(r.isError).toBe(true);
    // a name that is no tool at all is a mistake, not an attempt on something withheld
    await support.callTool({ name: "no_such_tool", arguments: {} });
    expect((await raw(server.url, { headers: mcpHeaders(TEAM_A), body: INITIALIZE })).status).toBe(200);
    expect((await raw(server.url, { headers: mcpHeaders(TEAM_A), body: INITIALIZE })).status).toBe(429);

    const refused = refusedIn(path);
    expect(refused.map((l) => [l.reason, l.token, l.status, l.tool ?? null])).toEqual([
      ["unauthorized", null, 401, null],
      ["tool_not_offered", "support-bot", null, "cancel_acme_contract"],
      ["rate_limited", "team-a", 429, null],
    ]);
    expect(refused[0]?.remote).toBe("127.0.0.1");
    const file = readFileSync(path, "utf8");
    for (const s of [...allSecrets(), wrong]) expect(file).not.toContain(s);
  });
});

describe("tokenHash", () => {
  it("is the hex SHA-256 of the token's UTF-8 bytes (what hash-token writes and the tokens file holds)", () => {
    expect(tokenHash("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // a non-ASCII token hashes its UTF-8 bytes, not Latin-1 or UTF-16
    expect(tokenHash("tök€n")).toBe(createHash("sha256").update(Buffer.from("tök€n", "utf8")).digest("hex"));
    expect(tokenHash("tök€n")).not.toBe(
      createHash("sha256").update(Buffer.from("tök€n", "latin1")).digest("hex"),
    );
  });
});
