import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { exportJWK, generateKeyPair, importJWK, type JWTPayload, SignJWT, UnsecuredJWT } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO, type Sandbox, startSandbox } from "../../../sandbox/index.js";
import { AuditLog } from "../../../src/audit/log.js";
import { openProfiles, type ProfileRuntime } from "../../../src/cli/profiles.js";
import { serverFactory } from "../../../src/cli/server-factory.js";
import type { HttpConfig, OAuthConfig } from "../../../src/config/index.js";
import { OPERATIONS } from "../../../src/operations/index.js";
import { type RunningHttpServer, startHttpServer } from "../../../src/transports/http.js";
import { httpConfig, INITIALIZE, mcpHeaders, memoryLogger, raw, TOKEN_A } from "../helpers.js";
import {
  type AuthorizationServer,
  authorize,
  RESOURCE_SERVER_CLIENT,
  SIGNING_ALG,
  startAuthorizationServer,
} from "./authorization-server.js";

/**
 * OAuth resource-server mode end to end: a real authorization server (oidc-provider) on loopback, the MCP SDK
 * client's own OAuth support (discovery, dynamic registration, authorization code + PKCE), the real MCP server
 * over the sandbox, behind a proxy that records what reaches "DigiCert".
 */

const REDIRECT = "http://127.0.0.1:9/callback";
const WRITE_TOOLS = OPERATIONS.filter((op) => op.effect !== "read").map((op) => op.name);

let as: AuthorizationServer;
let sandbox: Sandbox;
let digicert: { url: string; headers: IncomingHttpHeaders[]; close: () => Promise<void> };
let profiles: Map<string, ProfileRuntime>;
let dir: string;
let auditPath: string;
let audit: AuditLog;
const log = memoryLogger();
const running: RunningHttpServer[] = [];
const closers: (() => Promise<void>)[] = [];
/** every access token seen in the tests, to check none was logged, audited or passed on */
const issued: string[] = [];

beforeAll(async () => {
  as = await startAuthorizationServer();
  sandbox = await startSandbox();
  digicert = await recordingProxy(sandbox.url);
  dir = mkdtempSync(join(tmpdir(), "oauth-http-"));
  const k = sandbox.keys;
  profiles = openProfiles({
    defaultCredentials: {
      parentKey: k.parent,
      subaccountKey: k.subaccounts[1001],
      subaccountKeys: { ...k.subaccounts },
    },
    profiles: { "team-a": { subaccountKeys: { 1001: k.subaccounts[1001] as string } } },
    baseUrl: digicert.url,
    timeouts: {},
    dataDir: dir,
    logger: log.logger,
  });
  auditPath = join(dir, "audit.jsonl");
  audit = AuditLog.open({ kind: "file", path: auditPath }, { secrets: [] }) as AuditLog;
});
afterEach(async () => {
  for (const c of closers.splice(0)) await c().catch(() => undefined);
  for (const s of running.splice(0)) await s.close();
  sandbox.reset();
});
afterAll(async () => {
  audit.close();
  for (const p of profiles.values()) await p.client.close();
  await digicert.close();
  await sandbox.close();
  await as.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the MCP server in OAuth mode on a port known in advance (the resource URL names it). */
async function start(
  options: {
    format?: "jwt" | "opaque";
    /** the `aud` the authorization server puts in tokens for this resource (default: the resource URL) */
    audience?: string;
    oauth?: Partial<OAuthConfig>;
    http?: Partial<HttpConfig>;
  } = {},
): Promise<{ server: RunningHttpServer; resource: string }> {
  const port = await freePort();
  const resource = `http://127.0.0.1:${port}/mcp`;
  as.resources.set(resource, {
    format: options.format ?? "jwt",
    ...(options.audience !== undefined && { audience: options.audience }),
  });
  const factory = serverFactory({
    profiles,
    logger: log.logger,
    version: "9.9.9-test",
    confirmation: { mode: "required", secret: "s".repeat(32) },
    confirmationTokens: undefined,
    audit,
    transport: "http",
  });
  const server = await startHttpServer(
    httpConfig({
      port,
      tokens: [TOKEN_A],
      rateLimit: { perMinute: 0, burst: 1 },
      oauth: { issuer: as.issuer, resource, algorithms: ["ES256", "RS256"], ...options.oauth },
      ...options.http,
    }),
    {
      createServer: (context) => factory({}, context),
      logger: log.logger,
      version: "9.9.9-test",
      onRefused: (refusal) => audit.refused({ ...refusal, transport: "http" }),
    },
  );
  running.push(server);
  return { server, resource };
}

/** The SDK's OAuthClientProvider, kept in memory, as an MCP client application implements it. */
class MemoryOAuthProvider {
  authorizationUrl: URL | undefined;
  private info: OAuthClientInformationMixed | undefined;
  private saved: OAuthTokens | undefined;
  private verifier = "";
  constructor(initial?: OAuthTokens) {
    this.saved = initial;
  }
  get redirectUrl(): string {
    return REDIRECT;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: "oauth e2e test",
      redirect_uris: [REDIRECT],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
      application_type: "native",
    } as OAuthClientMetadata;
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
    issued.push(tokens.access_token);
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
}

/**
 * What an MCP client application does: connect, get 401, discover and register, send the user to the
 * authorization server (here: `authorize` plays the user), finish with the code, connect again.
 */
async function connectWithOAuth(
  resource: string,
  login: string,
  provider = new MemoryOAuthProvider(),
): Promise<{ client: Client; provider: MemoryOAuthProvider }> {
  const first = new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider });
  await expect(new Client({ name: "e2e", version: "1" }).connect(first)).rejects.toThrow(UnauthorizedError);
  const code = await authorize(provider.authorizationUrl as URL, REDIRECT, login);
  await first.finishAuth(code);
  const client = new Client({ name: "e2e", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider }));
  closers.push(() => client.close());
  return { client, provider };
}

