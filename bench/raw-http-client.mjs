// A light Streamable HTTP client for throughput benchmarks: one keep-alive connection (undici Pool), raw
// JSON-RPC POSTs, answers expected as plain JSON. Its cost per call is small and the same whatever the server,
// unlike the SDK client's (bench/http-throughput.mjs), so the server's share of a shared machine is larger.
import { Pool } from "undici";
import { PROTOCOL } from "./lib.mjs";

/** One simulated client: a keep-alive connection, and a session when the server keeps them. */
export class RawClient {
  constructor(url, { token, stateful }) {
    const u = new URL(url);
    this.path = u.pathname;
    this.pool = new Pool(u.origin, { connections: 1, pipelining: 1 });
    this.headers = {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": PROTOCOL,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    };
    this.stateful = stateful;
    this.nextId = 1;
  }
  async post(message) {
    const res = await this.pool.request({
      path: this.path,
      method: "POST",
      headers: this.headers,
      body: JSON.stringify({ jsonrpc: "2.0", ...message }),
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, text };
  }
  async open() {
    if (!this.stateful) return;
    const r = await this.post({
      id: this.nextId++,
      method: "initialize",
      params: { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: "bench", version: "0" } },
    });
    const sid = r.headers["mcp-session-id"];
    if (r.status !== 200 || !sid) throw new Error(`initialize: ${r.status} ${r.text.slice(0, 200)}`);
    this.headers["mcp-session-id"] = sid;
    const n = await this.post({ method: "notifications/initialized" });
    if (n.status !== 202) throw new Error(`initialized: ${n.status}`);
  }
  /** One request; throws unless the answer is a JSON-RPC result (and not a tool error). */
  async call(method, params) {
    const r = await this.post({ id: this.nextId++, method, params });
    if (r.status !== 200) throw new Error(`${method}: HTTP ${r.status}`);
    const msg = JSON.parse(r.text);
    if (msg.error || msg.result?.isError) throw new Error(`${method}: ${r.text.slice(0, 200)}`);
  }
  close() {
    return this.pool.close();
  }
}
