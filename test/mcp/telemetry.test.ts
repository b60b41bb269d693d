import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { metrics, trace } from "@opentelemetry/api";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../sandbox/index.js";
import { DigiCertClient } from "../../src/client/client.js";
import { createMcpServer } from "../../src/mcp/server.js";
import { observeMcpServer } from "../../src/mcp/telemetry.js";

// A real OpenTelemetry SDK (in-memory exporters) registered the way an operator would: what the server emits
// through @opentelemetry/api, per the MCP semantic conventions.

const spans = new InMemorySpanExporter();
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 60_000 });
let sandbox: Sandbox;
let mcp: Client;

beforeAll(async () => {
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
  );
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  sandbox = await startSandbox();
  const client = new DigiCertClient({
    baseUrl: sandbox.url,
    credentials: { parentKey: sandbox.keys.parent, subaccountKeys: { ...sandbox.keys.subaccounts } },
    retry: { retries: 0 },
  });
  let observer: ReturnType<typeof observeMcpServer> | undefined;
  const server = createMcpServer({
    client,
    logger: pino({ level: "silent" }),
    version: "0.0.0",
    confirmation: { mode: "required", secret: "t".repeat(32) },
    onToolCall: (call) => observer?.onToolCall(call),
  });
  observer = observeMcpServer(server);
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(b);
  mcp = new Client({ name: "otel-test", version: "0" });
  await mcp.connect(a);
});

afterAll(async () => {
  await mcp?.close();
  await sandbox?.close();
  trace.disable();
  metrics.disable();
});

describe("OpenTelemetry", () => {
  it("traces each request with the MCP attributes, DigiCert's operation and status, and isError as an error", async () => {
    await mcp.listTools();
    const ok = await mcp.callTool({
      name: "get_acme_contract",
      arguments: { acme_contract_id: 10001, account_id: 1001 },
    });
    expect(ok.isError).toBeFalsy();
    const failed = await mcp.callTool({
      name: "get_acme_contract",
      arguments: { acme_contract_id: 99999, account_id: 1001 },
    });
    expect(failed.isError).toBe(true);
    await new Promise((r) => setTimeout(r, 20));

    const finished = spans.getFinishedSpans();
    const list = finished.find((s) => s.name === "tools/list");
    expect(list?.attributes["mcp.method.name"]).toBe("tools/list");
    const calls = finished.filter((s) => s.name === "tools/call get_acme_contract");
    expect(calls).toHaveLength(2);
    const [good, bad] = calls as [(typeof calls)[0], (typeof calls)[0]];
    expect(good.attributes).toMatchObject({
      "mcp.method.name": "tools/call",
      "gen_ai.tool.name": "get_acme_contract",
      "gen_ai.operation.name": "execute_tool",
      "digicert.operation": "get_acme_contract",
      "http.response.status_code": 200,
    });
    expect(good.attributes["error.type"]).toBeUndefined();
    expect(good.status.code).not.toBe(2);
    expect(bad.attributes).toMatchObject({ "error.type": "tool_error", "http.response.status_code": 404 });
    expect(bad.status.code).toBe(2); // SpanStatusCode.ERROR
    // nothing of the arguments or results
    expect(JSON.stringify(finished.map((s) => s.attributes))).not.toContain("10001");
  });

  it("measures durations and counts failed tool results on their own", async () => {
    await reader.forceFlush();
    const exported = metricExporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
    const byName = (name: string) => exported.filter((m) => m.descriptor.name === name).at(-1);
    const duration = byName("mcp.server.operation.duration");
    expect(duration?.descriptor.unit).toBe("s");
    const toolPoints = duration?.dataPoints.filter(
      (p) => p.attributes["gen_ai.tool.name"] === "get_acme_contract",
    );
    expect(toolPoints?.length).toBe(2); // one series ok, one with error.type tool_error
    const errors = byName("mcp.server.tool.errors");
    expect(errors?.dataPoints.map((p) => [p.attributes["gen_ai.tool.name"], p.value])).toEqual([
      ["get_acme_contract", 1],
    ]);
    const digicert = byName("digicert.client.operation.duration");
    const statuses = digicert?.dataPoints.map((p) => p.attributes["http.response.status_code"]).sort();
    expect(statuses).toEqual([200, 404]);
  });
});
