import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_MAX_BODY_BYTES, loadConfig, parseArgv, SETTINGS } from "../../src/config.js";
import { CLI, connectStdio, ROOT, requireBuilt } from "./helpers.js";

// The snippets of docs/clients.md are checked against the code: each JSON snippet parses and has the shape
// its client expects, every variable and flag it names exists, placeholders left in place are refused, and
// each local (stdio) snippet really starts the server (on the sandbox, keys removed) and lists tools.

const DOC = readFileSync(join(ROOT, "docs/clients.md"), "utf8");
const PKG = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { name: string }).name;
const ENV_NAMES = new Set(SETTINGS.map((s) => s.env).filter((e): e is string => typeof e === "string"));
/** Variables the doc names on the client side (not read by the server). */
const CLIENT_SIDE = new Set(["DIGICERT_MCP_TOKEN"]);

function blocks(lang: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, "g");
  for (const m of DOC.matchAll(re)) out.push(m[1] as string);
  return out;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

interface StdioEntry {
  where: string;
  command: string;
  args: string[];
  env: Record<string, string>;
}

const stdioEntries: StdioEntry[] = [];
const httpEntries: { where: string; url: string; headers: Record<string, string> }[] = [];

/** Values the client itself fills in: VS Code inputs, Cursor ${env:…}, Claude Code ${VAR}. */
const INTERPOLATION = /^\$\{(input:[a-z0-9-]+|env:[A-Z_][A-Z0-9_]*|[A-Z_][A-Z0-9_]*)\}$/;

function collectServers(servers: JsonObject, where: string, vscode: boolean): void {
  for (const [name, entry] of Object.entries(servers)) {
    expect(isObject(entry), `${where} ${name}`).toBe(true);
    const e = entry as JsonObject;
    if (typeof e.url === "string") {
      if (vscode) expect(e.type, `${where}: VS Code needs type http`).toBe("http");
      const headers = (e.headers ?? {}) as Record<string, string>;
      httpEntries.push({ where: `${where} ${name}`, url: e.url, headers });
      continue;
    }
    if (vscode) expect(e.type, `${where}: VS Code needs type stdio`).toBe("stdio");
    expect(typeof e.command, `${where} ${name}: command`).toBe("string");
    const args = (e.args ?? []) as Json[];
    expect(args.every((a) => typeof a === "string")).toBe(true);
    const env = (e.env ?? {}) as Record<string, string>;
    stdioEntries.push({
      where: `${where} ${name}`,
      command: e.command as string,
      args: args as string[],
      env,
    });
  }
}

for (const [i, text] of blocks("json").entries()) {
  const where = `json snippet #${i + 1}`;
  const doc = JSON.parse(text) as JsonObject;
  if (isObject(doc.servers)) {
    // VS Code: every ${input:id} is declared, masked
    const inputs = (doc.inputs ?? []) as JsonObject[];
    const declared = new Map(inputs.map((inp) => [inp.id as string, inp]));
    for (const m of text.matchAll(/\$\{input:([a-z0-9-]+)\}/g)) {
      const input = declared.get(m[1] as string);
      expect(input, `${where}: input ${m[1]} declared`).toBeDefined();
      expect(input?.type).toBe("promptString");
      expect(input?.password).toBe(true);
    }
    collectServers(doc.servers, where, true);
  } else if (isObject(doc.mcpServers)) {
    collectServers(doc.mcpServers, where, false);
  } else {
    throw new Error(`${where}: neither "servers" (VS Code) nor "mcpServers"`);
  }
}

/**
 * The installed bin, `node …/dist/bin/cli.js` (a checkout) or `npx --no-install digicert-partner-mcp` (an
 * installed package) → the server's own arguments. `npx -y` is not accepted: the package is not published
 * yet, so a snippet must not silently depend on the registry.
 */
function serverArgs(command: string, args: string[]): string[] {
  if (command === PKG) return args;
  if (command === "node") {
    expect(args[0]).toMatch(/^\/absolute\/path\/to\/digicert-partner-mcp\/dist\/bin\/cli\.js$/);
    return args.slice(1);
  }
  expect(command).toMatch(/(^|\/)npx$/);
  const rest = [...args];
  expect(rest.shift(), "npx without --no-install would fetch the unpublished package").toBe("--no-install");
  expect(rest.shift()).toBe(PKG);
  return rest;
}

/** Every command line that starts the server (`digicert-partner-mcp …`, `npx …`) or adds it (`claude mcp add`). */
function commandLines(): string[] {
  const text = [...blocks("sh"), ...blocks("ini")].join("\n").replace(/\s*\\\n\s*/g, " ");
  return text
    .split("\n")
    .map((l) => l.replace(/^ExecStart=/, "").trim())
    .filter((l) => {
      const command = l.split(/\s+/).find((w) => !/^[A-Z_]+=/.test(w)) ?? "";
      return /^(claude|(\/usr\/bin\/)?npx|digicert-partner-mcp)$/.test(command);
    });
}

