import type { Attributes, Histogram } from "@opentelemetry/api";
import type { JSONRPCMessage, McpServer } from "../sdk/server.js";
import type { ToolCallRecord } from "./tool-call.js";

/**
 * OpenTelemetry traces and metrics through @opentelemetry/api only: a no-op until the operator registers an SDK
 * (e.g. `node --import ./otel-setup.mjs`). Loaded on the first message once one is registered, never at
 * start-up, so start-up does not pay for it. Names follow the semantic conventions for MCP: a SERVER span "{mcp.method.name}
 * {target}" per request with `mcp.method.name`, `gen_ai.tool.name`, `jsonrpc.request.id`, `mcp.session.id`,
 * `error.type` (`tool_error` for a result with isError); the histogram `mcp.server.operation.duration` (s).
 * Per DigiCert call: `digicert.operation`, `http.response.status_code` on the tool's span, and the histogram
 * `digicert.client.operation.duration`. Failed tool results are also counted on their own
 * (`mcp.server.tool.errors`). No argument or result content is ever recorded.
 */

type Api = typeof import("@opentelemetry/api");
type Transport = Parameters<McpServer["connect"]>[0];

const SCOPE = "digicert-partner-mcp";
let api: Api | undefined;
let loading: Promise<Api | undefined> | undefined;

/**
 * Where @opentelemetry/api (any copy of major version 1, the operator's included) keeps what was registered
 * with it. Until something is, every API call is a no-op, so the API is not even loaded: that kept its
 * module (~30 KB) off the first message of every process, which an MCP client's start-up waits for.
 */
const OTEL_GLOBAL = Symbol.for("opentelemetry.js.api.1");

function registered(): boolean {
  return (globalThis as Record<symbol, unknown>)[OTEL_GLOBAL] !== undefined;
}

function load(): Promise<Api | undefined> {
  loading ??= import("@opentelemetry/api").then(
    (m) => {
      api = m;
      return m;
    },
    () => undefined,
  );
  return loading;
}

interface Instruments {
  duration: Histogram;
  toolErrors: ReturnType<ReturnType<Api["metrics"]["getMeter"]>["createCounter"]>;
  digicertDuration: Histogram;
}

let instruments: Instruments | undefined;

/** Created on first use after the api loaded; bound to whatever MeterProvider is registered then. */
function instrumentsOf(otel: Api): Instruments {
  if (!instruments) {
    const meter = otel.metrics.getMeter(SCOPE);
    instruments = {
      duration: meter.createHistogram("mcp.server.operation.duration", {
        unit: "s",
        description: "Duration of MCP requests as seen by the server",
      }),
      toolErrors: meter.createCounter("mcp.server.tool.errors", {
        description: "Tool results with isError: true (the request itself succeeded)",
      }),
      digicertDuration: meter.createHistogram("digicert.client.operation.duration", {
        unit: "s",
        description: "Duration of DigiCert API operations made by tools",
      }),
    };
  }
  return instruments;
}

/**
 * Milliseconds on a monotonic clock, as `performance.now()` but from `process.hrtime`: the first use of the
 * `performance` global loads node:perf_hooks (~1 ms), which every start paid on its first message (issue 16).
 */
function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

interface Pending {
  method: string;
  tool: string | undefined;
  id: string;
  startMs: number;
  started: number;
  digicert?: { operation: string; status: number | undefined; outcome: string };
}

/** Tells a tool's request record what DigiCert answered (ToolCallRecord), for its span. */
export interface ServerObserver {
  onToolCall(record: ToolCallRecord): void;
}

/**
 * Watches the server's transport (incoming requests, outgoing responses) once it is connected. Returns a hook
 * to pass DigiCert facts of each catalog tool call (compose it with the audit log's onToolCall).
 */
