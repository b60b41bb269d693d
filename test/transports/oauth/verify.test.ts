import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OAuthConfig } from "../../../src/config/index.js";
import { metadataUrls } from "../../../src/transports/oauth/discovery.js";
import { TokenVerifier } from "../../../src/transports/oauth/verify.js";
import { type AuthorizationServer, SIGNING_ALG, startAuthorizationServer } from "./authorization-server.js";

const RESOURCE = "https://mcp.example.test/mcp";
let as: AuthorizationServer;
let config: OAuthConfig;

beforeAll(async () => {
  as = await startAuthorizationServer();
  config = { issuer: as.issuer, resource: RESOURCE, algorithms: ["ES256"] };
});
afterAll(() => as.close());

async function sign(key: JWK, claims: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ scope: "digicert:read", azp: "keycloak-style-client", ...claims })
    .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid as string })
    .setIssuer(as.issuer)
    .setAudience(RESOURCE)
    .setSubject("alice")
    .setExpirationTime("5m")
    .sign(await importJWK(key, SIGNING_ALG));
}

describe("TokenVerifier against the authorization server's own metadata and JWKS", () => {
  it("caches the JWKS, and fetches it again for an unknown kid once the cooldown is over", async () => {
    const verifier = new TokenVerifier(config, Date.now, 0);
    const jwks = () => as.hits.get("/jwks") ?? 0;
    const before = jwks();
    const first = await verifier.verify(await sign(as.signingKey));
    expect(first).toMatchObject({
      ok: true,
      token: { identity: { subject: "alice", clientId: "keycloak-style-client" }, scopes: ["digicert:read"] },
    });
    await verifier.verify(await sign(as.signingKey));
    expect(jwks() - before).toBe(1);
    const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
    const rotated = await sign({ ...(await exportJWK(privateKey)), kid: "rotated" });
    expect(await verifier.verify(rotated)).toMatchObject({ ok: false });
    expect(jwks() - before).toBe(2);
  });

  it("refuses an algorithm outside the allow-list even with the right key", async () => {
    const verifier = new TokenVerifier({ ...config, algorithms: ["RS256"] });
    expect(await verifier.verify(await sign(as.signingKey))).toEqual({
      ok: false,
      reason: "signed with an algorithm that is not allowed",
    });
  });

  it("reads Entra-style scp and refuses a token without exp", async () => {
    const verifier = new TokenVerifier(config);
    const entra = await verifier.verify(
      await sign(as.signingKey, { scope: undefined, scp: "digicert:read digicert:write" }),
    );
    expect(entra).toMatchObject({ ok: true, token: { scopes: ["digicert:read", "digicert:write"] } });
    const noExp = await new SignJWT({ scope: "digicert:read" })
      .setProtectedHeader({ alg: SIGNING_ALG, kid: as.signingKey.kid as string })
      .setIssuer(as.issuer)
      .setAudience(RESOURCE)
      .setSubject("alice")
      .sign(await importJWK(as.signingKey, SIGNING_ALG));
    expect(await verifier.verify(noExp)).toMatchObject({ ok: false, reason: expect.stringMatching(/exp/) });
  });

  it("refuses everything when the issuer's metadata names another issuer (mix-up)", async () => {
    const verifier = new TokenVerifier({ ...config, issuer: `${as.issuer}/` });
    const result = await verifier.verify(await sign(as.signingKey));
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/names issuer/) });
  });
});

describe("metadataUrls", () => {
  it("tries RFC 8414 then OpenID Connect, inserted and appended, for an issuer with a path", () => {
    expect(metadataUrls("https://kc.example/realms/partners")).toEqual([
      "https://kc.example/.well-known/oauth-authorization-server/realms/partners",
      "https://kc.example/.well-known/openid-configuration/realms/partners",
      "https://kc.example/realms/partners/.well-known/openid-configuration",
    ]);
    expect(metadataUrls("https://tenant.auth0.example/")).toEqual([
      "https://tenant.auth0.example/.well-known/oauth-authorization-server",
      "https://tenant.auth0.example/.well-known/openid-configuration",
    ]);
  });
});
