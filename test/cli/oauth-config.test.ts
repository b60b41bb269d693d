import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseGrantsFile } from "../../src/config/index.js";

const OAUTH = {
  MCP_OAUTH_ISSUER: "https://kc.example/realms/partners",
  MCP_RESOURCE_URL: "https://mcp.example/mcp",
};
const dir = mkdtempSync(join(tmpdir(), "oauth-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error("no ConfigError");
}

describe("OAuth configuration", () => {
  it("issuer and resource URL turn it on, and --http then needs no static token", () => {
    const config = loadConfig(OAUTH, ["--http"]);
    expect(config.http.oauth).toEqual({
      issuer: OAUTH.MCP_OAUTH_ISSUER,
      resource: OAUTH.MCP_RESOURCE_URL,
      algorithms: ["RS256", "PS256", "ES256", "EdDSA"],
    });
    expect(config.http.tokens).toEqual([]);
    expect(loadConfig({}, []).http.oauth).toBeUndefined();
  });

  it("MCP_OAUTH_AUDIENCE: exact further audiences, trimmed and deduplicated; empty items and wildcards refused", () => {
    const guid = "6f1c2a4e-8b3d-4c5f-9e7a-1b2c3d4e5f60";
    const config = loadConfig(
      { ...OAUTH, MCP_OAUTH_AUDIENCE: ` ${guid}, api://${guid},${guid},${OAUTH.MCP_RESOURCE_URL}` },
      ["--http"],
    );
    // the resource URL is always accepted and not repeated
    expect(config.http.oauth?.audiences).toEqual([guid, `api://${guid}`]);
    expect(config.http.oauth?.resource).toBe(OAUTH.MCP_RESOURCE_URL);
    expect(
      loadConfig({ ...OAUTH, MCP_OAUTH_AUDIENCE: "" }, ["--http"]).http.oauth?.audiences,
    ).toBeUndefined();
    for (const bad of [`${guid},`, `,${guid}`, `${guid},,api://x`, " , "]) {
      expect(configError(() => loadConfig({ ...OAUTH, MCP_OAUTH_AUDIENCE: bad }, ["--http"]))).toMatch(
        /MCP_OAUTH_AUDIENCE: an empty value/,
      );
    }
    for (const bad of ["*", `${guid},api://*`, "https://*.example.com/mcp"]) {
      expect(configError(() => loadConfig({ ...OAUTH, MCP_OAUTH_AUDIENCE: bad }, ["--http"]))).toMatch(
        /MCP_OAUTH_AUDIENCE: wildcards are not supported/,
      );
    }
    expect(configError(() => loadConfig({ ...OAUTH, MCP_OAUTH_AUDIENCE: "api://a b" }, ["--http"]))).toMatch(
      /MCP_OAUTH_AUDIENCE: a value contains whitespace/,
    );
  });

  it("refuses one without the other, plain http off loopback, and unsafe algorithms", () => {
    expect(configError(() => loadConfig({ MCP_OAUTH_ISSUER: OAUTH.MCP_OAUTH_ISSUER }, ["--http"]))).toMatch(
      /go together/,
    );
    expect(
      configError(() => loadConfig({ ...OAUTH, MCP_OAUTH_ISSUER: "http://kc.example" }, ["--http"])),
    ).toMatch(/MCP_OAUTH_ISSUER must be an https URL/);
    expect(
      loadConfig({ ...OAUTH, MCP_OAUTH_ISSUER: "http://127.0.0.1:8080/realms/x" }, ["--http"]).http.oauth
        ?.issuer,
    ).toBe("http://127.0.0.1:8080/realms/x");
    expect(
      configError(() => loadConfig({ ...OAUTH, MCP_RESOURCE_URL: "https://mcp.example/mcp#x" }, [])),
    ).toMatch(/fragment/);
    for (const alg of ["none", "HS256", "RS256,none"]) {
      expect(configError(() => loadConfig({ ...OAUTH, MCP_OAUTH_ALGORITHMS: alg }, ["--http"]))).toMatch(
        /MCP_OAUTH_ALGORITHMS.*asymmetric only/,
      );
    }
  });

  it("introspection needs client credentials, and its secret is scrubbed", () => {
    const url = { ...OAUTH, MCP_OAUTH_INTROSPECTION_URL: "https://kc.example/introspect" };
    expect(configError(() => loadConfig(url, ["--http"]))).toMatch(/needs MCP_OAUTH_CLIENT_ID/);
    expect(configError(() => loadConfig({ ...OAUTH, MCP_OAUTH_CLIENT_ID: "rs" }, ["--http"]))).toMatch(
      /only used for introspection/,
    );
    const secret = "introspection-secret-0123456789";
    const config = loadConfig({ ...url, MCP_OAUTH_CLIENT_ID: "rs", MCP_OAUTH_CLIENT_SECRET: secret }, [
      "--http",
    ]);
    expect(config.http.oauth?.introspection).toEqual({
      url: url.MCP_OAUTH_INTROSPECTION_URL,
      clientId: "rs",
      clientSecret: secret,
    });
    expect(config.secrets).toContain(secret);
  });

  it("reads the grants file in the tokens-file words, refusing unknown fields and profiles", () => {
    const path = join(dir, "grants.json");
    writeFileSync(
      path,
      JSON.stringify({
        grants: [
          { name: "team-a", when: { claim: "groups", value: "team-a" }, toolsets: ["acme"], rate_limit: 60 },
          { name: "everyone", read_only: true },
        ],
      }),
    );
    const config = loadConfig({ ...OAUTH, MCP_OAUTH_GRANTS_FILE: path }, ["--http"]);
    expect(config.http.oauth?.grants).toEqual([
      {
        name: "team-a",
        when: { claim: "groups", value: "team-a" },
        readOnly: false,
        profile: "default",
        toolsets: ["acme"],
        rateLimit: 60,
      },
      { name: "everyone", readOnly: true, profile: "default" },
    ]);
    const bad = (grants: unknown[]) =>
      configError(() => parseGrantsFile("grants", JSON.stringify({ grants }), ["default"]));
    expect(bad([{ name: "a", readonly: true }])).toMatch(/unknown field "readonly"/);
    expect(bad([{ name: "a", profile: "team-z" }])).toMatch(
      /profile "team-z", which DIGICERT_PROFILES does not define/,
    );
    expect(bad([{ name: "a", when: { scope: "" } }])).toMatch(/"when" must be/);
    expect(bad([{ name: "a" }, { name: "a" }])).toMatch(/used twice/);
    expect(bad([])).toMatch(/empty/);
  });
});
