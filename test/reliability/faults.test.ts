import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO, DEMO_KEYS, type FaultSpec, type Sandbox, startSandbox } from "../../sandbox/index.js";
import { type ClientOptions, DigiCertClient } from "../../src/client/client.js";
import { failure } from "../helpers/failure.js";
import { startMcp, textOf } from "./helpers/mcp-harness.js";
import { tcpProxy } from "./helpers/tcp-proxy.js";

// Transient faults over real loopback HTTP against the sandbox: reads retried within budget, writes never
// repeated, clear errors after the budget, per-call timeouts and cancellation.

const CREDENTIALS = {
  parentKey: DEMO_KEYS.parent,
  subaccountKey: DEMO_KEYS.subFull,
  subaccountKeys: { [DEMO.subFull]: DEMO_KEYS.subFull, [DEMO.subCerts]: DEMO_KEYS.subCerts },
  devkey: DEMO_KEYS.devkey,
};
const RETRY = { retries: 3, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 };
const DV = DEMO.contracts.dv;

let sandbox: Sandbox;
const clients: DigiCertClient[] = [];

function makeClient(extra: Partial<ClientOptions> = {}): DigiCertClient {
  const client = new DigiCertClient({
    baseUrl: sandbox.url,
    credentials: CREDENTIALS,
    retry: RETRY,
    ...extra,
  });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  sandbox = await startSandbox({ seed: "demo" });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await sandbox.close();
});
beforeEach(() => sandbox.reset());
afterEach(() => sandbox.faults.clear());

const ms = (since: number) => performance.now() - since;
const delay = (t: number) => new Promise((r) => setTimeout(r, t));

const TRANSIENT: { label: string; spec: FaultSpec; outcome: string }[] = [
  {
    label: "429 with Retry-After: 0",
    spec: { kind: "status", status: 429, retry_after_seconds: 0 },
    outcome: "429",
  },
  { label: "502", spec: { kind: "status", status: 502 }, outcome: "502" },
  { label: "503", spec: { kind: "status", status: 503 }, outcome: "503" },
  { label: "504", spec: { kind: "status", status: 504 }, outcome: "504" },
  { label: "dropped connection", spec: { kind: "reset" }, outcome: "reset" },
];

