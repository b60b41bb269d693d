// biome-ignore-all lint/suspicious/noTemplateCurlyInString: unexpanded ${…} placeholders are the test data
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config/index.js";

const dir = mkdtempSync(join(tmpdir(), "tokens-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TOKEN = "file-token-0123456789abcdef0123456789abcdef";
const HASH = createHash("sha256").update(TOKEN).digest("hex");
const KEY_A = "team-a-subaccount-key-0123456789";
const KEY_B = "team-b-parent-key-0123456789abcd";
let n = 0;

function file(content: unknown): string {
  const path = join(dir, `tokens-${n++}.json`);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

function http(env: Record<string, string>) {
  return loadConfig({ MCP_TRANSPORT: "http", ...env }, []);
}

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).exitCode).toBe(2);
    return (err as Error).message;
  }
  throw new Error("expected a ConfigError");
}

const PROFILES = JSON.stringify({
  "team-a": { subaccount_keys_env: "TEAM_A_KEYS" },
  "team-b": { parent_key_env: "TEAM_B_PARENT" },
});
const PROFILE_ENV = {
  DIGICERT_PROFILES: PROFILES,
  TEAM_A_KEYS: JSON.stringify({ 1001: KEY_A }),
  TEAM_B_PARENT: KEY_B,
};

describe("MCP_HTTP_TOKENS_FILE", () => {
  it("reads named, hashed tokens with their grants; MCP_HTTP_TOKEN is then optional", () => {
    const path = file({
      tokens: [
        { name: "support-bot", sha256: HASH.toUpperCase(), read_only: true },
        {
          name: "team-a",
          sha256: "a".repeat(64),
          profile: "team-a",
          toolsets: ["acme"],
          exclude_tools: ["cancel_acme_contract"],
          rate_limit: 30,
          max_body_bytes: 4096,
        },
      ],
    });
    const c = http({ MCP_HTTP_TOKENS_FILE: path, ...PROFILE_ENV });
    expect(c.http.tokens).toEqual([]);
    expect(c.http.hashedTokens).toEqual([
      { name: "support-bot", sha256: HASH, readOnly: true, profile: "default" },
      {
        name: "team-a",
        sha256: "a".repeat(64),
        readOnly: false,
        profile: "team-a",
        toolsets: ["acme"],
        excludeTools: ["cancel_acme_contract"],
        rateLimit: 30,
        maxBodyBytes: 4096,
      },
    ]);
    expect(c.audit).toEqual({ kind: "stderr" });
  });

  it("refuses a plain token in the file, as a field or in place of the hash, without echoing it", () => {
    const asField = configError(() =>
      http({ MCP_HTTP_TOKENS_FILE: file({ tokens: [{ name: "bot", token: TOKEN }] }) }),
    );
    expect(asField).toMatch(/unknown field "token".*SHA-256.*hash-token/);
    const asHash = configError(() =>
      http({ MCP_HTTP_TOKENS_FILE: file({ tokens: [{ name: "bot", sha256: TOKEN }] }) }),
    );
    expect(asHash).toMatch(
      /tokens\[0\] \("bot"\): "sha256" is missing or not a SHA-256 hex digest.*hash-token/,
    );
    for (const m of [asField, asHash]) expect(m).not.toContain(TOKEN);
  });

  it("rejects unknown fields, bad values, duplicates, unknown profiles", () => {
    const cases: [unknown, RegExp][] = [
      [
        { tokens: [{ name: "a", sha256: HASH, readonly: true }] },
        /unknown field "readonly"; known: .*read_only/,
      ],
      [{ tokens: [], extra: 1 }, /unknown top-level field "extra"/],
      [{ tokens: [] }, /"tokens" is empty/],
      [[], /must be a JSON object with a "tokens" array/],
      ["{not json", /not valid JSON/],
      [{ tokens: [{ name: "a b", sha256: HASH }] }, /"name" must be/],
      [{ tokens: [{ name: "a", sha256: HASH, read_only: "yes" }] }, /"read_only" must be true or false/],
      [
        { tokens: [{ name: "a", sha256: HASH, toolsets: ["acme", "nope"] }] },
        /toolsets\[1\] is not a toolset/,
      ],
      [{ tokens: [{ name: "a", sha256: HASH, tools: [] }] }, /"tools" is empty/],
      [
        { tokens: [{ name: "a", sha256: HASH, exclude_tools: ["Bad-Name"] }] },
        /exclude_tools\[0\] is not a tool/,
      ],
      [{ tokens: [{ name: "a", sha256: HASH, rate_limit: -1 }] }, /"rate_limit" must be a whole number/],
      [{ tokens: [{ name: "a", sha256: HASH, profile: "nope" }] }, /profile "nope", which DIGICERT_PROFILES/],
      [
        {
          tokens: [
            { name: "a", sha256: HASH },
            { name: "a", sha256: "b".repeat(64) },
          ],
        },
        /the name "a" is used twice/,
      ],
      [
        {
          tokens: [
            { name: "a", sha256: HASH },
            { name: "b", sha256: HASH },
          ],
        },
        /same sha256/,
      ],
    ];
    for (const [content, pattern] of cases) {
      expect(configError(() => http({ MCP_HTTP_TOKENS_FILE: file(content) }))).toMatch(pattern);
    }
    expect(configError(() => http({ MCP_HTTP_TOKENS_FILE: join(dir, "missing.json") }))).toMatch(
      /cannot read .*missing\.json \(ENOENT\)/,
    );
  });

  it("still needs some token with --http", () => {
    expect(configError(() => http({}))).toMatch(/needs MCP_HTTP_TOKEN \(or MCP_HTTP_TOKENS_FILE\)/);
  });

  it("warns when MCP_HTTP_TOKEN (full access) is set beside the file", () => {
    const c = http({
      MCP_HTTP_TOKENS_FILE: file({ tokens: [{ name: "a", sha256: HASH }] }),
      MCP_HTTP_TOKEN: "env-token-0123456789abcdef",
    });
    expect(c.warnings.join("\n")).toMatch(/full access on the default profile/);
  });
});