/** A token as the authorization server would sign it (its own key), with claims a test changes one at a time. */
async function mint(resource: string, claims: JWTPayload = {}, key = as.signingKey): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({
    scope: "digicert:read digicert:write",
    client_id: "minted-client",
    ...claims,
  })
    .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid as string, typ: "at+jwt" })
    .setIssuer((claims.iss as string) ?? as.issuer)
    .setAudience((claims.aud as string) ?? resource)
    .setSubject((claims.sub as string) ?? "alice")
    .setIssuedAt(now)
    .setExpirationTime((claims.exp as number) ?? now + 300)
    .sign(await importJWK(key, SIGNING_ALG));
  issued.push(token);
  return token;
}

function text(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === "text" ? first.text : "";
}

function auditLines(): Record<string, unknown>[] {
  return readFileSync(auditPath, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("protected resource metadata (RFC 9728)", () => {
  it("is served at the well-known URL and its /mcp form, and named by the 401 challenge", async () => {
    const { server, resource } = await start();
    const unauthenticated = await raw(server.url, { headers: mcpHeaders(undefined), body: INITIALIZE });
    expect(unauthenticated.status).toBe(401);
    const challenge = String(unauthenticated.headers["www-authenticate"]);
    const metadataUrl = `${server.url}/.well-known/oauth-protected-resource/mcp`;
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain(`resource_metadata="${metadataUrl}"`);
    expect(challenge).not.toContain("error=");
    for (const path of [
      "/.well-known/oauth-protected-resource",
      "/.well-known/oauth-protected-resource/mcp",
    ]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        resource,
        authorization_servers: [as.issuer],
        scopes_supported: ["digicert:read", "digicert:write"],
        bearer_methods_supported: ["header"],
        resource_name: "digicert-partner-mcp",
      });
    }
    // an unknown well-known path is still a 404
    expect((await fetch(`${server.url}/.well-known/oauth-protected-resource/other`)).status).toBe(404);
  });
});

