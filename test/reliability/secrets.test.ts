import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, DEMO_KEYS, type Sandbox, startSandbox } from "../../sandbox/index.js";
import { DigiCertClient } from "../../src/client/client.js";
import type { Credentials } from "../../src/client/credentials.js";
import { DigiCertError } from "../../src/client/errors.js";
import { createLogger } from "../../src/logging.js";
import { createMcpServer, type ExtensionContext } from "../../src/mcp/index.js";
import { registerReporting } from "../../src/mcp/reporting/index.js";
import { SnapshotStore } from "../../src/reporting/index.js";
import { startHttpServer } from "../../src/transports/http.js";
import { configuredSecrets, type McpHarness, startMcp } from "./helpers/mcp-harness.js";
import { recordingUpstream } from "./helpers/recording-upstream.js";

// With keys configured, drive a broad set of calls (successes, every error kind, validation errors that echo
// input, keys pasted into arguments), log at trace level into memory, and search everything captured for the
// configured secrets. Secrets DigiCert returns once (new API keys, EAB HMAC keys) must reach exactly the tool
// result that created them and never a log line.

const HTTP_TOKEN = `mcp-token-${randomBytes(24).toString("base64url")}`;

const CREDENTIALS: Credentials = {
  parentKey: DEMO_KEYS.parent,
  subaccountKey: DEMO_KEYS.subFull,
  subaccountKeys: {
    [DEMO.subFull]: DEMO_KEYS.subFull,
    [DEMO.subCerts]: DEMO_KEYS.subCerts,
    // a configured key DigiCert refuses (inactive): every call with it is a 401
    [DEMO.subEmpty]: DEMO_KEYS.inactive,
    // another tenant's key: 403/404 on this tenant's ids
    [DEMO.otherSub]: DEMO_KEYS.otherSub,
  },
  devkey: DEMO_KEYS.devkey,
};
const SECRETS = [...configuredSecrets(CREDENTIALS), HTTP_TOKEN];

/** Every place a secret could surface: logs, tool results, thrown errors, resources, prompts. */
interface Capture {
  logs: string[];
  results: { label: string; text: string }[];
}

function record(capture: Capture, label: string, value: unknown): void {
  capture.results.push({ label, text: typeof value === "string" ? value : JSON.stringify(value) });
}

/** Labels of captured items that contain `secret`, or a long fragment of it (an echo cut short). */
function leaksOf(capture: Capture, secret: string): string[] {
  const fragments = [secret];
  if (secret.length >= 24)
    for (let i = 0; i + 16 <= secret.length; i += 4) fragments.push(secret.slice(i, i + 16));
  const hit = (text: string) => fragments.some((f) => text.includes(f) || text.includes(f.toLowerCase()));
  return [
    ...capture.logs.filter(hit).map((l) => `log: ${l.slice(0, 160)}`),
    ...capture.results.filter((r) => hit(r.text)).map((r) => `${r.label}: ${r.text.slice(0, 160)}`),
  ];
}

async function callAll(h: McpHarness, capture: Capture, calls: [string, Record<string, unknown>][]) {
  const out: CallToolResult[] = [];
  for (const [name, args] of calls) {
    try {
      const result = await h.call(name, args);
      record(capture, `${name} result`, result);
      out.push(result);
    } catch (err) {
      record(capture, `${name} thrown`, String(err));
    }
  }
  return out;
}

