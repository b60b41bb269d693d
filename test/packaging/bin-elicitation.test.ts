import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/index.js";
import { CLI, requireBuilt } from "./helpers.js";

// The bin requires Ajv only when the server first checks an elicitation answer (scripts/bundle-cli.mjs,
// lazy-ajv): that first check must work in the bundle, and a malformed answer must still be refused.
describe("the bundled bin checks elicitation answers (Ajv loaded on first use)", () => {
  let client: Client;
  let answer: Record<string, unknown> = { confirm: true };

  beforeAll(async () => {
    requireBuilt();
    // no key configured: the bin serves its built-in sandbox with the demo seed
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI],
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "error" },
      stderr: "ignore",
    });
    client = new Client(
      { name: "bin-elicit", version: "0" },
      { capabilities: { elicitation: { form: {} } } },
    );
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: "accept", content: answer }));
    await client.connect(transport);
  }, 60_000);

  afterAll(async () => {
    await client?.close();
  });

  it("an answer that does not fit the schema is refused, and nothing runs", async () => {
    answer = { confirm: "yes" };
    const r = await client.callTool({
      name: "cancel_acme_contract",
      arguments: { acme_contract_id: DEMO.contracts.ov },
    });
    expect(JSON.stringify(r)).not.toMatch(/"status":"done"/);
  });

  it("a valid answer runs the call", async () => {
    answer = { confirm: true };
    const r = await client.callTool({
      name: "cancel_acme_contract",
      arguments: { acme_contract_id: DEMO.contracts.ov },
    });
    expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ ok: true, status: "done" });
  });
});