describe("the MCP SDK client's OAuth against a real authorization server", () => {
  it("discovers, registers, authorizes with PKCE, and then calls tools as that person", async () => {
    const { resource } = await start();
    const { client, provider } = await connectWithOAuth(resource, "alice");
    const tokens = provider.tokens() as OAuthTokens;
    expect(tokens.token_type.toLowerCase()).toBe("bearer");
    // PKCE S256 and the resource indicator were in the authorization request
    const asked = provider.authorizationUrl as URL;
    expect(asked.searchParams.get("code_challenge_method")).toBe("S256");
    expect(asked.searchParams.get("resource")).toBe(resource);
    expect(asked.searchParams.get("scope")).toBe("digicert:read digicert:write");
    expect(as.hits.get("/reg")).toBeGreaterThan(0);

    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain("cancel_acme_contract");
    const read = (await client.callTool({
      name: "get_acme_contract",
      arguments: { acme_contract_id: DEMO.contracts.dv },
    })) as CallToolResult;
    expect(read.isError, text(read)).toBeFalsy();

    // a destructive tool: preview, then confirm with the token, which is bound to this caller
    const args = { acme_contract_id: DEMO.contracts.ov };
    const preview = (await client.callTool({
      name: "cancel_acme_contract",
      arguments: args,
    })) as CallToolResult;
    const confirmation = (preview.structuredContent as { confirmation_token: string }).confirmation_token;
    const done = (await client.callTool({
      name: "cancel_acme_contract",
      arguments: { ...args, confirmation_token: confirmation },
    })) as CallToolResult;
    expect(done.isError, text(done)).toBeFalsy();
    expect(sandbox.store.contracts.get(DEMO.contracts.ov)?.canceledAt).not.toBeNull();

    const line = auditLines().find((l) => l.tool === "cancel_acme_contract" && l.outcome === "ok");
    const clientId = (provider.clientInformation() as { client_id: string }).client_id;
    expect(line).toMatchObject({
      token: "oauth:alice",
      subject: "alice",
      client_id: clientId,
      profile: "default",
    });

    // the access token went nowhere: not to DigiCert, not into the logs or the audit log
    const seen = JSON.stringify(digicert.headers);
    expect(digicert.headers.length).toBeGreaterThan(0);
    expect(seen).not.toContain(tokens.access_token);
    expect(seen).not.toMatch(/bearer/i);
    expect(log.text()).not.toContain(tokens.access_token);
    expect(readFileSync(auditPath, "utf8")).not.toContain(tokens.access_token);
  });

  it("opaque access tokens are checked by introspection (RFC 7662)", async () => {
    const { server, resource } = await start({
      format: "opaque",
      oauth: {
        introspection: {
          url: `${as.issuer}/token/introspection`,
          clientId: RESOURCE_SERVER_CLIENT.id,
          clientSecret: RESOURCE_SERVER_CLIENT.secret,
        },
      },
    });
    const { client, provider } = await connectWithOAuth(resource, "carol");
    const token = (provider.tokens() as OAuthTokens).access_token;
    expect(token.split(".")).toHaveLength(1);
    const result = (await client.callTool({
      name: "get_acme_contract",
      arguments: { acme_contract_id: DEMO.contracts.dv },
    })) as CallToolResult;
    expect(result.isError, text(result)).toBeFalsy();
    expect(as.hits.get("/token/introspection")).toBeGreaterThan(0);
    const made_up = await raw(server.url, {
      headers: mcpHeaders("not-a-token-the-server-issued"),
      body: INITIALIZE,
    });
    expect(made_up.status).toBe(401);
    expect(String(made_up.headers["www-authenticate"])).toContain('error="invalid_token"');
  });

  it("a read-only token: write tools are not offered, calling one is a 403 the SDK steps up from", async () => {
    const { server, resource } = await start({ http: { stateless: true } });
    const readOnly = await mint(resource, { scope: "digicert:read" });
    const raw403 = await raw(server.url, {
      headers: mcpHeaders(readOnly),
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 2,
        method: "tools/call",
        params: { name: "cancel_acme_contract", arguments: { acme_contract_id: DEMO.contracts.ov } },
      }),
    });
    expect(raw403.status).toBe(403);
    const challenge = String(raw403.headers["www-authenticate"]);
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain('scope="digicert:read digicert:write"');
    expect(challenge).toContain(`resource_metadata="${server.url}/.well-known/oauth-protected-resource/mcp"`);

    const provider = new MemoryOAuthProvider({ access_token: readOnly, token_type: "Bearer" });
    const client = new Client({ name: "e2e", version: "1" });
    await client.connect(new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider }));
    closers.push(() => client.close());
    const names = (await client.listTools()).tools.map((t) => t.name);
    for (const w of WRITE_TOOLS) expect(names).not.toContain(w);
    // the 403 makes the SDK ask for the named scope: off to the authorization server again
    await expect(
      client.callTool({ name: "cancel_acme_contract", arguments: { acme_contract_id: 1 } }),
    ).rejects.toThrow(UnauthorizedError);
    expect((provider.authorizationUrl as URL).searchParams.get("scope")).toBe("digicert:read digicert:write");
    const code = await authorize(provider.authorizationUrl as URL, REDIRECT, "alice");
    const stepUp = new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider });
    await stepUp.finishAuth(code);
    const again = new Client({ name: "e2e", version: "1" });
    await again.connect(stepUp);
    closers.push(() => again.close());
    expect((await again.listTools()).tools.map((t) => t.name)).toContain("cancel_acme_contract");
    expect(sandbox.store.contracts.get(DEMO.contracts.ov)?.canceledAt).toBeNull();
    const refused = auditLines().find((l) => l.event === "refused" && l.reason === "insufficient_scope");
    expect(refused).toMatchObject({ token: "oauth:alice", status: 403 });
  });
});

