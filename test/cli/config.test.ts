// biome-ignore-all lint/suspicious/noTemplateCurlyInString: unexpanded ${…} placeholders are the test data
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  configurationMarkdown,
  DEFAULT_HTTP_PORT,
  DEFAULT_MAX_BODY_BYTES,
  helpText,
  loadConfig,
  parseArgv,
  SETTINGS,
} from "../../src/config/index.js";

const KEY = "pk_live_0123456789abcdef";
const TOKEN = "http-token-0123456789abcdef";

function expectConfigError(fn: () => unknown, pattern: RegExp): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const e = err as ConfigError;
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(pattern);
    return e;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig: defaults", () => {
  it("with nothing configured uses the sandbox and stdio", () => {
    const c = loadConfig({}, []);
    expect(c.sandbox).toBe("no-keys");
    expect(c.credentials).toEqual({});
    expect(c.baseUrl).toBeUndefined();
    expect(c.transport).toBe("stdio");
    expect(c.logLevel).toBe("info");
    expect(c.readOnly).toBe(false);
    expect(c.toolsets).toBeUndefined();
    expect(c.confirmation.mode).toBe("required");
    expect(c.confirmation.secretFromEnv).toBe(false);
    expect(c.confirmation.secret.length).toBeGreaterThanOrEqual(32);
    expect(c.http).toMatchObject({
      host: "127.0.0.1",
      port: DEFAULT_HTTP_PORT,
      tokens: [],
      stateless: false,
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
    });
  });

  it("draws a fresh confirmation secret per process (per load)", () => {
    expect(loadConfig({}, []).confirmation.secret).not.toBe(loadConfig({}, []).confirmation.secret);
  });

  it("with a base URL but no key talks to that URL, not the sandbox", () => {
    const c = loadConfig({}, ["--base-url", "http://127.0.0.1:8089"]);
    expect(c.sandbox).toBe(false);
    expect(c.baseUrl).toBe("http://127.0.0.1:8089");
  });
});

