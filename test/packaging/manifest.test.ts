import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getMcpConfigForManifest, MANIFEST_SCHEMAS } from "@anthropic-ai/mcpb";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig, SETTINGS, TOOLSETS } from "../../src/config.js";
import { OPERATIONS } from "../../src/operations/index.js";
import { CLI, connectStdio, type Manifest, ROOT, requireBuilt } from "./helpers.js";

// manifest.json is the MCP Bundle manifest Claude Desktop reads. Its `tools` list is generated from the
// server's own tools/list (scripts/generate-manifest.mjs); this test fails as soon as they differ, so the
// list cannot drift from the code.

const manifest = JSON.parse(readFileSync(join(ROOT, "manifest.json"), "utf8")) as Manifest;
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  description: string;
  engines: { node: string };
  bin: Record<string, string>;
};
/** `${name}` as MCPB writes it (built, so it is not mistaken for a template literal). */
const variable = (name: string) => `$\{${name}}`;
const ENV_NAMES = new Set(SETTINGS.map((s) => s.env).filter((e): e is string => typeof e === "string"));

/** What Claude Desktop computes from the manifest (the @anthropic-ai/mcpb code it uses) for these settings. */
async function hostConfig(userConfig: Record<string, string | number | boolean>) {
  const config = await getMcpConfigForManifest({
    manifest: manifest as unknown as Parameters<typeof getMcpConfigForManifest>[0]["manifest"],
    extensionPath: "/Applications/Claude/extensions/digicert-partner-mcp",
    systemDirs: { HOME: "/home/user", DESKTOP: "/home/user/Desktop", DOCUMENTS: "/home/user/Documents" },
    userConfig,
    pathSeparator: "/",
  });
  if (!config) throw new Error("no MCP config for the manifest");
  return { command: config.command, args: config.args ?? [], env: config.env ?? {} };
}

