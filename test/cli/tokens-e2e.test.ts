import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, type Sandbox, startSandbox } from "../../sandbox/index.js";
import { INITIALIZE, mcpHeaders } from "../transports/helpers.js";
import { cliRunner, ensureBuilt } from "./child.js";

const TOKEN = "e2e-file-token-0123456789abcdef0123456789abcdef";
const { cli, killAll } = cliRunner();
const dir = mkdtempSync(join(tmpdir(), "tokens-e2e-"));

beforeAll(ensureBuilt, 180_000);
afterAll(async () => {
  await killAll();
  rmSync(dir, { recursive: true, force: true });
});

describe("hash-token and the tokens file (built CLI)", { timeout: 60_000 }, () => {
  it("hash-token prints the SHA-256 of the token on stdin", async () => {
    const c = cli(["hash-token"]);
    c.proc.stdin?.end(`${TOKEN}\n`);
    expect(await c.exited).toBe(0);
    expect(c.stdout()).toBe(`${createHash("sha256").update(TOKEN).digest("hex")}\n`);
  });

  it("hash-token refuses short tokens, arguments, and never echoes the input", async () => {
    const short = cli(["hash-token"]);
    short.proc.stdin?.end("short-token-123");
    expect(await short.exited).toBe(2);
    expect(short.stderr()).toMatch(/at least 32/);
    expect(short.stderr()).not.toContain("short-token-123");
    const arg = cli(["hash-token", TOKEN]);
    arg.proc.stdin?.end("");
    expect(await arg.exited).toBe(2);
    expect(arg.stderr()).toMatch(/takes no arguments/);
    expect(arg.stdout()).toBe("");
  });

  it("an invalid tokens file stops the server with exit 2 and a clear message", async () => {
    const path = join(dir, "bad.json");
    writeFileSync(path, JSON.stringify({ tokens: [{ name: "bot", token: TOKEN }] }));
    const c = cli(["--http", "--port", "0"], { MCP_HTTP_TOKENS_FILE: path });
    expect(await c.exited).toBe(2);
    expect(c.stderr()).toMatch(/MCP_HTTP_TOKENS_FILE .*tokens\[0\].*unknown field "token"/);
    expect(c.stderr()).not.toContain(TOKEN);
  });

  it("SIGHUP reloads the tokens file: a removed token stops, a new one works; a bad file changes nothing", async () => {
    const sha = (t: string) => createHash("sha256").update(t).digest("hex");
    const keep = `${TOKEN}-keep`;
    const leaving = `${TOKEN}-leaving`;
    const arriving = `${TOKEN}-arriving`;
    const path = join(dir, "reload.json");
    const write = (entries: { name: string; token: string }[]) =>
      writeFileSync(
        path,
        JSON.stringify({ tokens: entries.map((e) => ({ name: e.name, sha256: sha(e.token) })) }),
      );
    write([
      { name: "keep", token: keep },
      { name: "leaving", token: leaving },
    ]);
    const c = cli(["--http", "--port", "0"], { MCP_HTTP_TOKENS_FILE: path });
    const url = (
      JSON.parse(await c.waitForStderr((l) => l.includes("serving MCP over Streamable HTTP"))) as {
        url: string;
      }
    ).url;
    const status = async (token: string) =>
      (await fetch(url, { method: "POST", headers: mcpHeaders(token), body: INITIALIZE })).status;
    expect(await status(leaving)).toBe(200);

    // a file edited into a bad state: refused, the tokens in force stay
    writeFileSync(path, JSON.stringify({ tokens: [{ name: "keep", token: keep }] }));
    c.proc.kill("SIGHUP");
    const refused = await c.waitForStderr((l) => l.includes("tokens file NOT reloaded"));
    expect(refused).toMatch(/unknown field \\"token\\"/);
    expect(await status(leaving)).toBe(200);

    write([
      { name: "keep", token: keep },
      { name: "arriving", token: arriving },
    ]);
    c.proc.kill("SIGHUP");
    const done = JSON.parse(await c.waitForStderr((l) => l.includes('"tokens file reloaded"'))) as Record<
      string,
      unknown
    >;
    expect(done).toMatchObject({ added: ["arriving"], removed: ["leaving"], changed: [] });
    expect(await status(leaving)).toBe(401);
    expect(await status(arriving)).toBe(200);
    expect(await status(keep)).toBe(200);
    expect(await c.kill("SIGTERM")).toBe(0);
    for (const t of [keep, leaving, arriving]) expect(c.stderr()).not.toContain(t);
  });

  it("SIGHUP without a tokens file: the server says there is nothing to reload and keeps serving", async () => {
    const c = cli(["--http", "--port", "0"], { MCP_HTTP_TOKEN: TOKEN });
    const url = (
      JSON.parse(await c.waitForStderr((l) => l.includes("serving MCP over Streamable HTTP"))) as {
        url: string;
      }
    ).url;
    c.proc.kill("SIGHUP");
    expect(await c.waitForStderr((l) => l.includes("tokens file NOT reloaded"))).toMatch(
      /MCP_HTTP_TOKENS_FILE is not set: nothing to reload/,
    );
    const res = await fetch(url, { method: "POST", headers: mcpHeaders(TOKEN), body: INITIALIZE });
    expect(res.status).toBe(200);
    // the token's name is logged (not censored like a secret), the token never
    expect(await c.waitForStderr((l) => l.includes("MCP session opened"))).toContain(
      '"tokenName":"MCP_HTTP_TOKEN"',
    );
    expect(await c.kill("SIGTERM")).toBe(0);
    expect(c.stderr()).not.toContain(TOKEN);
  });

  describe("serving with profiles, a tokens file and an audit log", () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await startSandbox();
    });
    afterAll(async () => {
      await sandbox?.close();
    });

    it("a read-only token sees no write tool; writes are audited to the file, without secrets", async () => {
      const readOnly = `${TOKEN}-ro`;
      const tokensPath = join(dir, "tokens.json");
      const auditPath = join(dir, "audit.jsonl");
      const sha = (t: string) => createHash("sha256").update(t).digest("hex");
      writeFileSync(
        tokensPath,
        JSON.stringify({
          tokens: [
            { name: "support-bot", sha256: sha(readOnly), read_only: true },
            { name: "team-a", sha256: sha(TOKEN), profile: "team-a", toolsets: ["acme"] },
          ],
        }),
      );
      const keys = sandbox.keys;
      const env = {
        DIGICERT_BASE_URL: sandbox.url,
        DIGICERT_PARTNER_API_KEY: keys.parent,
        DIGICERT_PROFILES: JSON.stringify({ "team-a": { subaccount_keys_env: "TEAM_A_KEYS" } }),
        TEAM_A_KEYS: JSON.stringify({ 1001: keys.subaccounts[1001] }),
        MCP_HTTP_TOKENS_FILE: tokensPath,
        MCP_AUDIT_LOG: auditPath,
      };
      const c = cli(["--http", "--port", "0"], env);
      const line = await c.waitForStderr((l) => l.includes("serving MCP over Streamable HTTP"));
      const url = (JSON.parse(line) as { url: string }).url;
      const connect = async (token: string) => {
        const client = new Client({ name: "e2e", version: "0" });
        await client.connect(
          new StreamableHTTPClientTransport(new URL(url), {
            requestInit: { headers: { authorization: `Bearer ${token}` } },
          }),
        );
        return client;
      };
      const support = await connect(readOnly);
      const names = (await support.listTools()).tools.map((t) => t.name);
      expect(names).toContain("get_acme_contract");
      expect(names).not.toContain("cancel_acme_contract");
      expect(names).not.toContain("add_sans");
      await support.close();

      const team = await connect(TOKEN);
      const ok = await team.callTool({
        name: "add_sans",
        arguments: { acme_contract_id: DEMO.contracts.dv, account_id: 1001, sans: ["e2e-audit.example.com"] },
      });
      expect(ok.isError).toBeFalsy();
      const denied = await team.callTool({
        name: "add_sans",
        arguments: {
          acme_contract_id: DEMO.contracts.withCertificates,
          account_id: 1004,
          sans: ["x.example.com"],
        },
      });
      expect(denied.isError).toBe(true);
      await team.close();
      const wrong = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}-wrong`, "content-type": "application/json" },
        body: "{}",
      });
      expect(wrong.status).toBe(401);
      expect(await c.kill("SIGTERM")).toBe(0);

      const audit = readFileSync(auditPath, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(
        audit.filter((a) => a.event === undefined).map((a) => [a.token, a.profile, a.tool, a.outcome]),
      ).toEqual([
        ["team-a", "team-a", "add_sans", "ok"],
        ["team-a", "team-a", "add_sans", "error:config"],
      ]);
      expect(audit.filter((a) => a.event === "refused")).toMatchObject([
        { reason: "unauthorized", token: null, remote: "127.0.0.1", status: 401, suppressed: 0 },
      ]);
      const everything = readFileSync(auditPath, "utf8") + c.stderr();
      for (const s of [TOKEN, readOnly, keys.parent, ...Object.values(keys.subaccounts), keys.devkey]) {
        expect(everything).not.toContain(s);
      }
    });
  });
});