describe.each([
  { logger: "scrubbing configured secrets (as the CLI sets it up)", loggerSecrets: undefined },
  {
    logger: "without any secret list (nothing to scrub: keys must never be logged at all)",
    loggerSecrets: [],
  },
])("secrets never leak: logger $logger", ({ loggerSecrets }) => {
  let sandbox: Sandbox;
  let h: McpHarness;
  let hConfirm: McpHarness;
  let dataDir: string;
  const capture: Capture = { logs: [], results: [] };
  const oneTime: { label: string; value: string }[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: "demo" });
    dataDir = await mkdtemp(join(tmpdir(), "dcp-secrets-"));
    const extend = (server: McpServer, ctx: ExtensionContext) => {
      const store = new SnapshotStore({
        dataDir,
        origin: sandbox.url,
        accountKey: DEMO_KEYS.parent,
        logger: ctx.logger,
      });
      registerReporting(server, {
        client: ctx.client,
        logger: ctx.logger,
        store,
        hasDevkey: true,
        pollWhileSubscribed: false,
      });
    };
    h = await startMcp({ baseUrl: sandbox.url, credentials: CREDENTIALS, loggerSecrets, server: { extend } });
    hConfirm = await startMcp({
      baseUrl: sandbox.url,
      credentials: CREDENTIALS,
      loggerSecrets,
      confirmation: "required",
    });
  });
  afterAll(async () => {
    await h.close();
    await hConfirm.close();
    await sandbox.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("drives successes, every error kind, echoing validation errors and one-time secrets; finds no configured secret anywhere", async () => {
    const DV = DEMO.contracts.dv;
    // successes across every key scope
    await callAll(h, capture, [
      ["list_api_keys", {}],
      ["get_api_key", { api_key_id: DEMO.apiKeys.subFull }],
      ["get_acme_contract", { acme_contract_id: DV }],
      [
        "list_acme_credentials",
        { acme_contract_id: DEMO.contracts.withCertificates, account_id: DEMO.subCerts },
      ],
      [
        "list_acme_certificates",
        { acme_contract_id: DEMO.contracts.withCertificates, account_id: DEMO.subCerts },
      ],
      ["get_account_reporting", {}],
      ["get_account_settings", {}],
      ["get_emergency_emails", { account_id: DEMO.subFull }],
      ["get_subaccount_cost_report", { subaccount_id: DEMO.subFull }],
      ["link_billing_account", {}],
      ["take_reporting_snapshot", {}],
      ["reporting_summary", {}],
      ["find_contracts_for_domain", { domain: "example.com" }],
      ["list_expiring_contracts", { days: 400 }],
    ]);
    // one-time secrets
    const created = await callAll(h, capture, [
      ["create_api_key", { account_id: DEMO.subFull, name: "ci" }],
      [
        "create_subaccount",
        { name: "Customer", api_key_name: "first", emergency_contact_emails: ["ops@example.com"] },
      ],
      ["create_acme_contract", { product_name_id: "ssl_dv_rapidssl", sans: ["secret-test.example.net"] }],
      ["regenerate_acme_credentials", { acme_contract_id: DV, revoke_existing: false }],
    ]);
    const data = created.map((r) => (r.structuredContent as { data?: Record<string, unknown> }).data ?? {});
    oneTime.push(
      { label: "create_api_key", value: String(data[0]?.api_key) },
      { label: "create_subaccount", value: String((data[1]?.api_key as { api_key?: string })?.api_key) },
      { label: "create_acme_contract", value: String((data[2]?.eab_set as { hmac_key?: string })?.hmac_key) },
      {
        label: "regenerate_acme_credentials",
        value: String((data[3]?.eab_set as { hmac_key?: string })?.hmac_key),
      },
    );
    for (const s of oneTime) expect(s.value, s.label).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    // reads after creation must not repeat them
    await callAll(h, capture, [
      ["list_api_keys", {}],
      ["list_acme_credentials", { acme_contract_id: DV }],
      ["get_account_reporting", {}],
    ]);
    // every error kind
    sandbox.faults.add({ kind: "status", status: 503, operation: "get_account_settings", times: 1 });
    sandbox.faults.add({
      kind: "status",
      status: 429,
      retry_after_seconds: 30,
      operation: "list_api_keys",
      times: 1,
    });
    sandbox.faults.add({ kind: "reset", operation: "get_emergency_emails", times: 1 });
    sandbox.faults.add({ kind: "reset_after_commit", operation: "add_sans", times: 1 });
    await callAll(h, capture, [
      ["get_account_settings", {}], // http 503
      ["list_api_keys", {}], // http 429
      ["get_emergency_emails", {}], // network
      ["add_sans", { acme_contract_id: DV, sans: ["n.example.com"] }], // network, outcome unknown
      ["get_acme_contract", { acme_contract_id: 999_999 }], // 404
      ["list_api_keys", { account_id: DEMO.subEmpty }], // 401 inactive key
      ["get_acme_contract", { acme_contract_id: DV, account_id: DEMO.otherSub }], // other tenant
      ["cancel_acme_contract", { acme_contract_id: DEMO.contracts.canceled, account_id: DEMO.subFull }], // 400/404
      ["get_acme_contract", { acme_contract_id: DV, account_id: DEMO.subCanceled }], // config: not configured
    ]);
    // validation errors that echo input (no secret in them)
    await callAll(h, capture, [
      ["add_sans", { acme_contract_id: DV, sans: ["ok.example.com", "bad host.example.com"] }],
      ["create_api_key", { account_id: DEMO.subFull, name: "line\u0000break" }],
      ["get_acme_contract", { acme_contract_id: "../account/reporting" }],
      ["update_acme_contract", { acme_contract_id: DV }], // the catalog's cross-field check (client side)
    ]);
    // confirmation previews and refused tokens
    await callAll(hConfirm, capture, [
      ["cancel_acme_contract", { acme_contract_id: DV }],
      ["set_api_key_status", { api_key_id: DEMO.apiKeys.subFull, status: "inactive" }],
      ["link_billing_account", {}],
      ["revoke_all_acme_credentials", { acme_contract_id: DV, confirmation_token: DEMO_KEYS.parent }],
    ]);
    // cancellation
    sandbox.faults.add({ kind: "latency", delay_ms: 800, operation: "get_acme_contract", times: 1 });
    const controller = new AbortController();
    const cancelled = h.call("get_acme_contract", { acme_contract_id: DV }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await cancelled.catch((err: unknown) => record(capture, "cancelled", String(err)));
    // resources and prompts
    const { resources } = await h.mcp.listResources();
    for (const r of resources) record(capture, `resource ${r.uri}`, await h.mcp.readResource({ uri: r.uri }));
    for (const uri of [
      "digicert://reporting/latest",
      `digicert://subaccounts/${DEMO.subFull}/cost-report`,
      "digicert://reporting/snapshots/20200101T000000Z-00000000",
    ]) {
      try {
        record(capture, `resource ${uri}`, await h.mcp.readResource({ uri }));
      } catch (err) {
        record(capture, `resource ${uri} thrown`, String(err));
      }
    }
    const { prompts } = await h.mcp.listPrompts();
    for (const p of prompts) {
      const args: Record<string, string> =
        p.name === "subaccount_audit"
          ? { account_id: String(DEMO.subFull) }
          : p.name === "domain_coverage"
            ? { domain: DEMO_KEYS.parent }
            : {};
      try {
        record(capture, `prompt ${p.name}`, await h.mcp.getPrompt({ name: p.name, arguments: args }));
      } catch (err) {
        record(capture, `prompt ${p.name} thrown`, String(err));
      }
    }
    await new Promise((r) => setTimeout(r, 800)); // let the cancelled request drain
    capture.logs.push(...h.logs, ...hConfirm.logs);

    // the run produced what it should have
    expect(capture.logs.some((l) => l.includes('"level":10') || l.includes('"level":20'))).toBe(true);
    const kinds = new Set(
      capture.results
        .map((r) => /"kind":"(\w+)"/.exec(r.text)?.[1])
        .filter((k): k is string => k !== undefined),
    );
    // argument errors come from the SDK's schema check ("Input validation error") or the client's own rules
    if (capture.results.some((r) => r.text.includes("Input validation error"))) kinds.add("validation");
    for (const kind of ["validation", "config", "http", "network"]) expect(kinds).toContain(kind);

    const leaks = SECRETS.flatMap((s) =>
      leaksOf(capture, s).map((where) => `${s.slice(0, 12)}… in ${where}`),
    );
    expect(leaks).toEqual([]);
  });

  it("a configured key pasted into arguments is never echoed back (results, errors, resources, prompts, logs)", async () => {
    const DV = DEMO.contracts.dv;
    const pasted: Capture = { logs: [], results: [] };
    const before = h.logs.length;
    for (const key of SECRETS.slice(0, 3)) {
      await callAll(h, pasted, [
        ["add_sans", { acme_contract_id: DV, sans: [key] }],
        ["add_sans", { acme_contract_id: DV, sans: [`${key}.example.com/x`] }],
        ["add_sans", { acme_contract_id: DV, sans: [`-${key}-.example.com`] }],
        ["create_api_key", { account_id: DEMO.subFull, name: `${key}\u0000` }],
        ["get_acme_contract", { acme_contract_id: key }],
        ["get_acme_contract", { acme_contract_id: DV, [key]: 1 }],
        ["add_emergency_emails", { emergency_contact_emails: [`${key}@`] }],
        ["update_account_setting", { name: key, value: key }],
        ["revoke_all_acme_credentials", { acme_contract_id: DV, confirmation_token: key }],
        ["find_contracts_for_domain", { domain: key }],
        ["reporting_summary", { snapshot_id: key }],
      ]);
      for (const uri of [
        `digicert://reporting/snapshots/${key}`,
        `digicert://reporting/snapshots/${key}/summary`,
      ]) {
        try {
          record(pasted, `resource ${uri}`, await h.mcp.readResource({ uri }));
        } catch (err) {
          record(pasted, `resource ${uri} thrown`, String(err));
        }
      }
      try {
        record(
          pasted,
          "prompt",
          await h.mcp.getPrompt({ name: "domain_coverage", arguments: { domain: key } }),
        );
      } catch (err) {
        record(pasted, "prompt thrown", String(err));
      }
    }
    pasted.logs.push(...h.logs.slice(before));
    const leaks = SECRETS.flatMap((s) => leaksOf(pasted, s).map((where) => `${s.slice(0, 12)}… in ${where}`));
    expect(leaks).toEqual([]);
  });

  it("one-time secrets appear in the one result that created them and in no log line", () => {
    expect(oneTime).toHaveLength(4);
    for (const { label, value } of oneTime) {
      const holders = capture.results.filter((r) => r.text.includes(value)).map((r) => r.label);
      expect(holders, label).toEqual([`${label} result`]);
      expect(
        capture.logs.filter((l) => l.includes(value)),
        label,
      ).toEqual([]);
    }
  });
});

describe("secrets never leak: long keys echoed only in part", () => {
  // Real keys are long; an echo cut at 80 characters, or lower-cased by DNS normalisation, is still a leak.
  const LONG = `LK${"Q7xY2mN9pR4tV8wZ3kL6hJ1".repeat(4)}`; // 94 characters, no dots
  const LONG_SUB = `SK${"a9B8c7D6e5F4g3H2i1J0".repeat(5)}`; // 102 characters

  it("the client's validation errors carry no 12-character run of a configured key", async () => {
    const upstream = await recordingUpstream();
    const client = new DigiCertClient({
      baseUrl: upstream.url,
      credentials: { parentKey: LONG, subaccountKey: LONG_SUB },
      retry: { retries: 0 },
    });
    const messages: string[] = [];
    try {
      for (const key of [LONG, LONG_SUB]) {
        for (const san of [
          key,
          `${key}.example.com`,
          `${key.toLowerCase()}.com`,
          `x ${key}`,
          `${key}/x.com`,
        ]) {
          try {
            await client.call("add_sans", { acme_contract_id: 1, sans: ["ok.example.com", san] });
            messages.push("accepted");
          } catch (err) {
            expect(err).toBeInstanceOf(DigiCertError);
            const e = err as DigiCertError;
            messages.push(e.message, JSON.stringify(e), ...e.issues.map((i) => i.message));
          }
        }
      }
      expect(upstream.seen).toHaveLength(0);
      const capture: Capture = {
        logs: [],
        results: messages.map((text, i) => ({ label: `error ${i}`, text })),
      };
      expect([...leaksOf(capture, LONG), ...leaksOf(capture, LONG_SUB)]).toEqual([]);
    } finally {
      await client.close();
      await upstream.close();
    }
  });
});

describe("secrets never leak: an upstream that echoes the request's keys back", () => {
  it("scrubs the keys from error messages, tool results and logs", async () => {
    const upstream = await recordingUpstream((req, res) => {
      const echo = `key ${String(req.headers["x-partner-apikey"])} devkey ${String(req.headers["x-dc-devkey"])}`;
      if (req.url.includes("/acme/1")) {
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ errors: [{ code: "invalid_key", message: `bad request for ${echo}` }] }));
      } else if (req.url.includes("/acme/2")) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ unexpected: echo }));
      } else if (req.url.includes("/acme/3")) {
        res.writeHead(502, { "content-type": "text/html" });
        res.end(`<html>gateway saw ${echo}</html>`);
      } else {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ api_keys: [{ id: 1, name: echo, account_id: 1, status: "active" }] }));
      }
    });
    const h = await startMcp({ baseUrl: upstream.url, credentials: CREDENTIALS });
    const capture: Capture = { logs: [], results: [] };
    try {
      await callAll(h, capture, [
        ["get_acme_contract", { acme_contract_id: 1 }],
        ["get_acme_contract", { acme_contract_id: 2 }],
        ["get_acme_contract", { acme_contract_id: 3 }],
        ["list_api_keys", {}],
        ["link_billing_account", {}],
      ]);
      for (const direct of [1, 2, 3]) {
        try {
          await h.digicert.call("get_acme_contract", { acme_contract_id: direct });
        } catch (err) {
          record(capture, `client error ${direct}`, `${String(err)} ${JSON.stringify(err)}`);
        }
      }
      capture.logs.push(...h.logs);
      expect(upstream.seen.length).toBeGreaterThanOrEqual(8);
      expect(capture.results.some((r) => r.text.includes("[REDACTED]"))).toBe(true);
      const leaks = SECRETS.flatMap((s) =>
        leaksOf(capture, s).map((where) => `${s.slice(0, 12)}… in ${where}`),
      );
      expect(leaks).toEqual([]);
    } finally {
      await h.close();
      await upstream.close();
    }
  });
});