describe("loadConfig: DigiCert keys", () => {
  it("reads every key variable", () => {
    const c = loadConfig(
      {
        DIGICERT_PARTNER_API_KEY: KEY,
        DIGICERT_SUBACCOUNT_API_KEY: `${KEY}-sub`,
        DIGICERT_SUBACCOUNT_API_KEYS: JSON.stringify({ "1001": `${KEY}-1001`, 1002: `${KEY}-1002` }),
        DIGICERT_DEVKEY: `${KEY}-dev`,
      },
      [],
    );
    expect(c.sandbox).toBe(false);
    expect(c.credentials).toEqual({
      parentKey: KEY,
      subaccountKey: `${KEY}-sub`,
      subaccountKeys: { "1001": `${KEY}-1001`, "1002": `${KEY}-1002` },
      devkey: `${KEY}-dev`,
    });
    expect(c.secrets).toEqual(
      expect.arrayContaining([
        KEY,
        `${KEY}-sub`,
        `${KEY}-1001`,
        `${KEY}-1002`,
        `${KEY}-dev`,
        c.confirmation.secret,
      ]),
    );
  });

  it("trims surrounding whitespace (a trailing newline from a file)", () => {
    expect(loadConfig({ DIGICERT_PARTNER_API_KEY: ` ${KEY}\n` }, []).credentials.parentKey).toBe(KEY);
  });

  it.each(["DIGICERT_PARTNER_API_KEY", "DIGICERT_SUBACCOUNT_API_KEY", "DIGICERT_DEVKEY", "MCP_HTTP_TOKEN"])(
    "refuses %s set but empty or blank",
    (name) => {
      for (const value of ["", "   ", "\n"]) {
        expectConfigError(() => loadConfig({ [name]: value }, []), new RegExp(`${name} is set but empty`));
      }
    },
  );

  it.each([
    "${user_config.api_key}",
    "${DIGICERT_PARTNER_API_KEY}",
    "prefix-${x}",
    "__encrypted__:AbCdEf0123==",
    "<your key>",
    "<YOUR_API_KEY>",
    "{{ api_key }}",
    "$DIGICERT_PARTNER_API_KEY",
    "%DIGICERT_PARTNER_API_KEY%",
    "your-api-key",
    "YOUR_API_KEY_HERE",
    "changeme",
    "xxxxxxxx",
  ])("refuses the placeholder %j as a key, without echoing it", (value) => {
    for (const name of ["DIGICERT_PARTNER_API_KEY", "DIGICERT_SUBACCOUNT_API_KEY", "DIGICERT_DEVKEY"]) {
      const e = expectConfigError(() => loadConfig({ [name]: value }, []), /placeholder/);
      expect(e.message).toContain(name);
    }
    expectConfigError(
      () => loadConfig({ DIGICERT_SUBACCOUNT_API_KEYS: JSON.stringify({ "12": value }) }, []),
      /placeholder/,
    );
  });

  it("refuses the unexpanded placeholder for the whole subaccount map", () => {
    expectConfigError(
      () => loadConfig({ DIGICERT_SUBACCOUNT_API_KEYS: "${user_config.subaccount_keys}" }, []),
      /DIGICERT_SUBACCOUNT_API_KEYS looks like an unexpanded placeholder/,
    );
  });

  it("refuses a key with inner spaces or non-ASCII characters", () => {
    expectConfigError(
      () => loadConfig({ DIGICERT_DEVKEY: "abc def ghi" }, []),
      /cannot be sent in an HTTP header/,
    );
    expectConfigError(
      () => loadConfig({ DIGICERT_DEVKEY: "abcdé12345" }, []),
      /cannot be sent in an HTTP header/,
    );
  });

  it.each([
    ["not JSON", "{1001: abc}", /is not valid JSON/],
    ["an array", '["abc"]', /not an object/],
    ["a string", '"abc"', /not an object/],
    ["null", "null", /placeholder/],
    ["an empty object", "{}", /empty object/],
    ["a non-integer id", '{"acme":"abc123456"}', /not a subaccount id/],
    ["a negative id", '{"-5":"abc123456"}', /not a subaccount id/],
    ["a zero id", '{"0":"abc123456"}', /not a subaccount id/],
    ["a fractional id", '{"1.5":"abc123456"}', /not a subaccount id/],
    ["a numeric key", '{"1001":12345}', /not a string/],
    ["an empty key", '{"1001":""}', /set but empty/],
    ["a blank key", '{"1001":"  "}', /set but empty/],
    ["an empty value", "", /set but empty/],
  ])("refuses DIGICERT_SUBACCOUNT_API_KEYS that is %s", (_what, value, pattern) => {
    const e = expectConfigError(() => loadConfig({ DIGICERT_SUBACCOUNT_API_KEYS: value }, []), pattern);
    expect(e.message).toContain("DIGICERT_SUBACCOUNT_API_KEYS");
  });

  it("never repeats key material from malformed JSON in the error", () => {
    const secret = "sk_live_SUPERSECRET_abcdef";
    const e = expectConfigError(
      () => loadConfig({ DIGICERT_SUBACCOUNT_API_KEYS: `{"1001": ${secret}}` }, []),
      /not valid JSON/,
    );
    expect(e.message).not.toContain("SUPERSECRET");
  });

  it("--sandbox forces the sandbox and ignores configured keys, with a warning", () => {
    const c = loadConfig({ DIGICERT_PARTNER_API_KEY: KEY }, ["--sandbox"]);
    expect(c.sandbox).toBe("forced");
    expect(c.credentials).toEqual({});
    expect(c.warnings.join(" ")).toMatch(/not used/);
    expect(loadConfig({ DIGICERT_SANDBOX: "true", DIGICERT_PARTNER_API_KEY: KEY }, []).sandbox).toBe(
      "forced",
    );
    expectConfigError(() => loadConfig({}, ["--sandbox", "--base-url", "https://x.example"]), /contradict/);
  });
});