describe("docs/clients.md", () => {
  it("has snippets for every client", () => {
    expect(stdioEntries.length).toBeGreaterThanOrEqual(5);
    expect(httpEntries.length).toBeGreaterThanOrEqual(2);
    for (const heading of ["Claude Desktop", "Claude Code", "VS Code", "Cursor", "reverse proxy"]) {
      expect(DOC).toMatch(new RegExp(`^##+ .*${heading}`, "m"));
    }
  });

  it("names only variables the server reads", () => {
    const named = new Set([...DOC.matchAll(/\b((?:DIGICERT|MCP)_[A-Z0-9_]+)\b/g)].map((m) => m[1] as string));
    const unknown = [...named].filter((n) => !ENV_NAMES.has(n) && !CLIENT_SIDE.has(n));
    expect(unknown).toEqual([]);
  });

  it("local snippets run the published package with valid flags and known variables", () => {
    for (const entry of stdioEntries) {
      const args = serverArgs(entry.command, entry.args);
      expect(parseArgv(args).command, entry.where).toBe("serve");
      for (const [name, value] of Object.entries(entry.env)) {
        expect(ENV_NAMES.has(name), `${entry.where}: ${name}`).toBe(true);
        if (INTERPOLATION.test(value)) continue;
        // A placeholder pasted as is must be refused with a clear message, never sent to DigiCert.
        expect(() => loadConfig({ [name]: value }, args), `${entry.where}: ${name}=${value}`).toThrow(
          ConfigError,
        );
      }
    }
  });

  it("command lines use real flags and variables", () => {
    const lines = commandLines();
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) {
      const words = line.split(/\s+/);
      if (words[0] === "claude") {
        expect(words.slice(0, 3)).toEqual(["claude", "mcp", "add"]);
        // the name first: Claude Code's --env and --header take several values and would swallow it
        expect(words[3], line).toBe("digicert");
        for (const m of line.matchAll(/--env ([A-Z_0-9]+)=/g))
          expect(ENV_NAMES.has(m[1] as string)).toBe(true);
        const transport = /--transport (\w+)/.exec(line)?.[1];
        expect(["stdio", "http"]).toContain(transport);
        if (transport === "stdio") {
          const dash = words.indexOf("--");
          expect(dash, line).toBeGreaterThan(0);
          const [command, ...args] = words.slice(dash + 1);
          expect(parseArgv(serverArgs(command as string, args)).command).toBe("serve");
        } else {
          expect(line).toMatch(/https:\/\/\S+\/mcp --header "Authorization: Bearer \$[A-Z_]+"/);
        }
        continue;
      }
      if (words.some((w) => w.endsWith("npx"))) expect(words, line).toContain("--no-install");
      const at = words.indexOf(PKG);
      expect(at, line).toBeGreaterThanOrEqual(0);
      const args = words.slice(at + 1).map((w) => w.replace("%i", "3001"));
      expect(parseArgv(args).command, line).toBe("serve");
    }
  });

  it("no snippet runs `npx -y` (the package is not published yet), and it says how to install before then", () => {
    for (const block of [...blocks("sh"), ...blocks("json"), ...blocks("ini")]) {
      expect(block).not.toMatch(/npx"?,?\s*\[?\s*"?-y/);
    }
    expect(DOC).toMatch(/not published to npm yet/);
    expect(DOC).toContain("npm install -g ./digicert-partner-mcp-");
    expect(DOC).toContain("npm ci && npm run build");
  });

  it("HTTP snippets point at /mcp with a bearer token", () => {
    for (const entry of httpEntries) {
      expect(new URL(entry.url).pathname, entry.where).toBe("/mcp");
      expect(new URL(entry.url).protocol, `${entry.where}: TLS`).toBe("https:");
      expect(entry.headers.Authorization, entry.where).toMatch(/^Bearer \$\{(input|env):[A-Za-z_-]+\}$/);
    }
  });

  it("the nginx example matches the server's body limit and health path", () => {
    const nginx = blocks("nginx").join("\n");
    expect(nginx).toContain("location /mcp");
    expect(nginx).toContain("location = /healthz");
    expect(DEFAULT_MAX_BODY_BYTES).toBe(1024 * 1024);
    expect(nginx).toMatch(/client_max_body_size 1m;/);
  });

  it("every local snippet starts the server and lists its tools (keys left out: the sandbox)", async () => {
    requireBuilt();
    const seen = new Set<string>();
    for (const entry of stdioEntries) {
      const args = serverArgs(entry.command, entry.args);
      const key = args.join(" ");
      if (seen.has(key)) continue;
      seen.add(key);
      const session = await connectStdio({ command: process.execPath, args: [CLI, ...args], env: {} });
      try {
        expect(session.tools.length, entry.where).toBeGreaterThan(0);
        if (args.includes("--read-only")) {
          for (const tool of session.tools) expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
        }
      } finally {
        await session.close();
      }
    }
  });
});
