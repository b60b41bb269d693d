import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import { CLI } from "../cli/child.js";

export const ROOT = resolve(import.meta.dirname, "../..");
export { CLI };

export interface ManifestTool {
  name: string;
  description?: string;
}

export interface UserConfigOption {
  type: "string" | "number" | "boolean" | "directory" | "file";
  title: string;
  description: string;
  required?: boolean;
  default?: string | number | boolean | string[];
  sensitive?: boolean;
}

export interface Manifest {
  manifest_version: string;
  name: string;
  version: string;
  server: {
    type: string;
    entry_point: string;
    mcp_config: { command: string; args: string[]; env: Record<string, string> };
  };
  user_config: Record<string, UserConfigOption>;
  compatibility: { platforms: string[]; runtimes: { node: string } };
  tools: ManifestTool[];
  prompts_generated?: boolean;
}

/** `npm test` builds first; when these tests run alone, say so instead of failing obscurely. */
export function requireBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
}

/** Runs a command to completion; rejects with its output when it fails. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((done, fail) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd ?? ROOT,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        if (err) fail(new Error(`${command} ${args.join(" ")} failed: ${err.message}\n${stdout}\n${stderr}`));
        else done(stdout);
      },
    );
  });
}

export interface StdioSession {
  client: Client;
  tools: Tool[];
  stderr: () => string;
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/**
 * Starts a server over stdio the way an MCP host does (command, args and exactly the given environment on
 * top of the SDK's default variables such as PATH and HOME) and lists its tools.
 */
export async function connectStdio(params: {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}): Promise<StdioSession> {
  const transport = new StdioClientTransport({ ...params, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const client = new Client({ name: "packaging-test", version: "0.0.0" });
  try {
    await client.connect(transport);
  } catch (err) {
    throw new Error(`could not connect: ${err instanceof Error ? err.message : String(err)}\n${stderr}`);
  }
  const tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : {});
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  return {
    client,
    tools,
    stderr: () => stderr,
    call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: () => client.close(),
  };
}