describe("loadConfig: base URL and timeouts", () => {
  it("accepts an origin from the environment or the flag (flag wins)", () => {
    const env = { DIGICERT_PARTNER_API_KEY: KEY, DIGICERT_BASE_URL: "https://www.digicert.com/" };
    expect(loadConfig(env, []).baseUrl).toBe("https://www.digicert.com");
    expect(loadConfig(env, ["--base-url=https://digicert.example:8443"]).baseUrl).toBe(
      "https://digicert.example:8443",
    );
  });

  it.each([
    ["not-a-url", /is not a URL/],
    ["ftp://x.example", /http\(s\)/],
    ["https://www.digicert.com/partner-subscription/api/v1", /without a path/],
    ["https://user:pw@x.example", /credentials/],
  ])("refuses the base URL %s", (url, pattern) => {
    expectConfigError(() => loadConfig({ DIGICERT_BASE_URL: url }, []), pattern);
  });

  it("warns about plain http to a remote host", () => {
    expect(loadConfig({ DIGICERT_BASE_URL: "http://sandbox.internal:8089" }, []).warnings.join()).toMatch(
      /unencrypted/,
    );
    expect(loadConfig({ DIGICERT_BASE_URL: "http://127.0.0.1:8089" }, []).warnings).toEqual([]);
  });

  it("reads the timeouts", () => {
    const c = loadConfig(
      {
        DIGICERT_TIMEOUT_MS: "30000",
        DIGICERT_CONNECT_TIMEOUT_MS: "2000",
        DIGICERT_HEADERS_TIMEOUT_MS: "10000",
        DIGICERT_BODY_TIMEOUT_MS: "11000",
      },
      [],
    );
    expect(c.timeouts).toEqual({ totalMs: 30_000, connectMs: 2_000, headersMs: 10_000, bodyMs: 11_000 });
    expect(loadConfig({}, []).timeouts).toEqual({});
    expectConfigError(
      () => loadConfig({ DIGICERT_TIMEOUT_MS: "soon" }, []),
      /DIGICERT_TIMEOUT_MS must be a whole/,
    );
    expectConfigError(() => loadConfig({ DIGICERT_TIMEOUT_MS: "0" }, []), /between/);
    expectConfigError(() => loadConfig({ DIGICERT_TIMEOUT_MS: "-5" }, []), /whole number/);
  });
});

