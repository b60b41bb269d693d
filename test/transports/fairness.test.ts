import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO, type Sandbox, startSandbox } from "../../sandbox/index.js";
import { openProfiles, type ProfileRuntime } from "../../src/cli/profiles.js";
import { serverFactory } from "../../src/cli/server-factory.js";
import type { HashedToken, HttpConfig } from "../../src/config/index.js";
import { ConfirmationTokens } from "../../src/mcp/index.js";
import { tokenHash } from "../../src/transports/auth.js";
import { type RunningHttpServer, startHttpServer } from "../../src/transports/http.js";
import type { RefusedRequest } from "../../src/transports/types.js";
import { connectClient, httpConfig, INITIALIZE, mcpHeaders, memoryLogger, raw } from "./helpers.js";

// Fair to every caller: what one token does (flooding the confirmation ledger, batching, holding sessions)
// must not cost another token anything; and a token's grant decides its resources and prompts too.

const FLOODER = "flooder-token-0123456789abcdef0123456789abcd";
const WORKER = "worker-token-0123456789abcdef0123456789abcdef";
const KEYS_BOT = "keys-bot-token-0123456789abcdef0123456789abc";
const SECRET = "s".repeat(32);
const LEDGER_BOUND = 5;

const GRANTS: HashedToken[] = [
  { name: "flooder", sha256: tokenHash(FLOODER), readOnly: false, profile: "default" },
  { name: "worker", sha256: tokenHash(WORKER), readOnly: false, profile: "default" },
  {
    name: "keys-bot",
    sha256: tokenHash(KEYS_BOT),
    readOnly: false,
    profile: "default",
    toolsets: ["api_keys"],
    excludeTools: ["get_account_reporting", "get_subaccount_cost_report"],
    maxSessions: 1,
  },
];

