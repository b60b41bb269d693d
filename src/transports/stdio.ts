import type { Readable, Writable } from "node:stream";
import { StdioServerTransport } from "../sdk/stdio.js";
import { closeOnce } from "./close-once.js";
import type { RunningTransport, TransportDeps } from "./types.js";

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
  const transport = new StdioServerTransport(streams.stdin, streams.stdout);
  const { close, closed } = closeOnce(async () => {
    streams.stdin.off("end", onEnd);
    streams.stdin.off("close", onEnd);
    try {
      await server.close();
    } catch (err) {
      logger.debug({ err }, "error while closing the MCP server");
    }
  });
  const onEnd = (): void => {
    logger.info("stdin closed: shutting down");
    void close();
  };
  // A client that exits closes our stdout: writing then fails with EPIPE, which is a shutdown, not a crash.
  const onStdoutError = (err: NodeJS.ErrnoException): void => {
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
  logger.info("serving MCP over stdio");
  return { close, closed };
}
