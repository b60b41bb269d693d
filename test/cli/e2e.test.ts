import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../sandbox/index.js";
import { CLI, cleanEnv, cliRunner, ensureBuilt, ROOT } from "./child.js";

const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const HTTP_TOKEN = "e2e-http-token-5f0c2a9b7d3e41c8";
const SANDBOX_NOTICE = /no DigiCert key is configured.*built-in sandbox/;

const { cli, killAll } = cliRunner();

beforeAll(ensureBuilt, 180_000);
afterAll(killAll);

/** stdout lines of a stdio server: each must be one JSON-RPC message. */
function jsonRpcLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((line) => {
      const msg = JSON.parse(line) as Record<string, unknown>;
      expect(msg.jsonrpc).toBe("2.0");
      return msg;
    });
}

// Child processes start slower on a loaded CI machine than the 20 s default allows for.
describe("CLI basics", { timeout: 60_000 }, () => {
  it("--version prints the package version", async () => {
    const c = cli(["--version"]);
    expect(await c.exited).toBe(0);
    expect(c.stdout()).toBe(`${VERSION}\n`);
  });

  it("--help lists the options on stdout", async () => {
    const c = cli(["--help"]);
    expect(await c.exited).toBe(0);
    expect(c.stdout()).toContain("DIGICERT_PARTNER_API_KEY");
    expect(c.stdout()).toContain("--no-confirmation");
    expect(c.stderr()).toBe("");
  });

  it("refuses a key on the command line (exit 2), and says why", async () => {
    const c = cli(["--api-key", "sk_live_abcdef0123456789"]);
    expect(await c.exited).toBe(2);
    expect(c.stdout()).toBe("");
    expect(c.stderr()).toMatch(/not accepted on the command line/);
    expect(c.stderr()).not.toContain("sk_live_abcdef0123456789");
  });

  it("refuses an unexpanded placeholder key (exit 2), with the variable named", async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the unexpanded placeholder is the test data
    const c = cli([], { DIGICERT_PARTNER_API_KEY: "${user_config.partner_api_key}" });
    expect(await c.exited).toBe(2);
    expect(c.stdout()).toBe("");
    expect(c.stderr()).toMatch(/DIGICERT_PARTNER_API_KEY looks like an unexpanded placeholder/);
  });

  it("refuses a malformed DIGICERT_SUBACCOUNT_API_KEYS (exit 2)", async () => {
    const c = cli([], { DIGICERT_SUBACCOUNT_API_KEYS: '{"abc": "k"}' });
    expect(await c.exited).toBe(2);
    expect(c.stderr()).toMatch(/DIGICERT_SUBACCOUNT_API_KEYS/);
  });

  it("refuses a misspelt tool name in DIGICERT_EXCLUDE_TOOLS (exit 2) rather than leave that tool on", async () => {
    const c = cli([], { DIGICERT_EXCLUDE_TOOLS: "cancel_acme_contrat" });
    expect(await c.exited).toBe(2);
    expect(c.stderr()).toMatch(/unknown tool name\(s\).*cancel_acme_contrat/);
    expect(c.stdout()).toBe("");
  });

  it("refuses --http without MCP_HTTP_TOKEN (exit 2)", async () => {
    const c = cli(["--http"]);
    expect(await c.exited).toBe(2);
    expect(c.stderr()).toMatch(/MCP_HTTP_TOKEN/);
  });
});

