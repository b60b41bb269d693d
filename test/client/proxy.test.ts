import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../sandbox/index.js";
import { DigiCertClient, proxyConfigured } from "../../src/client/client.js";
import { exampleCredentials } from "../helpers/examples.js";

// The default dispatcher honours HTTP(S)_PROXY as undici's EnvHttpProxyAgent does, read when the client makes
// its first call; without a proxy variable it is a plain Agent (no proxy lookup per request).

let sandbox: Sandbox;
let proxy: Server;
let proxyUrl: string;
const proxied: string[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  sandbox = await startSandbox();
  // a forward proxy for http: origins (absolute-form requests) and CONNECT tunnels, recording what it carried
  proxy = createServer((req, res) => {
    proxied.push(`${req.method} ${req.url}`);
    const up = httpRequest(req.url as string, { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  proxy.on("connect", async (req, socket, head) => {
    proxied.push(`CONNECT ${req.url}`);
    const { connect } = await import("node:net");
    const [host, port] = String(req.url).split(":");
    const up = connect(Number(port), host, () => {
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on("error", () => socket.destroy());
    socket.on("error", () => up.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterEach(() => {
  for (const k of ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  proxied.length = 0;
});

afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise((r) => proxy.close(r));
  await sandbox.close();
});

function client() {
  return new DigiCertClient({ baseUrl: sandbox.url, credentials: exampleCredentials(sandbox.keys) });
}

describe("proxy variables", () => {
  it("are read as EnvHttpProxyAgent reads them: lower case first, an empty value is none", () => {
    expect(proxyConfigured({})).toBe(false);
    expect(proxyConfigured({ HTTPS_PROXY: "http://p:3128" })).toBe(true);
    expect(proxyConfigured({ http_proxy: "http://p:3128" })).toBe(true);
    expect(proxyConfigured({ http_proxy: "", HTTP_PROXY: "http://p:3128" })).toBe(false);
    expect(proxyConfigured({ https_proxy: "", HTTPS_PROXY: "http://p:3128", HTTP_PROXY: "" })).toBe(false);
    expect(proxyConfigured({ NO_PROXY: "*" })).toBe(false);
  });

  it("with HTTP_PROXY set, calls go through the proxy (unless NO_PROXY names the host)", async () => {
    for (const k of ["http_proxy", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY"])
      delete process.env[k];
    process.env.HTTP_PROXY = proxyUrl;
    const viaProxy = client();
    expect((await viaProxy.call("list_api_keys", {})).status).toBe(200);
    expect(proxied.length).toBeGreaterThan(0);
    proxied.length = 0;
    process.env.NO_PROXY = "127.0.0.1";
    expect((await viaProxy.call("list_api_keys", {})).status).toBe(200);
    expect(proxied).toEqual([]);
    await viaProxy.close();
  });

  it("without a proxy variable, calls go straight to DigiCert", async () => {
    for (const k of ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"]) delete process.env[k];
    const direct = client();
    expect((await direct.call("list_api_keys", {})).status).toBe(200);
    expect(proxied).toEqual([]);
    await direct.close();
  });
});