describe("bad access tokens get 401 invalid_token (never a tool)", () => {
  it("refuses other audience, other issuer, expired, not yet valid, other key, alg none", async () => {
    const { server, resource } = await start();
    const now = Math.floor(Date.now() / 1000);
    const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
    const stranger = { ...(await exportJWK(privateKey)), kid: as.signingKey.kid };
    const unknownKid = { ...stranger, kid: "not-published" };
    const none = new UnsecuredJWT({ scope: "digicert:read digicert:write" })
      .setIssuer(as.issuer)
      .setAudience(resource)
      .setSubject("alice")
      .setExpirationTime(now + 300)
      .encode();
    const cases: [string, string][] = [
      ["other audience", await mint(resource, { aud: "http://127.0.0.1:1/mcp" })],
      ["other issuer", await mint(resource, { iss: "http://127.0.0.1:2" })],
      ["expired", await mint(resource, { exp: now - 120 })],
      ["not yet valid", await mint(resource, { nbf: now + 600 })],
      ["other key, same kid", await mint(resource, {}, stranger)],
      ["other key, unknown kid", await mint(resource, {}, unknownKid)],
      ["alg none", none],
      ["garbage", "a.b.c"],
    ];
    for (const [why, token] of cases) {
      const res = await raw(server.url, { headers: mcpHeaders(token), body: INITIALIZE });
      expect(res.status, why).toBe(401);
      const challenge = String(res.headers["www-authenticate"]);
      expect(challenge, why).toContain('error="invalid_token"');
      expect(challenge, why).toContain("resource_metadata=");
    }
    // the valid token is accepted, so the refusals above are about the one claim each changed
    const good = await raw(server.url, { headers: mcpHeaders(await mint(resource)), body: INITIALIZE });
    expect(good.status).toBe(200);
    expect(log.text()).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}/);
  });

  it("a token without a digicert scope gets 403 insufficient_scope naming digicert:read", async () => {
    const { server, resource } = await start();
    const res = await raw(server.url, {
      headers: mcpHeaders(await mint(resource, { scope: "openid" })),
      body: INITIALIZE,
    });
    expect(res.status).toBe(403);
    const challenge = String(res.headers["www-authenticate"]);
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain('scope="digicert:read"');
  });

  it("fetches the JWKS once; a flood of unknown kids does not make it fetch again", async () => {
    const { server, resource } = await start();
    const before = as.hits.get("/jwks") ?? 0;
    for (let i = 0; i < 3; i++) {
      const res = await raw(server.url, { headers: mcpHeaders(await mint(resource)), body: INITIALIZE });
      expect(res.status).toBe(200);
    }
    expect((as.hits.get("/jwks") ?? 0) - before).toBe(1);
    const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
    const unknown = { ...(await exportJWK(privateKey)), kid: "rotated-in-later" };
    for (let i = 0; i < 3; i++) {
      const res = await raw(server.url, {
        headers: mcpHeaders(await mint(resource, {}, unknown)),
        body: INITIALIZE,
      });
      expect(res.status).toBe(401);
    }
    // within JWKS_COOLDOWN_MS of the last fetch: refused without asking again (verify.test.ts: after it, it asks)
    expect((as.hits.get("/jwks") ?? 0) - before).toBe(1);
  });
});