describe("loadConfig: tools and confirmation", () => {
  it("reads read-only, toolsets, tools and exclusions from env and flags", () => {
    const env = {
      DIGICERT_READ_ONLY: "true",
      DIGICERT_TOOLSETS: "acme, account",
      DIGICERT_TOOLS: "get_api_key",
      DIGICERT_EXCLUDE_TOOLS: "cancel_acme_contract,remove_sans",
    };
    const c = loadConfig(env, []);
    expect(c.readOnly).toBe(true);
    expect(c.toolsets).toEqual(["acme", "account"]);
    expect(c.tools).toEqual(["get_api_key"]);
    expect(c.excludeTools).toEqual(["cancel_acme_contract", "remove_sans"]);
    const f = loadConfig({}, [
      "--read-only",
      "--toolsets",
      "reporting,finance",
      "--tools=list_api_keys",
      "--exclude-tools",
      "link_billing_account",
    ]);
    expect(f.readOnly).toBe(true);
    expect(f.toolsets).toEqual(["reporting", "finance"]);
    expect(f.tools).toEqual(["list_api_keys"]);
    expect(f.excludeTools).toEqual(["link_billing_account"]);
    expect(loadConfig({ DIGICERT_TOOLSETS: "all" }, []).toolsets).toBeUndefined();
    expect(loadConfig({ DIGICERT_READ_ONLY: "0" }, []).readOnly).toBe(false);
    expect(loadConfig({ DIGICERT_READ_ONLY: "" }, []).readOnly).toBe(false);
  });

  it("refuses unknown toolsets, malformed tool names and non-boolean switches", () => {
    expectConfigError(() => loadConfig({}, ["--toolsets", "acme,dns"]), /unknown toolset "dns"/);
    expectConfigError(() => loadConfig({ DIGICERT_TOOLSETS: " , " }, []), /empty/);
    expectConfigError(() => loadConfig({ DIGICERT_TOOLS: "Get-Thing" }, []), /not a tool name/);
    expectConfigError(() => loadConfig({ DIGICERT_READ_ONLY: "maybe" }, []), /true or false/);
  });

  it("disables confirmation only when asked explicitly", () => {
    expect(loadConfig({}, ["--no-confirmation"]).confirmation.mode).toBe("disabled");
    expect(loadConfig({ MCP_CONFIRMATION: "disabled" }, []).confirmation.mode).toBe("disabled");
    expect(loadConfig({ MCP_CONFIRMATION: "required" }, []).confirmation.mode).toBe("required");
    expect(loadConfig({}, ["--no-confirmation"]).warnings.join()).toMatch(/disabled/);
    expectConfigError(() => loadConfig({ MCP_CONFIRMATION: "off" }, []), /"required" or "disabled"/);
  });

  it("reads the confirmation secret and TTL", () => {
    const secret = "confirmation-secret-0123456789abcdef";
    const c = loadConfig({ MCP_CONFIRMATION_SECRET: secret, MCP_CONFIRMATION_TTL_MS: "60000" }, []);
    expect(c.confirmation).toEqual({
      mode: "required",
      secret,
      secretFromEnv: true,
      ttlMs: 60_000,
      binding: "session",
    });
    expect(c.secrets).toContain(secret);
    expectConfigError(() => loadConfig({ MCP_CONFIRMATION_SECRET: "short" }, []), /too short/);
    expectConfigError(
      () => loadConfig({ MCP_CONFIRMATION_SECRET: "${user_config.secret}" }, []),
      /placeholder/,
    );
  });

  it("reads the confirmation binding: session by default, caller only over HTTP", () => {
    expect(loadConfig({ MCP_HTTP_TOKEN: TOKEN }, ["--http"]).confirmation.binding).toBe("session");
    const http = loadConfig({ MCP_HTTP_TOKEN: TOKEN, MCP_CONFIRMATION_BINDING: "Caller" }, ["--http"]);
    expect(http.confirmation.binding).toBe("caller");
    expectConfigError(() => loadConfig({ MCP_CONFIRMATION_BINDING: "caller" }, []), /needs --http/);
    expectConfigError(
      () => loadConfig({ MCP_CONFIRMATION_BINDING: "anyone" }, ["--http"]),
      /must be "session" or "caller"/,
    );
  });

  it("resolves the data directory", () => {
    expect(loadConfig({ DIGICERT_DATA_DIR: "/var/lib/dc" }, []).dataDir).toBe("/var/lib/dc");
    expect(loadConfig({ DIGICERT_DATA_DIR: "data" }, []).dataDir).toBe(resolve("data"));
    expect(loadConfig({}, []).dataDir).toBeUndefined();
  });

  it("reads the log level", () => {
    expect(loadConfig({ LOG_LEVEL: "debug" }, []).logLevel).toBe("debug");
    expect(loadConfig({ LOG_LEVEL: "debug" }, ["--log-level", "WARN"]).logLevel).toBe("warn");
    expectConfigError(() => loadConfig({ LOG_LEVEL: "verbose" }, []), /LOG_LEVEL must be one of/);
  });

  it("refuses unexpanded placeholders in plain settings, treats empty as unset", () => {
    expectConfigError(() => loadConfig({ DIGICERT_BASE_URL: "${user_config.base_url}" }, []), /placeholder/);
    expect(loadConfig({ DIGICERT_BASE_URL: "", LOG_LEVEL: "" }, []).baseUrl).toBeUndefined();
  });
});

