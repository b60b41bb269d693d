import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../../logging.js";

/** A node:http server listening on host:port (0: any free port); resolves with it and the port once listening. */
export async function listen(
  host: string,
  port: number,
  listener: (req: IncomingMessage, res: ServerResponse) => void,
  logger: Logger,
): Promise<{ http: Server; port: number }> {
  const http = createServer(listener);
  http.on("clientError", (err, socket) => {
    logger.debug({ err: err.message }, "bad HTTP request");
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(port, host, () => {
      http.off("error", reject);
      resolve();
    });
  });
  return { http, port: (http.address() as AddressInfo).port };
}

const SHUTDOWN_GRACE_MS = 5_000;

/**
 * Stops accepting, lets `closeAll` close what the server holds (its sessions), closes idle connections and,
 * after a grace period, the ones still busy; resolves when the server is closed.
 */
export async function stopListening(http: Server, closeAll: () => Promise<unknown>): Promise<void> {
  const stopped = new Promise<void>((r) => http.close(() => r()));
  await closeAll();
  http.closeIdleConnections();
  const force = setTimeout(() => http.closeAllConnections(), SHUTDOWN_GRACE_MS);
  force.unref();
  await stopped;
  clearTimeout(force);
}
