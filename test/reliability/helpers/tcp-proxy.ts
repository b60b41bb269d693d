import type { AddressInfo } from "node:net";
import { connect, createServer, type Socket } from "node:net";

export interface ProxiedConnection {
  id: number;
  openedAt: number;
  /** when the first request byte arrived from the client */
  requestAt: number | undefined;
  /** when the first response byte arrived from upstream */
  responseAt: number | undefined;
  /** when the client side closed (or reset) the connection */
  clientClosedAt: number | undefined;
  requestHead: string;
}

/**
 * A TCP pass-through in front of an HTTP server that notes, per connection, when the request arrived, when the
 * answer started and when the client hung up: enough to prove a client aborted a request in flight.
 */
export async function tcpProxy(targetUrl: string) {
  const target = new URL(targetUrl);
  const connections: ProxiedConnection[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const c: ProxiedConnection = {
      id: connections.length + 1,
      openedAt: performance.now(),
      requestAt: undefined,
      responseAt: undefined,
      clientClosedAt: undefined,
      requestHead: "",
    };
    connections.push(c);
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client);
    sockets.add(upstream);
    client.on("data", (chunk: Buffer) => {
      c.requestAt ??= performance.now();
      if (c.requestHead.length < 2000) c.requestHead += chunk.toString("latin1");
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      c.responseAt ??= performance.now();
      client.write(chunk);
    });
    client.on("close", () => {
      c.clientClosedAt ??= performance.now();
      upstream.destroy();
      sockets.delete(client);
    });
    upstream.on("close", () => {
      client.destroy();
      sockets.delete(upstream);
    });
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