describe("secrets never leak: over Streamable HTTP with a bearer token", () => {
  it("serves with the token, refuses wrong ones, and never logs the token or keys", async () => {
    const sandbox = await startSandbox({ seed: "demo" });
    const logs: string[] = [];
    const logger = createLogger({
      level: "trace",
      secrets: SECRETS,
      destination: new Writable({
        write(chunk, _e, cb) {
          logs.push(String(chunk));
          cb();
        },
      }),
    });
    const h = await startMcp({ baseUrl: sandbox.url, credentials: CREDENTIALS });
    const http = await startHttpServer(
      {
        host: "127.0.0.1",
        port: 0,
        tokens: [HTTP_TOKEN],
        stateless: false,
        allowedOrigins: undefined,
        allowedHosts: undefined,
        maxBodyBytes: 1_048_576,
        sessionIdleMs: 60_000,
        maxSessions: 10,
      },
      {
        createServer: () =>
          createMcpServer({
            client: h.digicert,
            logger,
            version: "0.0.0",
            confirmation: { mode: "required", secret: randomBytes(32).toString("base64url") },
          }),
        logger,
        version: "0.0.0",
      },
    );
    const capture: Capture = { logs: [], results: [] };
    const mcp = new Client({ name: "secrets-http", version: "0.0.0" });
    try {
      await mcp.connect(
        new StreamableHTTPClientTransport(new URL(`${http.url}/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${HTTP_TOKEN}` } },
        }),
      );
      for (const [name, args] of [
        ["list_api_keys", {}],
        ["get_acme_contract", { acme_contract_id: DEMO.contracts.dv }],
        ["get_acme_contract", { acme_contract_id: 999_999 }],
      ] as const) {
        record(capture, `http ${name}`, await mcp.callTool({ name, arguments: args }));
      }
      const init = {
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } },
      };
      for (const authorization of [
        `Bearer ${HTTP_TOKEN}x`,
        `Bearer x${HTTP_TOKEN}`,
        HTTP_TOKEN,
        `Basic ${HTTP_TOKEN}`,
        "",
      ]) {
        const res = await fetch(`${http.url}/mcp?token=${HTTP_TOKEN}`, {
          method: "POST",
          headers: {
            authorization,
            "content-type": "application/json",
            accept: "application/json, text/event-stream",
          },
          body: JSON.stringify(init),
        });
        expect(res.status).toBe(401);
        record(
          capture,
          `refused ${authorization.slice(0, 6)}`,
          `${res.status} ${JSON.stringify([...res.headers])} ${await res.text()}`,
        );
      }
      capture.logs.push(...logs, ...h.logs);
      expect(logs.length).toBeGreaterThan(0);
      const leaks = SECRETS.flatMap((s) =>
        leaksOf(capture, s).map((where) => `${s.slice(0, 12)}… in ${where}`),
      );
      expect(leaks).toEqual([]);
      // The MCP HTTP token pasted into arguments: tool results are scrubbed of DigiCert keys only, so this
      // needs the transport's tokens among the secrets the results are scrubbed of.
      const pasted = await mcp.callTool({
        name: "add_sans",
        arguments: { acme_contract_id: DEMO.contracts.dv, sans: [HTTP_TOKEN] },
      });
      expect(pasted.isError).toBe(true);
      expect(JSON.stringify(pasted)).not.toContain(HTTP_TOKEN);
    } finally {
      await mcp.close();
      await http.close();
      await h.close();
      await sandbox.close();
    }
  });
});
