import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, ensureBuilt, ROOT } from "../cli/child.js";

// What agents see, committed: one file per tool under test/__toolsnaps__, exactly as the bin sends it in
// tools/list (default configuration: every toolset, confirmation on). Any change to a name, description,
// schema or annotation shows in review as a diff of these files. To accept a change:
//   npm run build && UPDATE_TOOLSNAPS=1 npx vitest run test/mcp/toolsnaps.test.ts
const DIR = join(ROOT, "test", "__toolsnaps__");
const UPDATE = process.env.UPDATE_TOOLSNAPS === "1";

let tools: Tool[] = [];
let client: Client;

beforeAll(async () => {
  await ensureBuilt();
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", LOG_LEVEL: "error" };
  client = new Client({ name: "toolsnaps", version: "0.0.0" });
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args: [CLI], env, stderr: "pipe" }),
  );
  tools = (await client.listTools()).tools;
}, 60_000);
afterAll(async () => client?.close());

const snap = (tool: Tool) => `${JSON.stringify(tool, null, 2)}\n`;

describe("tools/list snapshots", () => {
  it("every tool the bin lists has a committed snapshot, and every snapshot a tool", () => {
    const listed = tools.map((t) => `${t.name}.json`).sort();
    if (UPDATE) {
      mkdirSync(DIR, { recursive: true });
      for (const f of readdirSync(DIR)) if (!listed.includes(f)) rmSync(join(DIR, f));
    }
    const committed = existsSync(DIR)
      ? readdirSync(DIR)
          .filter((f) => f.endsWith(".json"))
          .sort()
      : [];
    if (!UPDATE) expect(committed).toEqual(listed);
    expect(listed.length).toBeGreaterThan(25);
  });

  it("each tool is exactly as its snapshot", () => {
    for (const tool of tools) {
      const path = join(DIR, `${tool.name}.json`);
      if (UPDATE) writeFileSync(path, snap(tool));
      expect(snap(tool), `${tool.name} differs from test/__toolsnaps__ (UPDATE_TOOLSNAPS=1 to accept)`).toBe(
        readFileSync(path, "utf8"),
      );
    }
  });
});
