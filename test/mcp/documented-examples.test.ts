import { existsSync, readdirSync, readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DigiCertClient } from "../../src/client/client.js";
import { createLogger } from "../../src/logging.js";
import { createMcpServer, REPEAT_WINDOW_MS, RepeatGuard } from "../../src/mcp/index.js";
import { getOperation, type Operation, pathParams } from "../../src/operations/index.js";
import { recordingUpstream } from "../reliability/helpers/recording-upstream.js";

// DigiCert's own documented answers (seeds S0, S1, S4 and the bodies in shared/spec/examples) go end to end:
// served by a loopback stand-in, read by the client and returned by the MCP tool, each with no warning and its
// data as DigiCert documents it. And DigiCert's documented request bodies pass the tools' validation and are
// sent as given.

interface Example {
  source: string;
  operation: string;
  status?: number;
  body: unknown;
}
const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url);
const examples: Example[] = JSON.parse(readFileSync(fixture("documented-examples.json"), "utf8"));
const requests: Record<string, Record<string, unknown>> = JSON.parse(
  readFileSync(fixture("documented-requests.json"), "utf8"),
);

/** The ids and key selectors an operation needs besides its body. */
function idsFor(op: Operation): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const p of pathParams(op.path)) input[p] = p === "account_id" ? 67891 : 12345;
  return input;
}

let upstream: Awaited<ReturnType<typeof recordingUpstream>>;
let answer: { status: number; body: unknown } = { status: 204, body: undefined };
let client: DigiCertClient;
let mcp: Client;
const logs: string[] = [];
let clock = 0;

beforeAll(async () => {
  upstream = await recordingUpstream((_req, res) => {
    if (answer.body === undefined) {
      res.writeHead(answer.status);
      res.end();
      return;
    }
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(JSON.stringify(answer.body));
  });
  const logger = createLogger({ level: "debug", destination: { write: (s: string) => logs.push(s) } });
  client = new DigiCertClient({
    baseUrl: upstream.url,
    credentials: { parentKey: "parent-key-1", subaccountKey: "sub-key-1", devkey: "dev-key-1" },
    retry: { retries: 0 },
    logger,
  });
  const server = createMcpServer({
    client,
    logger,
    version: "0.0.0-test",
    // documented requests of destructive tools are sent directly here; the gate has its own tests
    confirmation: { mode: "disabled", secret: "x".repeat(32) },
    // each case sends a documented request once; the same create in two cases is not an agent repeating it
    repeatGuard: new RepeatGuard(() => {
      clock += REPEAT_WINDOW_MS;
      return clock;
    }),
  });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(b);
  mcp = new Client({ name: "examples", version: "0.0.0" });
  await mcp.connect(a);
  await mcp.listTools();
});
afterAll(async () => {
  await mcp?.close();
  await client?.close();
  await upstream?.close();
});

describe("DigiCert's documented answers, end to end through the client and the tools", () => {
  it("holds every seed and every shared example", () => {
    const sources = examples.map((e) => e.source.split(" ")[0]);
    for (const seed of ["S0", "S1", "S4"]) expect(sources).toContain(seed);
    expect(examples.filter((e) => e.source.startsWith("S1"))).toHaveLength(3);
    // the fixtures are copies of shared/spec/examples: checked against them where shared/ is beside the repo
    const shared = new URL("../../../shared/spec/examples/", import.meta.url);
    if (!existsSync(shared)) return;
    for (const file of readdirSync(shared).filter((f) => f.endsWith(".response.200.json"))) {
      const body = JSON.parse(readFileSync(new URL(file, shared), "utf8"));
      expect(
        examples.some((e) => JSON.stringify(e.body) === JSON.stringify(body)),
        file,
      ).toBe(true);
    }
    expect(requests).toEqual(JSON.parse(readFileSync(new URL("requests.json", shared), "utf8")));
  });

  it.each(examples.map((e) => [e.source, e] as const))("%s", async (_, example) => {
    const op = getOperation(example.operation);
    answer = { status: example.status ?? 200, body: example.body };
    // a write is called with DigiCert's documented request for it
    const documented = Object.entries(requests).find(([label]) => label.startsWith(`${op.name} `))?.[1];
    const input = { ...idsFor(op), ...(op.body ? documented : {}) };
    const direct = await client.call(op, input);
    expect(direct.drift, JSON.stringify(direct.drift)).toBeUndefined();

    const result = (await mcp.callTool({ name: op.name, arguments: input })) as CallToolResult;
    const s = result.structuredContent as Record<string, unknown>;
    expect(result.isError, JSON.stringify(s)).toBeFalsy();
    expect(s.warning).toBeUndefined();
    expect(s.data).toEqual(example.body);
    if (op.shownOnce) expect(s.note).toMatch(/^Shown once: .* \(in api_key\)/);
  });
});

describe("DigiCert's documented requests pass the tools and are sent as given", () => {
  /** "create_api_key (POST /api-key/account/67891)" -> the tool; "…, zero-downtime rotation" variants too */
  const toolOf = (label: string) => {
    const name = label.split(/[ ,]/)[0] as string;
    return name === "replace_acme_contract" ? ["replace_acme_contract", "update_acme_contract"] : [name];
  };
  const cases = Object.entries(requests).flatMap(([label, body]) =>
    toolOf(label).map((tool) => [`${tool}: ${label}`, tool, body] as const),
  );

  it.each(cases)("%s", async (_, tool, body) => {
    const op = getOperation(tool);
    answer = { status: op.response ? 200 : 204, body: op.response ? {} : undefined };
    const before = upstream.seen.length;
    const result = (await mcp.callTool({
      name: tool,
      arguments: { ...idsFor(op), ...body },
    })) as CallToolResult;
    expect(result.isError, JSON.stringify(result.structuredContent)).toBeFalsy();
    const sent = upstream.seen.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.method).toBe(op.method);
    expect(JSON.parse(sent[0]?.body || "{}")).toEqual(body);
  });
});
