import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Recorded {
  method: string;
  /** the raw request target exactly as it reached the server (path + query) */
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export type Responder = (req: Recorded, res: ServerResponse) => void;

/** 204 No Content for everything: every operation accepts it as success. */
export const noContent: Responder = (_req, res) => {
  res.writeHead(204);
  res.end();
};

/** A loopback HTTP server that records every request it receives and answers through `respond`. */
export async function recordingUpstream(respond: Responder = noContent) {
  const seen: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r: Recorded = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      seen.push(r);
      respond(r, res);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
