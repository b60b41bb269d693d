import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logging.js";
import { McpServer } from "../../src/sdk/server.js";
import { STARTUP_LOG_DELAY_MS, serveStdio } from "../../src/transports/stdio.js";

/** A stdio server on pipes, its stderr log lines (pino writes them asynchronously: read after a tick). */
function setUp() {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const events: string[] = [];
  const logger = createLogger({
    secrets: ["secret-value-0123456789"],
    destination: { write: (line: string) => events.push(`log:${JSON.parse(line).msg}`) },
  });
  stdout.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n").filter(Boolean))
      events.push(`answer:${JSON.parse(line).id}`);
  });
  const running = serveStdio(
    { createServer: () => new McpServer({ name: "t", version: "0" }), logger, version: "0" },
    { stdin, stdout },
  );
  const send = (m: object) => stdin.write(`${JSON.stringify({ jsonrpc: "2.0", ...m })}\n`);
  return { stdin, events, running, send };
}

const initialize = {
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "c", version: "0" } },
};
const settle = () => new Promise((r) => setTimeout(r, 20));

describe("serveStdio start-up lines", () => {
  it("are written after the first message was answered, in order, then later lines at once", async () => {
    const { events, running, send } = setUp();
    const r = await running;
    r.startupLog?.(() => events.push("log:started"));
    await settle();
    expect(events).toEqual([]);
    send(initialize);
    await settle();
    expect(events.slice(0, 3)).toEqual(["answer:1", "log:serving MCP over stdio", "log:started"]);
    r.startupLog?.(() => events.push("log:late"));
    expect(events.at(-1)).toBe("log:late");
    await r.close();
  });

  it("are written without any message, after STARTUP_LOG_DELAY_MS", async () => {
    const { events, running } = setUp();
    const r = await running;
    await new Promise((res) => setTimeout(res, STARTUP_LOG_DELAY_MS + 50));
    expect(events).toEqual(["log:serving MCP over stdio"]);
    await r.close();
  });

  it("come before the shutdown line when stdin ends first", async () => {
    const { stdin, events, running } = setUp();
    const r = await running;
    stdin.end();
    await r.closed;
    await settle();
    expect(events).toEqual(["log:serving MCP over stdio", "log:stdin closed: shutting down"]);
  });
});