describe("an authorization server that cannot be reached", () => {
  it("answers 503 with Retry-After, not 401: the token may be fine", async () => {
    const { server, resource } = await start({ oauth: { issuer: `http://127.0.0.1:${await freePort()}` } });
    const res = await raw(server.url, { headers: mcpHeaders(await mint(resource)), body: INITIALIZE });
    expect(res.status).toBe(503);
    expect(res.headers["retry-after"]).toBe("10");
    expect(String(res.headers["www-authenticate"])).not.toContain("invalid_token");
    // the static tokens do not depend on it
    expect((await raw(server.url, { headers: mcpHeaders(TOKEN_A), body: INITIALIZE })).status).toBe(200);
  });
});

describe("OAuth callers in the access model", () => {
  it("a session belongs to its caller; another person's token cannot use it", async () => {
    const { server, resource } = await start();
    const alice = await mint(resource, { sub: "alice" });
    const opened = await raw(server.url, { headers: mcpHeaders(alice), body: INITIALIZE });
    const session = String(opened.headers["mcp-session-id"]);
    const list = JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    const headers = (token: string) =>
      mcpHeaders(token, { "mcp-session-id": session, "mcp-protocol-version": "2025-06-18" });
    const bob = await raw(server.url, { headers: headers(await mint(resource, { sub: "bob" })), body: list });
    expect(bob.status).toBe(404);
    // alice's next token (refreshed, same grant) goes on in the same session
    const later = await raw(server.url, {
      headers: headers(await mint(resource, { sub: "alice", jti: "2" })),
      body: list,
    });
    expect(later.status).toBe(200);
  });

  it("confirmation tokens are bound to the caller (stateless: no session to bind to)", async () => {
    const { server, resource } = await start({ http: { stateless: true } });
    const call = (token: string, args: Record<string, unknown>) =>
      raw(server.url, {
        headers: mcpHeaders(token),
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 3,
          method: "tools/call",
          params: { name: "cancel_acme_contract", arguments: args },
        }),
      }).then((r) => JSON.parse(r.body).result as CallToolResult);
    const args = { acme_contract_id: DEMO.contracts.ov };
    const preview = await call(await mint(resource, { sub: "alice" }), args);
    const confirmation = (preview.structuredContent as { confirmation_token: string }).confirmation_token;
    const byBob = await call(await mint(resource, { sub: "bob" }), {
      ...args,
      confirmation_token: confirmation,
    });
    expect(byBob.isError).toBe(true);
    const byOtherClient = await call(await mint(resource, { sub: "alice", client_id: "other-app" }), {
      ...args,
      confirmation_token: confirmation,
    });
    expect(byOtherClient.isError).toBe(true);
    expect(sandbox.store.contracts.get(DEMO.contracts.ov)?.canceledAt).toBeNull();
    const byAlice = await call(await mint(resource, { sub: "alice" }), {
      ...args,
      confirmation_token: confirmation,
    });
    expect(byAlice.isError, text(byAlice)).toBeFalsy();
    expect(sandbox.store.contracts.get(DEMO.contracts.ov)?.canceledAt).not.toBeNull();
  });

  it("the grants file maps claims to toolsets and key profiles; no matching rule: 403", async () => {
    const { server, resource } = await start({
      oauth: {
        grants: [
          {
            name: "team-a",
            when: { claim: "groups", value: "team-a" },
            readOnly: false,
            profile: "team-a",
            toolsets: ["acme"],
          },
          { name: "auditors", when: { scope: "digicert:audit" }, readOnly: true, profile: "default" },
        ],
      },
    });
    const list = JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    const tools = async (token: string) => {
      const opened = await raw(server.url, { headers: mcpHeaders(token), body: INITIALIZE });
      expect(opened.status).toBe(200);
      const res = await raw(server.url, {
        headers: mcpHeaders(token, {
          "mcp-session-id": String(opened.headers["mcp-session-id"]),
          "mcp-protocol-version": "2025-06-18",
        }),
        body: list,
      });
      return (JSON.parse(res.body).result.tools as { name: string }[]).map((t) => t.name).sort();
    };
    const acme = OPERATIONS.filter((op) => op.toolset === "acme").map((op) => op.name);
    expect(await tools(await mint(resource, { groups: ["staff", "team-a"] }))).toEqual([...acme].sort());
    const auditor = await tools(await mint(resource, { scope: "digicert:write digicert:audit" }));
    for (const w of WRITE_TOOLS) expect(auditor).not.toContain(w);
    const nobody = await raw(server.url, {
      headers: mcpHeaders(await mint(resource, { groups: ["team-b"] })),
      body: INITIALIZE,
    });
    expect(nobody.status).toBe(403);
  });

  it("static tokens keep working beside OAuth", async () => {
    const { server } = await start();
    const res = await raw(server.url, { headers: mcpHeaders(TOKEN_A), body: INITIALIZE });
    expect(res.status).toBe(200);
  });
});