describe("loadConfig: HTTP", () => {
  it("reads every HTTP setting", () => {
    const c = loadConfig(
      {
        MCP_TRANSPORT: "http",
        MCP_HTTP_TOKEN: `${TOKEN},${TOKEN}-second`,
        MCP_HTTP_HOST: "0.0.0.0",
        MCP_HTTP_PORT: "8080",
        MCP_HTTP_STATELESS: "yes",
        MCP_ALLOWED_ORIGINS: "https://app.example.com, http://localhost:8080",
        MCP_ALLOWED_HOSTS: "mcp.example.com,mcp.example.com:8080",
        MCP_HTTP_MAX_BODY_BYTES: "2048",
        MCP_HTTP_SESSION_IDLE_MS: "5000",
        MCP_HTTP_MAX_SESSIONS: "7",
        MCP_HTTP_MAX_SESSIONS_PER_TOKEN: "3",
        MCP_HTTP_RATE_LIMIT: "90",
        MCP_HTTP_RATE_BURST: "9",
      },
      [],
    );
    expect(c.transport).toBe("http");
    expect(c.http).toEqual({
      host: "0.0.0.0",
      port: 8080,
      tokens: [TOKEN, `${TOKEN}-second`],
      hashedTokens: [],
      rateLimit: { perMinute: 90, burst: 9 },
      stateless: true,
      allowedOrigins: ["https://app.example.com", "http://localhost:8080"],
      allowedHosts: ["mcp.example.com", "mcp.example.com:8080"],
      maxBodyBytes: 2048,
      sessionIdleMs: 5000,
      maxSessions: 7,
      maxSessionsPerToken: 3,
    });
    expect(c.secrets).toEqual(expect.arrayContaining([TOKEN, `${TOKEN}-second`]));
  });

  it("flags win over the environment", () => {
    const c = loadConfig({ MCP_HTTP_TOKEN: TOKEN, MCP_HTTP_PORT: "8080", MCP_HTTP_HOST: "0.0.0.0" }, [
      "--http",
      "--port",
      "0",
      "--host",
      "::1",
      "--stateless",
    ]);
    expect(c.transport).toBe("http");
    expect(c.http).toMatchObject({ port: 0, host: "::1", stateless: true });
  });

  it("requires a token for --http, whatever the address", () => {
    expectConfigError(() => loadConfig({}, ["--http"]), /--http needs MCP_HTTP_TOKEN/);
    const e = expectConfigError(() => loadConfig({}, ["--http", "--host", "0.0.0.0"]), /MCP_HTTP_TOKEN/);
    expect(e.message).toMatch(/reachable from other machines/);
    expectConfigError(() => loadConfig({ MCP_HTTP_TOKEN: "short" }, ["--http"]), /too short/);
    expectConfigError(
      () => loadConfig({ MCP_HTTP_TOKEN: "${user_config.token}" }, ["--http"]),
      /placeholder/,
    );
  });

  it("refuses bad ports, hosts, origins and transports", () => {
    const env = { MCP_HTTP_TOKEN: TOKEN };
    expectConfigError(() => loadConfig(env, ["--http", "--port", "70000"]), /--port must be between/);
    expectConfigError(() => loadConfig(env, ["--http", "--port", "http"]), /--port must be a whole number/);
    expectConfigError(() => loadConfig({ ...env, MCP_HTTP_PORT: "x" }, ["--http"]), /MCP_HTTP_PORT/);
    expectConfigError(() => loadConfig(env, ["--http", "--host", "a b"]), /not a host/);
    expectConfigError(() => loadConfig({ ...env, MCP_ALLOWED_ORIGINS: "*" }, ["--http"]), /not allowed/);
    expectConfigError(
      () => loadConfig({ ...env, MCP_ALLOWED_ORIGINS: "https://x.example/path" }, ["--http"]),
      /not an origin/,
    );
    expectConfigError(() => loadConfig({ ...env, MCP_ALLOWED_HOSTS: "a b" }, ["--http"]), /not a host/);
    expectConfigError(() => loadConfig({ MCP_TRANSPORT: "sse" }, []), /MCP_TRANSPORT/);
  });

  it("warns when a non-loopback bind has no host allow-list", () => {
    const c = loadConfig({ MCP_HTTP_TOKEN: TOKEN }, ["--http", "--host", "0.0.0.0"]);
    expect(c.warnings.join()).toMatch(/MCP_ALLOWED_HOSTS/);
  });
});

