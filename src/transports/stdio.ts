import type { Readable, Writable } from "node:stream";
import { StdioServerTransport } from "../sdk/stdio.js";
import { closeOnce } from "./close-once.js";
import type { RunningTransport, TransportDeps } from "./types.js";

/** At the latest, start-up lines are written this long after serving began, even if no message came. */
export const STARTUP_LOG_DELAY_MS = 200;

/**
 * Start-up log lines, held until the first message from stdin has been handled: a client that spawns the server
 * sends `initialize` at once, and writing the lines (pino, and the scrubbing of configured secrets from each)
 * before reading it delayed the answer (issue 16). They are written just after that first read (once its
 * answer has gone out), after STARTUP_LOG_DELAY_MS if no message comes, or at once when asked (shutdown).
 */
function startupLogQueue(
  stdin: Readable,
): Required<Pick<RunningTransport, "startupLog" | "flushStartupLog">> {
  let pending: (() => void)[] | undefined = [];
  const flush = (): void => {
    const lines = pending;
    if (!lines) return;
    pending = undefined;
    clearTimeout(timer);
    stdin.off("data", onData);
    for (const write of lines) write();
  };
  const onData = (): void => {
    // after the transport's own listener, and after the answer its handlers send in the microtasks that follow
    setImmediate(flush);
  };
  stdin.once("data", onData);
  const timer = setTimeout(flush, STARTUP_LOG_DELAY_MS);
  timer.unref();
  return {
    startupLog(write) {
      if (pending) pending.push(write);
      else write();
    },
    flushStartupLog: flush,
  };
}

export interface StdioStreams {
  stdin: Readable;
  stdout: Writable;
}

/**
 * Serves one McpServer over stdin/stdout. stdout carries only the protocol: every log goes to stderr.
 * Closes when stdin ends (the client went away) or `close()` is called.
 */
export async function serveStdio(
  deps: TransportDeps,
  streams: StdioStreams = { stdin: process.stdin, stdout: process.stdout },
): Promise<RunningTransport> {
  const { logger } = deps;
  const server = deps.createServer();
  const startup = startupLogQueue(streams.stdin);
  const transport = new StdioServerTransport(streams.stdin, streams.stdout);
  const { close, closed } = closeOnce(async () => {
    startup.flushStartupLog();
    streams.stdin.off("end", onEnd);
    streams.stdin.off("close", onEnd);
    try {
      await server.close();
    } catch (err) {
      logger.debug({ err }, "error while closing the MCP server");
    }
  });
  const onEnd = (): void => {
    startup.flushStartupLog();
    logger.info("stdin closed: shutting down");
    void close();
  };
  // A client that exits closes our stdout: writing then fails with EPIPE, which is a shutdown, not a crash.
  const onStdoutError = (err: NodeJS.ErrnoException): void => {
    startup.flushStartupLog();
    if (err.code === "EPIPE" || err.code === "ERR_STREAM_DESTROYED") {
      logger.info("stdout closed: shutting down");
    } else logger.error({ err }, "stdout error: shutting down");
    void close();
  };

  transport.onerror = (err) => logger.warn({ err: err.message }, "stdio transport error");
  streams.stdin.once("end", onEnd);
  streams.stdin.once("close", onEnd);
  streams.stdout.on("error", onStdoutError);
  await server.connect(transport);
  // If the transport is closed by the protocol layer, shut down too.
  const previous = transport.onclose;
  transport.onclose = () => {
    previous?.();
    void close();
  };
  startup.startupLog(() => logger.info("serving MCP over stdio"));
  return { close, closed, ...startup };
}