describe("stdio end to end (no keys: the in-process sandbox)", { timeout: 60_000 }, () => {
  it("lists tools and calls a read-only tool through the SDK client", async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI],
      cwd: ROOT,
      env: cleanEnv({ LOG_LEVEL: "debug" }),
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on("data", (c: Buffer) => {
      stderr += c.toString("utf8");
    });
    const errors: Error[] = [];
    const client = new Client({ name: "e2e", version: "1.0.0" });
    client.onerror = (e) => errors.push(e);
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      expect(names).toContain("get_account_reporting");
      expect(names).toContain("take_reporting_snapshot"); // reporting is wired in through `extend`
      const result = await client.callTool({ name: "get_account_reporting", arguments: {} });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toEqual(expect.objectContaining({}));
      expect(JSON.stringify(result.structuredContent)).toContain("acme");
    } finally {
      await client.close();
    }
    // stdout carried nothing the client could not parse as JSON-RPC
    expect(errors).toEqual([]);
    expect(stderr).toMatch(SANDBOX_NOTICE);
  });

  it("writes only JSON-RPC to stdout, the notice and logs to stderr, and exits 0 when stdin closes", async () => {
    const c = cli([], { LOG_LEVEL: "debug" });
    const send = (msg: unknown) => c.proc.stdin?.write(`${JSON.stringify(msg)}\n`);
    send({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    });
    await expect.poll(() => jsonRpcLines(c.stdout()).length, { timeout: 15_000 }).toBe(1);
    send({ jsonrpc: "2.0", method: "notifications/initialized" });
    send({ jsonrpc: "2.0", id: 2, method: "tools/list", params: {} });
    send({
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: "get_account_reporting", arguments: {} },
    });
    await expect
      .poll(() => jsonRpcLines(c.stdout()).filter((m) => m.id === 3).length, { timeout: 15_000 })
      .toBe(1);
    c.proc.stdin?.end();
    expect(await c.exited).toBe(0);
    const messages = jsonRpcLines(c.stdout());
    expect(messages.map((m) => m.id).sort()).toEqual([1, 2, 3]);
    const call = messages.find((m) => m.id === 3) as {
      result: { structuredContent?: unknown; isError?: boolean };
    };
    expect(call.result.isError).toBeFalsy();
    expect(call.result.structuredContent).toBeTypeOf("object");
    expect(c.stderr()).toMatch(SANDBOX_NOTICE);
    expect(c.stdout()).not.toMatch(/sandbox at http/);
  });

  it("exits 0 on SIGTERM", async () => {
    const c = cli([]);
    await c.waitForStderr((l) => SANDBOX_NOTICE.test(l));
    await c.waitForStderr((l) => l.includes('"msg":"started"'));
    expect(await c.kill("SIGTERM")).toBe(0);
    expect(c.stdout()).toBe("");
  });
});

describe("HTTP end to end (keys from the environment, debug logs)", { timeout: 60_000 }, () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it("serves /mcp with the bearer token, never logs the token or keys, and exits 0 on SIGTERM", async () => {
    const keys = sandbox.keys;
    const subaccountKeys = Object.fromEntries(Object.entries(keys.subaccounts).map(([id, k]) => [id, k]));
    const c = cli(["--http", "--port", "0", "--log-level", "debug"], {
      DIGICERT_BASE_URL: sandbox.url,
      DIGICERT_PARTNER_API_KEY: keys.parent,
      DIGICERT_SUBACCOUNT_API_KEYS: JSON.stringify(subaccountKeys),
      DIGICERT_DEVKEY: keys.devkey,
      MCP_HTTP_TOKEN: HTTP_TOKEN,
    });
    const line = await c.waitForStderr((l) => l.includes("serving MCP over Streamable HTTP"));
    const endpoint = (JSON.parse(line) as { url: string }).url;
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);

    const health = await fetch(endpoint.replace(/\/mcp$/, "/healthz"));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, name: "digicert-partner-mcp", version: VERSION });

    const denied = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: "{}",
    });
    expect(denied.status).toBe(401);

    const transport = new StreamableHTTPClientTransport(new URL(endpoint), {
      requestInit: { headers: { authorization: `Bearer ${HTTP_TOKEN}` } },
    });
    const client = new Client({ name: "e2e-http", version: "1.0.0" });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain("get_account_reporting");
      const result = await client.callTool({ name: "get_account_reporting", arguments: {} });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toBeTypeOf("object");
      // a failing call too, so error paths are logged
      await client
        .callTool({ name: "get_api_key", arguments: { api_key_id: 999999999 } })
        .catch(() => undefined);
    } finally {
      await client.close();
    }

    expect(await c.kill("SIGTERM")).toBe(0);
    const stderr = c.stderr();
    expect(stderr).toContain('"level":20'); // debug lines were written
    expect(stderr).toContain("digicert call");
    for (const secret of [HTTP_TOKEN, keys.parent, keys.devkey, ...Object.values(keys.subaccounts)]) {
      expect(stderr).not.toContain(secret);
    }
    expect(stderr).not.toMatch(SANDBOX_NOTICE);
    expect(c.stdout()).toBe("");
  });
});

describe("sandbox subcommand", { timeout: 60_000 }, () => {
  it("runs the emulator alone and stops on SIGTERM", async () => {
    const c = cli(["sandbox", "--port", "0"]);
    const baseUrl = /base URL[^:\n]*:\s+(http:\/\/\S+)/;
    await expect.poll(() => c.stdout(), { timeout: 15_000 }).toMatch(baseUrl);
    const url = baseUrl.exec(c.stdout())?.[1] as string;
    const res = await fetch(`${url}/partner-subscription/api/v1/account/reporting`);
    expect(res.status).toBe(401);
    expect(await c.kill("SIGTERM")).toBe(0);
  });
});