let sandbox: Sandbox;
let profiles: Map<string, ProfileRuntime>;
let dir: string;
const log = memoryLogger();
const running: RunningHttpServer[] = [];
const clients: Client[] = [];
const refused: RefusedRequest[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  dir = mkdtempSync(join(tmpdir(), "fairness-http-"));
  const k = sandbox.keys;
  profiles = openProfiles({
    defaultCredentials: {
      parentKey: k.parent,
      subaccountKey: k.subaccounts[DEMO.subFull],
      subaccountKeys: { ...k.subaccounts },
      devkey: k.devkey,
    },
    profiles: {},
    baseUrl: sandbox.url,
    timeouts: {},
    dataDir: dir,
    logger: log.logger,
  });
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => undefined);
  for (const s of running.splice(0)) await s.close();
  refused.length = 0;
  sandbox.reset();
});
afterAll(async () => {
  for (const p of profiles.values()) await p.client.close();
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The CLI's wiring: one ledger for the process (small here), the grants of the tokens file. */
async function start(overrides: Partial<HttpConfig> = {}): Promise<RunningHttpServer> {
  const factory = serverFactory({
    profiles,
    logger: log.logger,
    version: "9.9.9-test",
    confirmation: { mode: "required", secret: SECRET },
    confirmationTokens: new ConfirmationTokens({
      secret: SECRET,
      ttlMs: 300_000,
      now: Date.now,
      maxUsedPerCaller: LEDGER_BOUND,
    }),
    audit: undefined,
    transport: "http",
  });
  const server = await startHttpServer(
    httpConfig({ tokens: [], hashedTokens: GRANTS, rateLimit: { perMinute: 0, burst: 1 }, ...overrides }),
    {
      createServer: (context) => factory({}, context),
      logger: log.logger,
      version: "9.9.9-test",
      onRefused: (r) => refused.push(r),
    },
  );
  running.push(server);
  return server;
}

async function client(url: string, token: string): Promise<Client> {
  const c = (await connectClient(url, token)).client;
  clients.push(c);
  return c;
}

async function call(c: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await c.callTool({ name, arguments: args })) as CallToolResult;
}

function text(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === "text" ? first.text : "";
}

/** Preview, then redeem the token: one entry in the caller's used-token ledger. */
async function confirm(c: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  const preview = await call(c, name, args);
  const token = (preview.structuredContent as { confirmation_token?: string } | undefined)
    ?.confirmation_token;
  if (!token) throw new Error(`no confirmation token: ${text(preview)}`);
  return call(c, name, { ...args, confirmation_token: token });
}

describe("confirmation ledger, per caller", () => {
  it("a flood from one token refuses only that token; another token's real confirmation still works", async () => {
    const server = await start();
    const flooder = await client(server.url, FLOODER);
    // harmless confirmations: removing a SAN the contract does not have
    const noop = {
      acme_contract_id: DEMO.contracts.dv,
      account_id: DEMO.subFull,
      sans: ["not-on-this-contract.example"],
    };
    for (let i = 0; i < LEDGER_BOUND; i++) {
      const r = await confirm(flooder, "remove_sans", noop);
      expect(text(r)).not.toMatch(/confirmation token was refused/);
    }
    const over = await confirm(flooder, "remove_sans", noop);
    expect(over.isError).toBe(true);
    expect(text(over)).toMatch(/confirmation token was refused: this caller has 5 confirmations in flight/);

    // the other token, on the same process and ledger, cancels a contract for real
    const worker = await client(server.url, WORKER);
    const target = DEMO.contracts.ov;
    const done = await confirm(worker, "cancel_acme_contract", { acme_contract_id: target });
    expect(done.isError, text(done)).toBeFalsy();
    expect(sandbox.store.contracts.get(target)?.canceledAt).not.toBeNull();
    // and its tokens are still single use
    const preview = await call(worker, "remove_sans", noop);
    const token = (preview.structuredContent as { confirmation_token: string }).confirmation_token;
    await call(worker, "remove_sans", { ...noop, confirmation_token: token });
    const replay = await call(worker, "remove_sans", { ...noop, confirmation_token: token });
    expect(text(replay)).toMatch(/already been used/);
  });
});

describe("JSON-RPC batches", () => {
  it("are refused with 400 and a JSON-RPC error, before any message runs", async () => {
    const server = await start();
    const init = await raw(server.url, { headers: mcpHeaders(WORKER), body: INITIALIZE });
    const session = init.headers["mcp-session-id"] as string;
    sandbox.stats.clear();
    const calls = Array.from({ length: 3 }, (_, i) => ({
      jsonrpc: "2.0",
      id: 10 + i,
      method: "tools/call",
      params: { name: "get_acme_contract", arguments: { acme_contract_id: DEMO.contracts.dv } },
    }));
    const res = await raw(server.url, {
      headers: mcpHeaders(WORKER, { "mcp-session-id": session }),
      body: JSON.stringify(calls),
    });
    expect(res.status).toBe(400);
    const body = JSON.parse(res.body) as { error: { code: number; message: string }; id: null };
    expect(body.error.code).toBe(-32600);
    expect(body.error.message).toMatch(/batches are not supported/);
    expect(sandbox.stats.snapshot().total).toBe(0);
    expect(refused.map((r) => r.reason)).toContain("batch_refused");
    // a batched initialize opens no session either
    const batchedInit = await raw(server.url, { headers: mcpHeaders(WORKER), body: `[${INITIALIZE}]` });
    expect(batchedInit.status).toBe(400);
    expect(server.sessionCount()).toBe(1);
  });

  it("are refused in stateless mode too", async () => {
    const server = await start({ stateless: true });
    const res = await raw(server.url, { headers: mcpHeaders(WORKER), body: `[${INITIALIZE}]` });
    expect(res.status).toBe(400);
    expect(res.body).toMatch(/batches are not supported/);
  });
});

describe("sessions per token", () => {
  it("one token at its cap gets 429 for itself; other tokens still open sessions", async () => {
    const server = await start({ maxSessions: 10, maxSessionsPerToken: 3 });
    for (let i = 0; i < 3; i++) await client(server.url, FLOODER);
    const fourth = await raw(server.url, { headers: mcpHeaders(FLOODER), body: INITIALIZE });
    expect(fourth.status).toBe(429);
    expect(fourth.headers["retry-after"]).toBe("30");
    expect(fourth.body).toMatch(/Too many sessions for this token \(3 open, all busy\)/);
    expect(refused).toContainEqual(expect.objectContaining({ reason: "session_limit", token: "flooder" }));
    const other = await client(server.url, WORKER);
    expect((await other.listTools()).tools.length).toBeGreaterThan(0);
    expect(server.sessionCount()).toBe(4);
  });

  it("at its cap, a token's own least recently used idle session makes room; no other token's", async () => {
    const server = await start({ maxSessionsPerToken: 2 });
    const open = async (token: string) =>
      (await raw(server.url, { headers: mcpHeaders(token), body: INITIALIZE })).headers[
        "mcp-session-id"
      ] as string;
    // raw sessions hold no GET stream open: idle between requests, like a client that went away without DELETE
    const other = await open(WORKER);
    const first = await open(FLOODER);
    const second = await open(FLOODER);
    const third = await open(FLOODER);
    expect(third).toBeTruthy();
    expect(server.sessionCount()).toBe(3);
    const ping = (token: string, id: string) =>
      raw(server.url, {
        headers: mcpHeaders(token, { "mcp-session-id": id, "mcp-protocol-version": "2025-06-18" }),
        body: JSON.stringify({ jsonrpc: "2.0", id: 5, method: "ping" }),
      });
    expect((await ping(FLOODER, first)).status).toBe(404);
    expect((await ping(FLOODER, second)).status).toBe(200);
    expect((await ping(WORKER, other)).status).toBe(200);
  });

  it("a session whose server could not be built does not hold a place under the token's cap", async () => {
    const factory = serverFactory({
      profiles,
      logger: log.logger,
      version: "9.9.9-test",
      confirmation: { mode: "required", secret: SECRET },
      confirmationTokens: undefined,
      audit: undefined,
      transport: "http",
    });
    let failures = 2;
    const server = await startHttpServer(
      httpConfig({
        tokens: [],
        hashedTokens: GRANTS,
        rateLimit: { perMinute: 0, burst: 1 },
        maxSessionsPerToken: 1,
      }),
      {
        createServer: (context) => {
          if (failures-- > 0) throw new Error("server could not be built");
          return factory({}, context);
        },
        logger: log.logger,
        version: "9.9.9-test",
      },
    );
    running.push(server);
    for (let i = 0; i < 2; i++) {
      const failed = await raw(server.url, { headers: mcpHeaders(FLOODER), body: INITIALIZE });
      expect(failed.status).toBeGreaterThanOrEqual(500);
    }
    const opened = await raw(server.url, { headers: mcpHeaders(FLOODER), body: INITIALIZE });
    expect(opened.status).toBe(200);
    expect(opened.headers["mcp-session-id"]).toBeTruthy();
    expect(server.sessionCount()).toBe(1);
  });

  it("a token file entry's max_sessions wins, and the default is well under the global cap", async () => {
    const server = await start({ maxSessions: 50, maxSessionsPerToken: undefined });
    await client(server.url, KEYS_BOT);
    const second = await raw(server.url, { headers: mcpHeaders(KEYS_BOT), body: INITIALIZE });
    expect(second.status).toBe(429);
    // default cap (10) for the others
    for (let i = 0; i < 10; i++) await client(server.url, WORKER);
    const eleventh = await raw(server.url, { headers: mcpHeaders(WORKER), body: INITIALIZE });
    expect(eleventh.status).toBe(429);
    expect(server.sessionCount()).toBe(11);
  });

  it("a closed session no longer counts", async () => {
    const server = await start({ maxSessionsPerToken: 1 });
    const { client: c, transport } = await connectClient(server.url, FLOODER);
    await transport.terminateSession();
    await c.close();
    expect(server.sessionCount()).toBe(0);
    await client(server.url, FLOODER);
    expect(server.sessionCount()).toBe(1);
  });
});

describe("a tokens-file entry's grant decides its resources and prompts", () => {
  it("api_keys only, reporting and cost report excluded: none listed, reads refused, nothing fetched", async () => {
    const server = await start();
    const bot = await client(server.url, KEYS_BOT);
    const tools = (await bot.listTools()).tools.map((t) => t.name);
    expect(tools.every((t) => t.includes("api_key"))).toBe(true);
    expect((await bot.listResources()).resources).toEqual([]);
    expect((await bot.listResourceTemplates()).resourceTemplates).toEqual([]);
    expect((await bot.listPrompts()).prompts).toEqual([]);
    sandbox.stats.clear();
    await expect(bot.readResource({ uri: "digicert://reporting/latest" })).rejects.toThrow(
      /not available to this token/,
    );
    await expect(bot.readResource({ uri: "digicert://subaccounts/1001/cost-report" })).rejects.toThrow(
      /not available to this token/,
    );
    expect(sandbox.stats.snapshot().total).toBe(0);
    // a full token on the same server reads it
    const worker = await client(server.url, WORKER);
    const latest = await worker.readResource({ uri: "digicert://reporting/latest" });
    expect(latest.contents).toHaveLength(1);
  });
});

describe("--stateless", () => {
  it("does not advertise resource subscriptions it cannot deliver", async () => {
    const stateless = await start({ stateless: true });
    const res = await raw(stateless.url, { headers: mcpHeaders(WORKER), body: INITIALIZE });
    const result = JSON.parse(res.body) as {
      result: { capabilities: { resources?: { subscribe?: boolean } } };
    };
    expect(result.result.capabilities.resources).toBeDefined();
    expect(result.result.capabilities.resources?.subscribe).toBeUndefined();
    const subscribe = await raw(stateless.url, {
      headers: mcpHeaders(WORKER),
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 2,
        method: "resources/subscribe",
        params: { uri: "digicert://reporting/latest" },
      }),
    });
    expect(subscribe.body).toMatch(/-32601|Method not found/);
    // stateful sessions keep them
    const stateful = await start();
    const c = await client(stateful.url, WORKER);
    expect(c.getServerCapabilities()?.resources?.subscribe).toBe(true);
  });
});