describe("DIGICERT_PROFILES", () => {
  it("reads each profile's keys from the variables it names; they are secrets", () => {
    const c = loadConfig(PROFILE_ENV, []);
    expect(c.profiles).toEqual({
      "team-a": { subaccountKeys: { 1001: KEY_A } },
      "team-b": { parentKey: KEY_B },
    });
    expect(c.secrets).toEqual(expect.arrayContaining([KEY_A, KEY_B]));
    // profiles count as configured keys: no silent fallback to the sandbox
    expect(c.sandbox).toBe(false);
    expect(c.credentials).toEqual({});
  });

  it("refuses bad profiles with messages that name the variable, never a key", () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ DIGICERT_PROFILES: "{" }, /DIGICERT_PROFILES is not valid JSON/],
      [{ DIGICERT_PROFILES: "[]" }, /must be a JSON object/],
      [{ DIGICERT_PROFILES: "{}" }, /empty object/],
      [{ DIGICERT_PROFILES: '{"default":{"devkey_env":"X"}}' }, /"default" is reserved/],
      [{ DIGICERT_PROFILES: '{"Team A":{"devkey_env":"X"}}' }, /profile name is lower-case/],
      [{ DIGICERT_PROFILES: '{"a":{}}' }, /names no key/],
      [
        { DIGICERT_PROFILES: '{"a":{"devkey_env":"NOT_SET_ANYWHERE"}}' },
        /devkey_env names NOT_SET_ANYWHERE, which is not set/,
      ],
      [
        { DIGICERT_PROFILES: `{"a":{"parent_key":"${KEY_B}"}}` },
        /unknown field "parent_key".*the keys themselves never go here/,
      ],
      [
        { DIGICERT_PROFILES: '{"a":{"parent_key_env":"lower case"}}' },
        /must be the name of an environment variable/,
      ],
      [
        { DIGICERT_PROFILES: '{"a":{"parent_key_env":"K"}}', K: "${user_config.key}" },
        /K looks like an unexpanded placeholder/,
      ],
      [{ DIGICERT_PROFILES: '{"a":{"subaccount_keys_env":"K"}}', K: "[1]" }, /K is JSON but not an object/],
      [{ ...PROFILE_ENV, DIGICERT_SANDBOX: "true" }, /DIGICERT_PROFILES and --sandbox contradict/],
    ];
    for (const [env, pattern] of cases) {
      const message = configError(() => loadConfig(env, []));
      expect(message).toMatch(pattern);
      expect(message).not.toContain(KEY_B);
    }
  });
});

describe("MCP_AUDIT_LOG and rate limits", () => {
  it("audit: stderr by default over HTTP, off over stdio; a path, stderr or off when set", () => {
    expect(loadConfig({}, []).audit).toEqual({ kind: "off" });
    expect(http({ MCP_HTTP_TOKEN: "env-token-0123456789abcdef" }).audit).toEqual({ kind: "stderr" });
    expect(http({ MCP_HTTP_TOKEN: "env-token-0123456789abcdef", MCP_AUDIT_LOG: "OFF" }).audit).toEqual({
      kind: "off",
    });
    expect(loadConfig({ MCP_AUDIT_LOG: "/var/log/mcp-audit.jsonl" }, []).audit).toEqual({
      kind: "file",
      path: "/var/log/mcp-audit.jsonl",
    });
    expect(loadConfig({ MCP_AUDIT_LOG: "stderr" }, []).audit).toEqual({ kind: "stderr" });
    expect(configError(() => loadConfig({ MCP_AUDIT_LOG: "stdout" }, []))).toMatch(
      /stdout carries the MCP protocol/,
    );
  });

  it("rate limit: defaults, and checked values", () => {
    expect(loadConfig({}, []).http.rateLimit).toEqual({ perMinute: 600, burst: 120 });
    expect(loadConfig({ MCP_HTTP_RATE_LIMIT: "0" }, []).http.rateLimit?.perMinute).toBe(0);
    expect(configError(() => loadConfig({ MCP_HTTP_RATE_LIMIT: "fast" }, []))).toMatch(
      /MCP_HTTP_RATE_LIMIT must be a whole number/,
    );
    expect(configError(() => loadConfig({ MCP_HTTP_RATE_BURST: "0" }, []))).toMatch(
      /MCP_HTTP_RATE_BURST must be between 1/,
    );
  });
});