describe("manifest.json", () => {
  it("passes the MCPB schema of its manifest_version (0.3)", () => {
    expect(manifest.manifest_version).toBe("0.3");
    const result = MANIFEST_SCHEMAS["0.3"].safeParse(manifest);
    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
  });

  it("describes this package: name, version, Node runtime", () => {
    expect(manifest.name).toBe(pkg.name);
    expect(manifest.version).toBe(pkg.version);
    expect(manifest.compatibility.runtimes.node).toBe(pkg.engines.node);
    expect(manifest.compatibility.platforms.sort()).toEqual(["darwin", "linux", "win32"]);
  });

  it("runs the package's bin (the bundled server) with node, in MCPB mode", () => {
    expect(manifest.server.type).toBe("node");
    expect(manifest.server.entry_point).toBe(pkg.bin[pkg.name]);
    expect(manifest.server.entry_point).toBe("dist/bin/cli.js");
    expect(manifest.server.mcp_config.command).toBe("node");
    expect(manifest.server.mcp_config.args).toEqual([`${variable("__dirname")}/dist/bin/cli.js`, "--mcpb"]);
  });

  it("maps every setting to a variable the server reads, and every variable to a declared setting", () => {
    const env = manifest.server.mcp_config.env;
    const used = new Set<string>();
    for (const [name, value] of Object.entries(env)) {
      expect(ENV_NAMES.has(name), name).toBe(true);
      const m = /^\$\{user_config\.([a-z_]+)\}$/.exec(value);
      expect(m, `${name}=${value}`).not.toBeNull();
      const key = (m as RegExpExecArray)[1] as string;
      expect(manifest.user_config[key], key).toBeDefined();
      used.add(key);
    }
    expect([...used].sort()).toEqual(Object.keys(manifest.user_config).sort());
    expect(env.DIGICERT_PARTNER_API_KEY).toBe(variable("user_config.partner_api_key"));
    expect(env.DIGICERT_SUBACCOUNT_API_KEY).toBe(variable("user_config.subaccount_api_key"));
    expect(env.DIGICERT_SUBACCOUNT_API_KEYS).toBe(variable("user_config.subaccount_api_keys"));
    expect(env.DIGICERT_DEVKEY).toBe(variable("user_config.devkey"));
  });

  it("every key variable the server's error hints name can be set from the extension", () => {
    // the hints a user of the extension reads (src/client): "add it to DIGICERT_SUBACCOUNT_API_KEYS", …
    const named = new Set<string>();
    for (const file of [
      "src/client/credentials.ts",
      "src/client/client.ts",
      "src/mcp/reporting/prompts.ts",
    ]) {
      const text = readFileSync(join(ROOT, file), "utf8");
      // variables only: DIGICERT_ORIGIN is a constant of client.ts
      for (const m of text.matchAll(/\bDIGICERT_[A-Z_]+\b/g)) if (m[0] !== "DIGICERT_ORIGIN") named.add(m[0]);
    }
    expect(named).toContain("DIGICERT_SUBACCOUNT_API_KEYS");
    const settable = new Set(Object.keys(manifest.server.mcp_config.env));
    expect([...named].filter((n) => !settable.has(n))).toEqual([]);
  });

  it("asks for the keys (several subaccount keys too) as optional, sensitive strings", () => {
    for (const key of ["partner_api_key", "subaccount_api_key", "subaccount_api_keys", "devkey"]) {
      const option = manifest.user_config[key];
      expect(option?.type).toBe("string");
      expect(option?.sensitive, key).toBe(true);
      expect(option?.required, key).toBe(false);
    }
    const toolsets = manifest.user_config.toolsets?.description ?? "";
    for (const t of TOOLSETS) expect(toolsets).toContain(t);
  });

  it("with every setting left blank, no placeholder reaches the server and it runs on the sandbox", async () => {
    const { args, env } = await hostConfig({});
    expect(args).toEqual(["/Applications/Claude/extensions/digicert-partner-mcp/dist/bin/cli.js", "--mcpb"]);
    for (const [name, value] of Object.entries(env)) expect(value, name).not.toContain("${");
    const config = loadConfig(env, args.slice(1));
    expect(config.sandbox).toBe("no-keys");
    expect(config.readOnly).toBe(false);
    expect(config.toolsets).toBeUndefined();
  });

  it("a host that leaves blanks unexpanded (no defaults) still starts on the sandbox under --mcpb", () => {
    const env = Object.fromEntries(Object.entries(manifest.server.mcp_config.env));
    const config = loadConfig(env, ["--mcpb"]);
    expect(config.sandbox).toBe("no-keys");
  });

  it("passes the settings a user fills in", async () => {
    const key = "k".repeat(40);
    const { args, env } = await hostConfig({
      partner_api_key: key,
      subaccount_api_key: `s${key}`,
      subaccount_api_keys: JSON.stringify({ "1001": `a${key}`, "1002": `b${key}` }),
      devkey: `d${key}`,
      base_url: "https://www.digicert.com",
      read_only: true,
      toolsets: "acme,account",
    });
    const config = loadConfig(env, args.slice(1));
    expect(config.sandbox).toBe(false);
    expect(config.credentials).toEqual({
      parentKey: key,
      subaccountKey: `s${key}`,
      subaccountKeys: { "1001": `a${key}`, "1002": `b${key}` },
      devkey: `d${key}`,
    });
    expect(config.baseUrl).toBe("https://www.digicert.com");
    expect(config.readOnly).toBe(true);
    expect(config.toolsets).toEqual(["acme", "account"]);
  });

  describe("tools", () => {
    let tools: Tool[];
    let prompts: number;
    let stderr: string;
    beforeAll(async () => {
      requireBuilt();
      // The server exactly as the bundle starts it, no key: all toolsets, not read-only.
      const session = await connectStdio({ command: process.execPath, args: [CLI, "--mcpb"], env: {} });
      tools = session.tools;
      prompts = session.client.getServerCapabilities()?.prompts
        ? (await session.client.listPrompts()).prompts.length
        : 0;
      stderr = session.stderr();
      await session.close();
    }, 30_000);

    it("lists exactly the server's tools/list, in order, with the same descriptions", () => {
      const hint = "run `npm run build && node scripts/generate-manifest.mjs`";
      expect(
        manifest.tools.map((t) => t.name),
        hint,
      ).toEqual(tools.map((t) => t.name));
      expect(manifest.tools, hint).toEqual(tools.map((t) => ({ name: t.name, description: t.description })));
      expect(stderr).toContain("sandbox");
    });

    it("flags that the server offers prompts (prompts_generated) exactly when it does", () => {
      expect(manifest.prompts_generated ?? false).toBe(prompts > 0);
    });

    it("covers every operation of the catalog", () => {
      const names = new Set(manifest.tools.map((t) => t.name));
      const missing = OPERATIONS.map((op) => op.name).filter((n) => !names.has(n));
      expect(missing).toEqual([]);
    });
  });
});
