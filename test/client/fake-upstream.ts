import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

type Reply = (req: SeenRequest, res: ServerResponse) => void;

/** A scripted loopback server: each request gets the next reply (the last one repeats). */
export async function fakeUpstream(replies: Reply[]) {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      const r: SeenRequest = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      seen.push(r);
      const reply = replies[Math.min(seen.length - 1, replies.length - 1)];
      reply?.(r, res);
    });
  });
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

export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };

export const empty =
  (status: number): Reply =>
  (_req, res) => {
    res.writeHead(status);
    res.end();
  };

/** Drops the connection without answering: the request was received, the outcome is lost. */
export const drop: Reply = (_req, res) => {
  res.socket?.destroy();
};

export const hang: Reply = () => {};