describe("reads under transient faults", () => {
  it.each(TRANSIENT)("survive a burst of three $label (retry budget 3)", async ({ spec, outcome }) => {
    const client = makeClient();
    sandbox.faults.add({ ...spec, operation: "get_acme_contract", times: 3 });
    const res = await client.call("get_acme_contract", { acme_contract_id: DV });
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(4);
    expect((res.data as unknown as { acme_contract_id: number }).acme_contract_id).toBe(DV);
    expect(sandbox.stats.count("get_acme_contract")).toBe(4);
    expect(sandbox.stats.count("get_acme_contract", outcome)).toBe(3);
    expect(sandbox.stats.count("get_acme_contract", 200)).toBe(1);
  });

  it.each(TRANSIENT)("report a clear error once the budget is spent: $label", async ({ spec, outcome }) => {
    const client = makeClient();
    sandbox.faults.add({ ...spec, operation: "list_acme_credentials" });
    const err = await failure(client.call("list_acme_credentials", { acme_contract_id: DV }));
    expect(err.attempts).toBe(4);
    expect(err.outcomeUnknown).toBe(false);
    expect(err.operation).toBe("list_acme_credentials");
    expect(sandbox.stats.count("list_acme_credentials")).toBe(4);
    expect(sandbox.stats.count("list_acme_credentials", outcome)).toBe(4);
    if (spec.kind === "reset") {
      expect(err.kind).toBe("network");
      expect(err.message).toMatch(
        /^could not reach DigiCert for list_acme_credentials \((ECONNRESET|UND_ERR_SOCKET)\)/,
      );
    } else {
      expect(err.kind).toBe("http");
      expect(err.status).toBe(spec.status);
      expect(err.message).toContain(`DigiCert answered ${spec.status}`);
      expect(err.message).toContain(
        spec.status === 429
          ? "rate limited by DigiCert; retry after 0 s"
          : "DigiCert had a server error; try again later",
      );
    }
  });

  it("wait for Retry-After before retrying a 429", async () => {
    const client = makeClient();
    sandbox.faults.add({
      kind: "status",
      status: 429,
      retry_after_seconds: 1,
      operation: "get_account_settings",
      times: 1,
    });
    const started = performance.now();
    const res = await client.call("get_account_settings", {});
    expect(res.attempts).toBe(2);
    expect(ms(started)).toBeGreaterThanOrEqual(950);
    expect(sandbox.stats.count("get_account_settings", 429)).toBe(1);
  });

  it("do not wait for a Retry-After beyond the policy: fail at once saying when to retry", async () => {
    const client = makeClient();
    sandbox.faults.add({
      kind: "status",
      status: 429,
      retry_after_seconds: 30,
      operation: "get_account_settings",
    });
    const started = performance.now();
    const err = await failure(client.call("get_account_settings", {}));
    expect(ms(started)).toBeLessThan(1_000);
    expect(err.attempts).toBe(1);
    expect(err.status).toBe(429);
    expect(err.message).toContain("retry after 30 s");
    expect(sandbox.stats.count("get_account_settings")).toBe(1);
  });

  it("other calls on the same client go on while one waits to retry", async () => {
    const client = makeClient();
    sandbox.faults.add({
      kind: "status",
      status: 429,
      retry_after_seconds: 1,
      operation: "get_acme_contract",
      times: 1,
    });
    const started = performance.now();
    let slowDoneAt = 0;
    const slow = client.call("get_acme_contract", { acme_contract_id: DV }).then((r) => {
      slowDoneAt = ms(started);
      return r;
    });
    await delay(50);
    const others = await Promise.all([
      client.call("list_api_keys", {}),
      client.call("get_account_settings", {}),
      client.call("list_acme_credentials", { acme_contract_id: DV }),
      client.call("get_account_reporting", {}),
      client.call("get_emergency_emails", {}),
      client.call("get_acme_contract", { acme_contract_id: DEMO.contracts.ov }),
    ]);
    const othersDoneAt = ms(started);
    expect(others.map((r) => r.attempts)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(slowDoneAt).toBe(0); // still waiting
    expect(othersDoneAt).toBeLessThan(900);
    const res = await slow;
    expect(res.attempts).toBe(2);
    expect(slowDoneAt).toBeGreaterThanOrEqual(950);
  });
});

interface WriteCase {
  op: string;
  input: () => Record<string, unknown>;
  /** a count in the sandbox's state that one application of the write raises by exactly one */
  effect: (s: Sandbox) => number;
}

const NON_IDEMPOTENT: WriteCase[] = [
  {
    op: "create_acme_contract",
    input: () => ({ product_name_id: "ssl_dv_rapidssl", sans: ["fresh.example.net"] }),
    effect: (s) => s.store.contractsOf(DEMO.subFull).length,
  },
  {
    op: "create_api_key",
    input: () => ({ account_id: DEMO.subEmpty, name: "ci key" }),
    effect: (s) => [...s.store.apiKeys.values()].filter((k) => k.accountId === DEMO.subEmpty).length,
  },
  {
    op: "create_subaccount",
    input: () => ({
      name: "Customer X",
      api_key_name: "first",
      emergency_contact_emails: ["ops@example.com"],
    }),
    effect: (s) => s.store.accounts.size,
  },
  {
    op: "regenerate_acme_credentials",
    input: () => ({ acme_contract_id: DV, revoke_existing: false }),
    effect: (s) => s.store.contracts.get(DV)?.credentials.length ?? -1,
  },
];

const OUTCOME_UNKNOWN = "The change may or may not have been made: read the target again before retrying.";

describe("writes are never repeated", () => {
  it.each(NON_IDEMPOTENT)("$op: a 503 is not retried and is reported as an unknown outcome", async (w) => {
    const client = makeClient();
    const before = w.effect(sandbox);
    sandbox.faults.add({ kind: "status", status: 503, operation: w.op as FaultSpec["operation"], times: 1 });
    const err = await failure(client.call(w.op, w.input()));
    expect(err.kind).toBe("http");
    expect(err.status).toBe(503);
    expect(err.attempts).toBe(1);
    expect(err.outcomeUnknown).toBe(true);
    expect(err.message).toContain(OUTCOME_UNKNOWN);
    expect(sandbox.stats.count(w.op)).toBe(1);
    expect(w.effect(sandbox)).toBe(before); // the sandbox refused before applying
  });

  it.each(NON_IDEMPOTENT)(
    "$op: applied then dropped (reset_after_commit) is applied once and reported unknown",
    async (w) => {
      const client = makeClient();
      const before = w.effect(sandbox);
      sandbox.faults.add({ kind: "reset_after_commit", operation: w.op as FaultSpec["operation"], times: 1 });
      const err = await failure(client.call(w.op, w.input()));
      expect(err.kind).toBe("network");
      expect(err.attempts).toBe(1);
      expect(err.outcomeUnknown).toBe(true);
      expect(err.message).toContain(OUTCOME_UNKNOWN);
      expect(sandbox.stats.count(w.op)).toBe(1);
      expect(sandbox.stats.count(w.op, "reset_after_commit")).toBe(1);
      expect(w.effect(sandbox)).toBe(before + 1);
    },
  );

  it("cancel_acme_contract: dropped after commit is not retried (a repeat would answer 'already canceled')", async () => {
    const client = makeClient();
    const created = await client.call("create_acme_contract", {
      product_name_id: "ssl_dv_rapidssl",
      sans: ["to-cancel.example.net"],
    });
    const id = (created.data as unknown as { acme_contract_id: number }).acme_contract_id;
    sandbox.faults.add({ kind: "reset_after_commit", operation: "cancel_acme_contract", times: 1 });
    const err = await failure(client.call("cancel_acme_contract", { acme_contract_id: id }));
    expect(err.outcomeUnknown).toBe(true);
    expect(err.message).toContain(OUTCOME_UNKNOWN);
    expect(sandbox.stats.count("cancel_acme_contract")).toBe(1);
    expect(sandbox.store.contracts.get(id)?.canceledAt).not.toBeNull();
  });

  it("add_sans (idempotent): re-sent after a drop, the SAN is on the contract once and the call succeeds", async () => {
    const client = makeClient();
    const before = sandbox.store.contracts.get(DV)?.sans.length ?? 0;
    sandbox.faults.add({ kind: "reset_after_commit", operation: "add_sans", times: 1 });
    const res = await client.call("add_sans", { acme_contract_id: DV, sans: ["Extra.Example.com"] });
    expect(res.attempts).toBe(2);
    const sans = sandbox.store.contracts.get(DV)?.sans ?? [];
    expect(sans.filter((s) => s === "extra.example.com")).toHaveLength(1);
    expect(sans).toHaveLength(before + 1);
    expect(sandbox.stats.count("add_sans", "reset_after_commit")).toBe(1);
    expect(sandbox.stats.count("add_sans", 204) + sandbox.stats.count("add_sans", 200)).toBe(1);
  });

  it("add_sans under 503s: retried, applied by exactly one request", async () => {
    const client = makeClient();
    sandbox.faults.add({ kind: "status", status: 503, operation: "add_sans", times: 2 });
    const res = await client.call("add_sans", { acme_contract_id: DV, sans: ["more.example.com"] });
    expect(res.attempts).toBe(3);
    expect(sandbox.stats.count("add_sans", 503)).toBe(2);
    expect(sandbox.stats.count("add_sans") - sandbox.stats.count("add_sans", 503)).toBe(1);
  });

  it("revoke_acme_credential (idempotent): re-sent after a drop, revoked once, the call succeeds", async () => {
    const client = makeClient();
    const contract = DEMO.contracts.withCertificates;
    const cred = DEMO.credentials.active;
    sandbox.faults.add({ kind: "reset_after_commit", operation: "revoke_acme_credential", times: 1 });
    const res = await client.call("revoke_acme_credential", {
      acme_contract_id: contract,
      credential_id: cred,
      account_id: DEMO.subCerts,
    });
    expect(res.attempts).toBe(2);
    const creds = sandbox.store.contracts.get(contract)?.credentials ?? [];
    expect(creds.find((c) => c.id === cred)?.status).toBe("revoked");
    expect(creds.filter((c) => c.status === "active")).toHaveLength(0);
  });

  it("a failure after the budget on an idempotent write still says the outcome is unknown", async () => {
    const client = makeClient();
    sandbox.faults.add({ kind: "reset", operation: "revoke_all_acme_credentials" });
    const err = await failure(client.call("revoke_all_acme_credentials", { acme_contract_id: DV }));
    expect(err.attempts).toBe(4);
    expect(err.outcomeUnknown).toBe(true);
    expect(err.message).toContain(OUTCOME_UNKNOWN);
  });
});

describe("slow upstream", () => {
  it("the per-call deadline fires on a read that does not answer", async () => {
    const client = makeClient({ timeouts: { totalMs: 300 } });
    sandbox.faults.add({ kind: "latency", delay_ms: 1_500, operation: "get_acme_contract" });
    const started = performance.now();
    const err = await failure(client.call("get_acme_contract", { acme_contract_id: DV }));
    expect(ms(started)).toBeLessThan(900);
    expect(err.kind).toBe("timeout");
    expect(err.message).toBe("DigiCert did not answer get_acme_contract in time.");
    expect(err.outcomeUnknown).toBe(false);
    expect(err.attempts).toBe(1);
    // The whole-call deadline is final: no retry reaches the sandbox once the slow attempt has drained.
    await delay(1_600 - ms(started));
    expect(sandbox.stats.count("get_acme_contract")).toBe(1);
  });

  // undici checks header and body timeouts on a coarse (~0.5 s) timer, so a 150 ms limit fires within ~1 s.
  it("a slow answer within the retry budget: a header timeout on a read is retried", async () => {
    const client = makeClient({ timeouts: { headersMs: 150 } });
    sandbox.faults.add({ kind: "latency", delay_ms: 2_000, operation: "get_acme_contract", times: 1 });
    const started = performance.now();
    const res = await client.call("get_acme_contract", { acme_contract_id: DV });
    expect(res.attempts).toBe(2);
    expect(ms(started)).toBeLessThan(1_900);
    // Let the abandoned first attempt finish in the sandbox, so it is not counted in the next test's stats.
    await delay(2_100 - ms(started));
    expect(sandbox.stats.count("get_acme_contract", 200)).toBe(2);
  });

  it("a timed-out create is not repeated, says the outcome is unknown, and was applied exactly once", async () => {
    const client = makeClient({ timeouts: { headersMs: 150 } });
    const before = sandbox.store.contractsOf(DEMO.subFull).length;
    sandbox.faults.add({ kind: "latency", delay_ms: 1_500, operation: "create_acme_contract", times: 1 });
    const started = performance.now();
    const err = await failure(
      client.call("create_acme_contract", { product_name_id: "ssl_dv_rapidssl", sans: ["slow.example.net"] }),
    );
    expect(ms(started)).toBeLessThan(1_450);
    expect(err.kind).toBe("timeout");
    expect(err.attempts).toBe(1);
    expect(err.outcomeUnknown).toBe(true);
    expect(err.message).toBe(`DigiCert did not answer create_acme_contract in time. ${OUTCOME_UNKNOWN}`);
    expect(sandbox.store.contractsOf(DEMO.subFull).length).toBe(before); // not yet
    await delay(1_700 - ms(started));
    expect(sandbox.stats.count("create_acme_contract")).toBe(1);
    expect(sandbox.store.contractsOf(DEMO.subFull).length).toBe(before + 1);
  });

  it("cancelling a call aborts its HTTP request in flight, and the client keeps working", async () => {
    const proxy = await tcpProxy(sandbox.url);
    try {
      const client = makeClient({ baseUrl: proxy.url });
      sandbox.faults.add({ kind: "latency", delay_ms: 1_000, operation: "get_acme_contract", times: 1 });
      const controller = new AbortController();
      const started = performance.now();
      const call = client.call("get_acme_contract", { acme_contract_id: DV }, { signal: controller.signal });
      await delay(150);
      controller.abort();
      const err = await failure(call);
      const abortedAfter = ms(started);
      expect(err.kind).toBe("aborted");
      expect(err.message).toBe("get_acme_contract was cancelled.");
      expect(abortedAfter).toBeLessThan(600);
      await delay(50);
      const conn = proxy.connections.find((c) => c.requestHead.includes(`/acme/${DV} HTTP/1.1`));
      expect(conn?.requestAt).toBeDefined();
      expect(conn?.clientClosedAt).toBeDefined();
      expect(conn?.responseAt).toBeUndefined(); // the client hung up before any answer
      const after = await client.call("get_acme_contract", { acme_contract_id: DV });
      expect(after.status).toBe(200);
      await delay(1_000);
      // The sandbox did receive the cancelled request (it is counted once its latency has passed).
      expect(sandbox.stats.snapshot().operations.get_acme_contract).toEqual({
        total: 2,
        outcomes: { 200: 2 },
      });
    } finally {
      await proxy.close();
    }
  });
});

describe("through MCP tool calls", () => {
  it("a slow upstream: the per-call deadline becomes a timeout tool error, and the server keeps answering", async () => {
    const h = await startMcp({
      baseUrl: sandbox.url,
      credentials: CREDENTIALS,
      client: { timeouts: { totalMs: 300 } },
    });
    try {
      sandbox.faults.add({ kind: "latency", delay_ms: 1_200, operation: "get_acme_contract", times: 1 });
      const started = performance.now();
      const result = await h.call("get_acme_contract", { acme_contract_id: DV });
      expect(ms(started)).toBeLessThan(900);
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain("DigiCert did not answer get_acme_contract in time.");
      expect((result.structuredContent as { error?: { kind?: string } }).error?.kind).toBe("timeout");
      const again = await h.call("get_account_settings", {});
      expect(again.isError).toBeFalsy();
      await delay(1_300 - ms(started));
    } finally {
      await h.close();
    }
  });

  it("a cancelled tool call (notifications/cancelled) aborts the upstream request; the server keeps answering", async () => {
    const proxy = await tcpProxy(sandbox.url);
    const h = await startMcp({ baseUrl: proxy.url, credentials: CREDENTIALS });
    try {
      sandbox.faults.add({ kind: "latency", delay_ms: 1_000, operation: "get_acme_contract", times: 1 });
      const controller = new AbortController();
      const started = performance.now();
      const call = h.call("get_acme_contract", { acme_contract_id: DV }, { signal: controller.signal });
      await delay(200);
      controller.abort("user pressed stop");
      await expect(call).rejects.toThrow();
      await delay(100);
      const conn = proxy.connections.find((c) => c.requestHead.includes(`/acme/${DV} HTTP/1.1`));
      expect(conn?.requestAt).toBeDefined(); // the request had reached the sandbox's side
      expect(conn?.clientClosedAt).toBeDefined(); // and the server hung up on it...
      expect((conn?.clientClosedAt ?? 0) - started).toBeLessThan(700); // ...long before the answer was due
      expect(conn?.responseAt).toBeUndefined();
      // the server goes on serving: a tool call and a ping
      const after = await h.call("get_acme_contract", { acme_contract_id: DEMO.contracts.ov });
      expect(after.isError).toBeFalsy();
      await h.mcp.ping();
      // the log says the call ended as aborted
      expect(h.logs.some((l) => l.includes('"outcome":"error:aborted"'))).toBe(true);
      await delay(1_100 - ms(started));
      expect(sandbox.stats.count("get_acme_contract")).toBe(2);
    } finally {
      await h.close();
      await proxy.close();
    }
  });
});