describe("argv", () => {
  it.each([
    "--api-key",
    "--api-key=abc",
    "--apikey",
    "--partner-api-key",
    "--devkey",
    "--token",
    "--http-token=abc",
    "--confirmation-secret",
    "--password",
    "-k",
  ])("refuses the secret-looking flag %s and says why", (flag) => {
    if (flag === "-k") {
      expectConfigError(() => loadConfig({}, [flag]), /unexpected argument/);
      return;
    }
    const e = expectConfigError(() => loadConfig({}, [flag, "abc"]), /not accepted on the command line/);
    expect(e.message).toMatch(/environment/);
    expect(e.message).toContain("DIGICERT_PARTNER_API_KEY");
    expect(e.message).not.toContain("abc");
  });

  it("refuses unknown flags, stray arguments and missing values", () => {
    expectConfigError(() => loadConfig({}, ["--verbose"]), /unknown option --verbose/);
    expectConfigError(() => loadConfig({}, ["serve"]), /unexpected argument/);
    expectConfigError(() => loadConfig({}, ["--port"]), /--port needs a value/);
    expectConfigError(() => loadConfig({}, ["--toolsets", "--read-only"]), /--toolsets needs a value/);
    expectConfigError(() => loadConfig({}, ["--read-only=yes"]), /takes no value/);
    expectConfigError(() => loadConfig({}, ["--read-only", "sandbox"]), /must come first/);
  });

  it("recognises help, version and the sandbox subcommand", () => {
    expect(parseArgv(["--help"]).command).toBe("help");
    expect(parseArgv(["-h"]).command).toBe("help");
    expect(parseArgv(["--version"]).command).toBe("version");
    expect(parseArgv(["--version", "--help"]).command).toBe("help");
    expect(parseArgv(["sandbox", "--port", "9000"])).toEqual({
      command: "sandbox",
      values: {},
      rest: ["--port", "9000"],
    });
    expectConfigError(() => loadConfig({}, ["--help"]), /not to serve/);
  });
});