export function observeMcpServer(server: McpServer, sessionId?: () => string | undefined): ServerObserver {
  const pending = new Map<string, Pending>();
  const connect = server.connect.bind(server);
  server.connect = async (transport: Transport) => {
    await connect(transport);
    const onmessage = transport.onmessage;
    transport.onmessage = (message, extra) => {
      const m = message as { id?: string | number; method?: string; params?: { name?: unknown } };
      // Requests are timed only once something is registered (each was a record, two clocks and a map entry
      // for nothing before): a request already in flight when an SDK gets registered is not traced.
      if (m.method !== undefined && m.id !== undefined && registered()) {
        void load();
        const tool =
          m.method === "tools/call" && typeof m.params?.name === "string" ? m.params.name : undefined;
        pending.set(String(m.id), {
          method: m.method,
          tool,
          id: String(m.id),
          startMs: Date.now(),
          started: monotonicMs(),
        });
      }
      onmessage?.(message, extra);
    };
    const send = transport.send.bind(transport);
    transport.send = (message: JSONRPCMessage, options) => {
      const r = message as {
        id?: string | number;
        result?: { isError?: unknown };
        error?: { code?: number };
      };
      const entry =
        pending.size > 0 && r.id !== undefined && !("method" in message)
          ? pending.get(String(r.id))
          : undefined;
      if (entry) {
        pending.delete(entry.id);
        const ended = { ms: monotonicMs() - entry.started, at: Date.now() };
        const outcome = r.error
          ? `${r.error.code ?? "error"}`
          : r.result?.isError === true
            ? "tool_error"
            : undefined;
        const session = sessionId?.() ?? transport.sessionId;
        if (api) record(api, entry, ended, outcome, session);
        else if (registered())
          void load().then((otel) => otel && record(otel, entry, ended, outcome, session));
      }
      return send(message, options);
    };
  };
  return {
    onToolCall(call) {
      // the oldest open request for this tool is the one this call belongs to
      for (const entry of pending.values()) {
        if (entry.tool === call.tool && !entry.digicert) {
          entry.digicert = { operation: call.tool, status: call.status, outcome: call.outcome };
          break;
        }
      }
      const otel = api;
      if (otel) {
        instrumentsOf(otel).digicertDuration.record(call.ms / 1000, {
          "digicert.operation": call.tool,
          ...(call.status !== undefined && { "http.response.status_code": call.status }),
          ...(call.outcome !== "ok" && { "error.type": call.outcome }),
        });
      }
    },
  };
}

function record(
  otel: Api,
  entry: Pending,
  ended: { ms: number; at: number },
  errorType: string | undefined,
  session: string | undefined,
): void {
  const attributes: Attributes = {
    "mcp.method.name": entry.method,
    "jsonrpc.request.id": entry.id,
    ...(entry.tool && { "gen_ai.tool.name": entry.tool, "gen_ai.operation.name": "execute_tool" }),
    ...(session && { "mcp.session.id": session }),
    ...(errorType && { "error.type": errorType }),
    ...(entry.digicert && { "digicert.operation": entry.digicert.operation }),
    ...(entry.digicert?.status !== undefined && { "http.response.status_code": entry.digicert.status }),
  };
  const span = otel.trace
    .getTracer(SCOPE)
    .startSpan(entry.tool ? `${entry.method} ${entry.tool}` : entry.method, {
      kind: otel.SpanKind.SERVER,
      startTime: entry.startMs,
      attributes,
    });
  if (errorType) span.setStatus({ code: otel.SpanStatusCode.ERROR });
  span.end(ended.at);
  const metricAttributes: Attributes = {
    "mcp.method.name": entry.method,
    ...(entry.tool && { "gen_ai.tool.name": entry.tool }),
    ...(errorType && { "error.type": errorType }),
  };
  const { duration, toolErrors } = instrumentsOf(otel);
  duration.record(ended.ms / 1000, metricAttributes);
  if (errorType === "tool_error") toolErrors.add(1, { "gen_ai.tool.name": entry.tool ?? "" });
}
