import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { JSONRPCMessage, Progress } from "@modelcontextprotocol/sdk/types.js";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO, type Sandbox, startSandbox } from "../../sandbox/index.js";
import { DigiCertClient } from "../../src/client/client.js";
import { createMcpServer } from "../../src/mcp/index.js";
import { registerReporting } from "../../src/mcp/reporting/index.js";
import { SnapshotStore } from "../../src/reporting/index.js";
import { TEST_SECRET } from "./harness.js";

/**
 * notifications/progress (issue 17): a call that can take more than about a second says what it waits for, but
 * only when the client sent a progress token. Every message the server sends is recorded, so "never without a
 * token" is checked on the wire, not through a client that might drop stray notifications.
 */
interface Setup {
  mcp: Client;
  sent: JSONRPCMessage[];
  close(): Promise<void>;
}

let sandbox: Sandbox;
let dataDir: string;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});
afterEach(async () => {
  sandbox.faults.clear();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function setup(): Promise<Setup> {
  const logger = pino({ level: "silent" });
  const digicert = new DigiCertClient({
    baseUrl: sandbox.url,
    credentials: {
      parentKey: sandbox.keys.parent,
      subaccountKey: sandbox.keys.subaccounts[1001],
      subaccountKeys: { ...sandbox.keys.subaccounts },
    },
    // retries on, with no real waiting: Retry-After 0 and a tiny backoff
    retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 },
  });
  dataDir = await mkdtemp(join(tmpdir(), "dc-progress-"));
  const store = new SnapshotStore({ dataDir, origin: sandbox.url, accountKey: sandbox.keys.parent, logger });
  const server = createMcpServer({
    client: digicert,
    logger,
    version: "0.0.0-test",
    confirmation: { mode: "required", secret: TEST_SECRET },
    progressIntervalMs: 25,
    extend: (s, ext) =>
      registerReporting(s, {
        client: ext.client,
        logger,
        store,
        hasDevkey: false,
        access: ext.access,
      }),
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const sent: JSONRPCMessage[] = [];
  const send = serverSide.send.bind(serverSide);
  serverSide.send = async (message, options) => {
    sent.push(message);
    return send(message, options);
  };
  await server.connect(serverSide);
  const mcp = new Client({ name: "progress-test", version: "0.0.0" });
  await mcp.connect(clientSide);
  return {
    mcp,
    sent,
    async close() {
      await mcp.close();
      await server.close();
      await digicert.close();
    },
  };
}

const progressSent = (sent: JSONRPCMessage[]) =>
  sent.filter((m) => "method" in m && m.method === "notifications/progress");

async function callWithProgress(s: Setup, name: string, args: Record<string, unknown> = {}) {
  const events: Progress[] = [];
  const result = await s.mcp.callTool({ name, arguments: args }, undefined, {
    onprogress: (p) => events.push(p),
  });
  return { result, events };
}

describe("notifications/progress", () => {
  it("says a call waits out DigiCert's Retry-After, then retries", async () => {
    const s = await setup();
    try {
      sandbox.faults.add({
        operation: "get_acme_contract",
        kind: "status",
        status: 429,
        retry_after_seconds: 0,
        times: 1,
      });
      const { result, events } = await callWithProgress(s, "get_acme_contract", {
        acme_contract_id: DEMO.contracts.dv,
      });
      expect(result.isError).toBeFalsy();
      expect(events.map((e) => e.message)).toContainEqual(
        expect.stringMatching(/^DigiCert answered 429 with Retry-After: waiting 0 ms before retrying$/),
      );
    } finally {
      await s.close();
    }
  });

  it("says every interval that DigiCert has not answered yet, with a growing progress value", async () => {
    const s = await setup();
    try {
      sandbox.faults.add({ operation: "list_api_keys", kind: "latency", delay_ms: 200, times: 1 });
      const { result, events } = await callWithProgress(s, "list_api_keys");
      expect(result.isError).toBeFalsy();
      expect(events.length).toBeGreaterThan(0);
      expect(events[0]?.message).toMatch(/^waiting for DigiCert \(list_api_keys\): /);
      for (let i = 1; i < events.length; i++) {
        expect(events[i]?.progress ?? 0).toBeGreaterThan(events[i - 1]?.progress ?? 0);
      }
    } finally {
      await s.close();
    }
  });

  it("reports a snapshot's phases in order: fetch, parse, store, compare", async () => {
    const s = await setup();
    try {
      const first = await callWithProgress(s, "take_reporting_snapshot");
      expect(first.result.isError).toBeFalsy();
      const phases = (events: Progress[]) =>
        events.filter((e) => Number.isInteger(e.progress)).map((e) => e.message?.split(":")[0]);
      expect(phases(first.events)).toEqual(["fetch", "parse", "store"]);
      expect(first.events.every((e) => e.total === 4)).toBe(true);
      // a change at DigiCert, so the second snapshot is new and is compared with the first
      const added = await s.mcp.callTool({
        name: "add_sans",
        arguments: { acme_contract_id: DEMO.contracts.dv, sans: ["progress-check.example.com"] },
      });
      expect(added.isError).toBeFalsy();
      const second = await callWithProgress(s, "take_reporting_snapshot");
      expect(phases(second.events)).toEqual(["fetch", "parse", "store", "compare"]);
      expect(second.events.at(-1)?.progress).toBe(4);
    } finally {
      await s.close();
    }
  });

  it("sends none when the client sent no progress token, even for a slow, retried call", async () => {
    const s = await setup();
    try {
      sandbox.faults.add({
        operation: "get_acme_contract",
        kind: "status",
        status: 429,
        retry_after_seconds: 0,
        times: 1,
      });
      sandbox.faults.add({ operation: "get_acme_contract", kind: "latency", delay_ms: 120, times: 1 });
      const result = await s.mcp.callTool({
        name: "get_acme_contract",
        arguments: { acme_contract_id: DEMO.contracts.dv },
      });
      expect(result.isError).toBeFalsy();
      const snapshot = await s.mcp.callTool({ name: "take_reporting_snapshot", arguments: {} });
      expect(snapshot.isError).toBeFalsy();
      expect(progressSent(s.sent)).toEqual([]);
      // the same calls with a token do send some: the check above can fail
      sandbox.faults.add({ operation: "get_acme_contract", kind: "latency", delay_ms: 120, times: 1 });
      await callWithProgress(s, "get_acme_contract", { acme_contract_id: DEMO.contracts.dv });
      expect(progressSent(s.sent).length).toBeGreaterThan(0);
    } finally {
      await s.close();
    }
  });
});