describe("documentation", () => {
  it("--help lists every flag and environment variable", () => {
    const help = helpText("1.2.3");
    expect(help).toContain("1.2.3");
    for (const s of SETTINGS) {
      if (s.env) expect(help).toContain(s.env);
      if (s.flag) expect(help).toContain(s.flag);
    }
    for (const flag of [
      "--read-only",
      "--toolsets",
      "--tools",
      "--exclude-tools",
      "--http",
      "--port",
      "--host",
      "--stateless",
      "--log-level",
      "--base-url",
      "--sandbox",
      "--no-confirmation",
      "--help",
      "--version",
      "sandbox [--port N]",
    ]) {
      expect(help).toContain(flag);
    }
    for (const env of [
      "DIGICERT_PARTNER_API_KEY",
      "DIGICERT_SUBACCOUNT_API_KEY",
      "DIGICERT_SUBACCOUNT_API_KEYS",
      "DIGICERT_DEVKEY",
      "DIGICERT_BASE_URL",
      "MCP_HTTP_TOKEN",
      "DIGICERT_TIMEOUT_MS",
      "LOG_LEVEL",
      "DIGICERT_READ_ONLY",
      "DIGICERT_TOOLSETS",
      "DIGICERT_TOOLS",
      "DIGICERT_EXCLUDE_TOOLS",
      "MCP_CONFIRMATION_SECRET",
      "MCP_CONFIRMATION",
      "DIGICERT_DATA_DIR",
      "MCP_HTTP_HOST",
      "MCP_HTTP_PORT",
      "MCP_ALLOWED_ORIGINS",
      "MCP_ALLOWED_HOSTS",
    ]) {
      expect(help).toContain(env);
    }
  });

  it("every environment variable the code reads is in the table, and secrets have no flag", () => {
    const dir = resolve(import.meta.dirname, "../../src/config");
    const source = readdirSync(dir)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => readFileSync(resolve(dir, f), "utf8"))
      .join("\n");
    expect(source).toContain('env: "DIGICERT_PARTNER_API_KEY"');
    for (const s of SETTINGS) if (s.secret) expect(s.flag).toBeUndefined();
    const envs = new Set(SETTINGS.map((s) => s.env).filter(Boolean));
    const names = new Set(SETTINGS.map((s) => s.env ?? s.flag));
    expect(names.size).toBe(SETTINGS.length);
    for (const m of source.matchAll(/env: "([A-Z_]+)"/g)) expect(envs.has(m[1] as string)).toBe(true);
  });

  it("the README's configuration table is the one generated from the settings", () => {
    const readmePath = resolve(import.meta.dirname, "../../README.md");
    const readme = readFileSync(readmePath, "utf8");
    const start =
      "<!-- config-table:start (generated from src/config/settings.ts; see test/cli/config.test.ts) -->";
    const end = "<!-- config-table:end -->";
    const a = readme.indexOf(start);
    const b = readme.indexOf(end);
    expect(a, "README.md lacks the configuration table markers").toBeGreaterThan(-1);
    expect(b).toBeGreaterThan(a);
    const current = readme.slice(a + start.length, b).trim();
    // To refresh the table after changing SETTINGS: UPDATE_README=1 npx vitest run test/cli/config.test.ts
    if (
      process.env.UPDATE_README === "1" &&
      normalizeTable(current) !== normalizeTable(configurationMarkdown())
    ) {
      writeFileSync(
        readmePath,
        `${readme.slice(0, a + start.length)}\n${configurationMarkdown()}\n${readme.slice(b)}`,
      );
      // Biome formats Markdown tables (pads the columns); keep the file as `biome check` wants it.
      execFileSync(process.execPath, [
        resolve(import.meta.dirname, "../../node_modules/@biomejs/biome/bin/biome"),
        "format",
        "--write",
        readmePath,
      ]);
      return;
    }
    expect(normalizeTable(current)).toBe(normalizeTable(configurationMarkdown()));
  });
});

describe("--mcpb (Claude Desktop extension)", () => {
  // What an MCP Bundle host passes for fields the user left blank: "" or the literal placeholder.
  const blanks = {
    DIGICERT_PARTNER_API_KEY: "",
    DIGICERT_SUBACCOUNT_API_KEY: "${user_config.subaccount_api_key}",
    DIGICERT_DEVKEY: " ",
    DIGICERT_BASE_URL: "${user_config.base_url}",
    DIGICERT_READ_ONLY: "false",
    DIGICERT_TOOLSETS: "all",
  };

  it("treats blank and unexpanded user_config values as unset, so the sandbox starts", () => {
    const c = loadConfig(blanks, ["--mcpb"]);
    expect(c.sandbox).toBe("no-keys");
    expect(c.credentials).toEqual({});
    expect(c.baseUrl).toBeUndefined();
  });

  it("uses the keys the user did enter", () => {
    const c = loadConfig({ ...blanks, DIGICERT_PARTNER_API_KEY: KEY }, ["--mcpb"]);
    expect(c.sandbox).toBe(false);
    expect(c.credentials).toEqual({ parentKey: KEY });
  });

  it("still refuses a secret the host failed to decrypt, and blanks without --mcpb", () => {
    expectConfigError(
      () => loadConfig({ ...blanks, DIGICERT_PARTNER_API_KEY: "__encrypted__:AAAA" }, ["--mcpb"]),
      /placeholder/,
    );
    expectConfigError(() => loadConfig(blanks, []), /set but empty|placeholder/);
  });
});

/** A Markdown table without the column padding a formatter adds, so only the content is compared. */
function normalizeTable(table: string): string {
  return table
    .split("\n")
    .map((line) =>
      line
        .trim()
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replace(/^-{3,}$/, "---"))
        .join("|"),
    )
    .join("\n");
}
