import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { GENERATED_KEY } from "../../sandbox/generate.js";
import type { Sandbox } from "../../sandbox/index.js";
import { CLI, cleanEnv } from "../cli/child.js";

export interface StdioServer {
  client: Client;
  stderr: () => string;
  close(): Promise<void>;
}

/**
 * The built server (dist/bin/cli.js, what hosts start) over stdio with a real SDK client, against the sandbox:
 * the parent key, and the key of every subaccount (seeded and generated), so the view's drill-down can read
 * any contract.
 */
export async function startStdioServer(
  sandbox: Sandbox,
  env: Record<string, string> = {},
): Promise<StdioServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "dc-apps-"));
  const subaccountKeys: Record<string, string> = { ...sandbox.keys.subaccounts };
  for (const account of sandbox.store.accounts.values()) {
    if (account.kind === "sub" && !(String(account.id) in subaccountKeys)) {
      subaccountKeys[String(account.id)] = GENERATED_KEY(account.id);
    }
  }
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI],
    env: cleanEnv({
      DIGICERT_BASE_URL: sandbox.url,
      DIGICERT_PARTNER_API_KEY: sandbox.keys.parent,
      DIGICERT_SUBACCOUNT_API_KEYS: JSON.stringify(subaccountKeys),
      DIGICERT_DATA_DIR: dataDir,
      ...env,
    }),
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const client = new Client({ name: "apps-test-host", version: "1.0.0" });
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    async close() {
      await client.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
