import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { describe, expect, it } from "vitest";
import { DEMO, startSandbox } from "../../sandbox/index.js";
import {
  createLogger,
  createMcpServer,
  DigiCertClient,
  OPERATIONS,
  packageVersion,
} from "../../src/index.js";

// An embedder needs only the package's two entries ("." = src/index.ts, "./sandbox" = sandbox/index.ts) and the
// MCP SDK's own transports: this builds a server from them alone and calls a tool through it.
describe("embedding through the public entries", () => {
  it("package.json maps the two entries to the built files", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    expect(pkg.exports["."].default).toBe("./dist/src/index.js");
    expect(pkg.exports["./sandbox"].default).toBe("./dist/sandbox/index.js");
  });

  it("client + server factory + sandbox: every catalog tool listed, one called", async () => {
    const sandbox = await startSandbox();
    const client = new DigiCertClient({
      baseUrl: sandbox.url,
      credentials: { parentKey: sandbox.keys.parent },
      logger: createLogger({ level: "silent" }),
    });
    const server = createMcpServer({
      client,
      logger: createLogger({ level: "silent" }),
      version: packageVersion(),
      confirmation: { mode: "required", secret: randomBytes(32).toString("base64url") },
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const mcp = new Client({ name: "embedder", version: "1.0.0" });
    try {
      await server.connect(serverSide);
      await mcp.connect(clientSide);
      const { tools } = await mcp.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(OPERATIONS.map((op) => op.name).sort());
      const result = await mcp.callTool({
        name: "get_api_key",
        arguments: { api_key_id: DEMO.apiKeys.parent },
      });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ ok: true, data: { id: DEMO.apiKeys.parent } });
    } finally {
      await mcp.close();
      await client.close();
      await sandbox.close();
    }
  });
});
