import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import Provider, { errors } from "oidc-provider";

/**
 * A real OpenID Connect / OAuth 2.1 authorization server (oidc-provider, OpenID certified) on loopback, set up as
 * the MCP authorization spec expects one: metadata (RFC 8414), dynamic client registration (RFC 7591), the
 * authorization code flow with PKCE, resource indicators (RFC 8707) giving JWT access tokens (RFC 9068) for
 * registered resources, or opaque ones plus introspection (RFC 7662). Its login and consent pages are its own
 * development interactions; `authorize()` fills them in like a person would.
 */

export const RESOURCE_SERVER_CLIENT = { id: "mcp-resource-server", secret: "rs-secret-0123456789abcdef0123" };
export const SIGNING_ALG = "ES256";

export interface AuthorizationServer {
  issuer: string;
  /** the private signing key (with kid), so a test can sign a token that differs from a real one in one claim */
  signingKey: JWK;
  /**
   * resources tokens may be issued for, and the scopes each may get; `audience`: the `aud` its tokens carry
   * instead of the indicator (as Entra ID names the API by its client id)
   */
  resources: Map<string, { format: "jwt" | "opaque"; audience?: string }>;
  /** requests served, by path (e.g. to count JWKS fetches) */
  hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startAuthorizationServer(): Promise<AuthorizationServer> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: "as-key-1", alg: SIGNING_ALG, use: "sig" };
  const resources = new Map<string, { format: "jwt" | "opaque"; audience?: string }>();
  const hits = new Map<string, number>();
  const http: Server = createServer();
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: RESOURCE_SERVER_CLIENT.id,
        client_secret: RESOURCE_SERVER_CLIENT.secret,
        grant_types: [],
        redirect_uris: [],
        response_types: [],
      },
    ],
    jwks: { keys: [signingKey] },
    // its only key is an EC key, so what it signs for clients (ID tokens) must use it too
    clientDefaults: { id_token_signed_response_alg: SIGNING_ALG },
    scopes: ["openid", "digicert:read", "digicert:write"],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      registration: { enabled: true },
      introspection: { enabled: true },
      resourceIndicators: {
        enabled: true,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          const resource = resources.get(indicator);
          if (!resource) throw new errors.InvalidTarget();
          return {
            scope: "digicert:read digicert:write",
            audience: resource.audience ?? indicator,
            accessTokenTTL: 600,
            accessTokenFormat: resource.format,
            ...(resource.format === "jwt" && { jwt: { sign: { alg: SIGNING_ALG } } }),
          };
        },
      },
    },
  });
  const callback = provider.callback();
  http.on("request", (req, res) => {
    const path = (req.url ?? "/").split("?")[0] as string;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    callback(req, res);
  });
  return {
    issuer,
    signingKey,
    resources,
    hits,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}

/**
 * Plays the person in the browser: follows the authorization URL through the server's login and consent pages
 * (logging in as `login`, consenting to what was asked) until it redirects to `redirectUri`, and returns the code.
 */
export async function authorize(authorizationUrl: URL, redirectUri: string, login: string): Promise<string> {
  const cookies = new Map<string, string>();
  const send = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const res = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader(cookies) },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const at = (pair as string).indexOf("=");
      cookies.set((pair as string).slice(0, at), (pair as string).slice(at + 1));
    }
    return res;
  };
  let url = authorizationUrl.href;
  let res = await send(url);
  for (let step = 0; step < 12; step++) {
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      url = new URL(location, url).href;
      if (url.startsWith(redirectUri)) {
        const back = new URL(url);
        const code = back.searchParams.get("code");
        if (!code) throw new Error(`authorization failed: ${back.searchParams.get("error_description")}`);
        return code;
      }
      res = await send(url);
      continue;
    }
    const page = await res.text();
    if (res.status !== 200)
      throw new Error(`authorization server answered ${res.status}: ${page.slice(0, 300)}`);
    const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
    if (prompt !== "login" && prompt !== "consent") throw new Error(`unexpected page: ${page.slice(0, 300)}`);
    const form = new URLSearchParams(prompt === "login" ? { prompt, login, password: "any" } : { prompt });
    res = await send(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form,
    });
  }
  throw new Error("authorization did not finish in 12 steps");
}

function cookieHeader(cookies: Map<string, string>): string {
  return [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
}