describe("Entra ID: the API's client id or App ID URI as audience (MCP_OAUTH_AUDIENCE)", () => {
  /** the API's application (client) id, as Entra ID v2.0 tokens carry it in `aud` */
  const API_ID = "4a7f2c1e-93b5-4d8a-b6e0-2f1c9d3e8a57";
  const APP_ID_URI = `api://${API_ID}`;
  const OTHER_API = "0b9e6d4c-1a2f-4e3b-8c7d-5f6a9b0c1d2e";
  const CLIENT_ID = "c3d2e1f0-5b4a-4c7d-9e8f-0a1b2c3d4e5f";

  const list = JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" });
  async function toolNames(url: string, token: string): Promise<string[]> {
    const opened = await raw(url, { headers: mcpHeaders(token), body: INITIALIZE });
    expect(opened.status, opened.body).toBe(200);
    const res = await raw(url, {
      headers: mcpHeaders(token, {
        "mcp-session-id": String(opened.headers["mcp-session-id"]),
        "mcp-protocol-version": "2025-06-18",
      }),
      body: list,
    });
    return (JSON.parse(res.body).result.tools as { name: string }[]).map((t) => t.name);
  }
  async function refused(url: string, token: string, why: string): Promise<void> {
    const res = await raw(url, { headers: mcpHeaders(token), body: INITIALIZE });
    expect(res.status, why).toBe(401);
    expect(String(res.headers["www-authenticate"]), why).toContain('error="invalid_token"');
    expect(String(res.headers["www-authenticate"]), why).toContain("claim aud");
  }
  /** an access token shaped like Entra ID's (v2.0: `aud` the API's id, `scp`, `azp`; no `scope`, no client_id) */
  function entra(claims: JWTPayload): JWTPayload {
    return {
      scope: undefined,
      client_id: undefined,
      aud: API_ID,
      azp: CLIENT_ID,
      ver: "2.0",
      tid: "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a",
      oid: "11111111-2222-4333-8444-555555555555",
      ...claims,
    };
  }

  it("a token the authorization server issues with aud = the API's id: refused without the setting, accepted with it", async () => {
    // the real authorization server names the API by its id in `aud`, as Entra ID does
    const { server: withIt, resource } = await start({ audience: API_ID, oauth: { audiences: [API_ID] } });
    const { client, provider } = await connectWithOAuth(resource, "erin");
    const token = (provider.tokens() as OAuthTokens).access_token;
    const aud = JSON.parse(Buffer.from(token.split(".")[1] as string, "base64url").toString()).aud;
    expect(aud).toBe(API_ID);
    const read = (await client.callTool({
      name: "get_acme_contract",
      arguments: { acme_contract_id: DEMO.contracts.dv },
    })) as CallToolResult;
    expect(read.isError, text(read)).toBeFalsy();
    // the metadata still names the resource URL, not the extra audience
    const metadata = (await (
      await fetch(`${withIt.url}/.well-known/oauth-protected-resource/mcp`)
    ).json()) as {
      resource: string;
    };
    expect(metadata.resource).toBe(resource);
    expect(JSON.stringify(metadata)).not.toContain(API_ID);

    // the same token at a server without the setting, and at one that accepts another API's id
    const { server: without } = await start();
    await refused(without.url, token, "no MCP_OAUTH_AUDIENCE");
    const { server: another } = await start({ oauth: { audiences: [OTHER_API] } });
    await refused(another.url, token, "MCP_OAUTH_AUDIENCE names another API");
    // and at the server with the setting, a token for yet another audience is still refused
    await refused(withIt.url, await mint(resource, { aud: OTHER_API }), "aud = another API");
    await refused(
      withIt.url,
      await mint(resource, { aud: `api://${OTHER_API}` }),
      "aud = another App ID URI",
    );
    // the resource URL itself still counts
    expect(
      (await raw(withIt.url, { headers: mcpHeaders(await mint(resource)), body: INITIALIZE })).status,
    ).toBe(200);
  });

  it("opaque tokens: the introspection answer's aud is checked against the extra audiences too", async () => {
    const introspection = {
      url: `${as.issuer}/token/introspection`,
      clientId: RESOURCE_SERVER_CLIENT.id,
      clientSecret: RESOURCE_SERVER_CLIENT.secret,
    };
    const { resource } = await start({
      format: "opaque",
      audience: API_ID,
      oauth: { introspection, audiences: [API_ID] },
    });
    const { client, provider } = await connectWithOAuth(resource, "frank");
    const token = (provider.tokens() as OAuthTokens).access_token;
    expect(token.split(".")).toHaveLength(1);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    const { server: without } = await start({ format: "opaque", oauth: { introspection } });
    const res = await raw(without.url, { headers: mcpHeaders(token), body: INITIALIZE });
    expect(res.status).toBe(401);
    expect(String(res.headers["www-authenticate"])).toContain("another audience");
  });

  it("Entra-shaped tokens: scp gives the tools, v1.0's App ID URI audience works, app roles decide who may write", async () => {
    const { server, resource } = await start({
      oauth: {
        audiences: [API_ID, APP_ID_URI],
        grants: [
          {
            name: "pki-writers",
            when: { claim: "roles", value: "DigiCert.Writer" },
            readOnly: false,
            profile: "default",
          },
          { name: "everyone", readOnly: true, profile: "default" },
        ],
      },
    });
    const writes = (names: string[]) => WRITE_TOOLS.filter((w) => names.includes(w));
    // scp digicert:read only: read tools, no write tools
    const reader = await toolNames(server.url, await mint(resource, entra({ scp: "digicert:read" })));
    expect(reader).toContain("get_acme_contract");
    expect(writes(reader)).toEqual([]);
    // scp with digicert:write but without the app role: still read-only (the grants file narrows)
    const consented = await toolNames(
      server.url,
      await mint(resource, entra({ scp: "digicert:read digicert:write" })),
    );
    expect(writes(consented)).toEqual([]);
    // with the app role assigned: the write tools
    const writerToken = await mint(
      resource,
      entra({ scp: "digicert:read digicert:write", roles: ["DigiCert.Writer"], sub: "entra-writer" }),
    );
    expect(writes(await toolNames(server.url, writerToken)).sort()).toEqual([...WRITE_TOOLS].sort());
    // the app role alone is no scope: the token still needs digicert:read in scp
    const roleOnly = await raw(server.url, {
      headers: mcpHeaders(await mint(resource, entra({ scp: "User.Read", roles: ["DigiCert.Writer"] }))),
      body: INITIALIZE,
    });
    expect(roleOnly.status).toBe(403);
    // a v1.0 token names the API by its App ID URI (and the client in appid)
    const v1 = await mint(
      resource,
      entra({ aud: APP_ID_URI, azp: undefined, appid: CLIENT_ID, ver: "1.0", scp: "digicert:read" }),
    );
    expect(await toolNames(server.url, v1)).toContain("get_acme_contract");
  });
});

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Stands between the DigiCert client and the sandbox, keeping the headers of every request that reaches it. */
async function recordingProxy(
  target: string,
): Promise<{ url: string; headers: IncomingHttpHeaders[]; close: () => Promise<void> }> {
  const headers: IncomingHttpHeaders[] = [];
  const upstream = new URL(target);
  const proxy: Server = createServer((req, res) => {
    headers.push(req.headers);
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    headers,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.closeAllConnections();
        proxy.close(() => resolve());
      }),
  };
}
