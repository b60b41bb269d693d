import { type CallToolResult, McpError } from "@modelcontextprotocol/sdk/types.js";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, DEMO_KEYS, type Sandbox, startSandbox } from "../../sandbox/index.js";
import { toolInputSchema, toolOutputSchema } from "../../src/mcp/index.js";
import { inputSchema, OPERATIONS, type Operation } from "../../src/operations/index.js";
import { expectValidRequest, inputArb } from "./helpers/catalog-fuzz.js";
import { anyString, HUGE_ASCII, idAttack } from "./helpers/hostile.js";
import { type McpHarness, startMcp, textOf } from "./helpers/mcp-harness.js";
import { recordingUpstream } from "./helpers/recording-upstream.js";

// The same fuzzed arguments, now as MCP tool calls through the SDK Client: the server never fails to answer,
// every answer is an error result or a result matching the tool's output schema, and nothing unvalidated
// reaches the upstream.

const KEYS = {
  parentKey: "PARENT-0123456789abcdef0123456789abcdef",
  subaccountKey: "SUBDEF-0123456789abcdef0123456789abcdef",
  devkey: "DEVKEY-0123456789abcdef0123456789abcdef",
  subaccountKeys: { "42": "SUB042-0123456789abcdef0123456789abcdef" },
};
const CONFIGURED = new Set([KEYS.parentKey, KEYS.subaccountKey, KEYS.subaccountKeys["42"]]);
const RUNS = 40;
const OPS = OPERATIONS as readonly Operation[];

/** What a JSON transport would deliver: bigints become strings, undefined disappears; 1e309 stays Infinity. */
function jsonish(value: unknown): unknown {
  if (typeof value === "bigint") return String(value);
  if (typeof value === "number" && Number.isNaN(value)) return null;
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : jsonish(v)));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    // defineProperty, like JSON.parse: a "__proto__" key stays an own property instead of setting the prototype
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined)
        Object.defineProperty(out, k, { value: jsonish(v), enumerable: true, writable: true });
    }
    return out;
  }
  return value;
}

/** Generators for the arguments only the MCP layer reads. */
function mcpExtras(op: Operation): Record<string, fc.Arbitrary<unknown>> {
  const own = new Set(Object.keys(inputSchema(op).shape));
  const extras: Record<string, fc.Arbitrary<unknown>> = {};
  for (const name of Object.keys(toolInputSchema(op).shape)) {
    if (own.has(name)) continue;
    extras[name] =
      name === "confirmation_token"
        ? fc.oneof(
            { weight: 4, arbitrary: anyString },
            { weight: 1, arbitrary: fc.constantFrom("v1.forged.token", HUGE_ASCII, "", 7) },
          )
        : fc.oneof(
            { weight: 4, arbitrary: fc.integer({ min: 0, max: 200 }) },
            { weight: 1, arbitrary: idAttack },
          );
  }
  return extras;
}

function toolArgs(op: Operation): fc.Arbitrary<unknown> {
  return inputArb(op, { pasted: KEYS.parentKey, extra: mcpExtras(op) }).map(jsonish);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Calls a tool. Arguments that are not an object break the JSON-RPC request schema itself, which the SDK
 * answers with a protocol error (no tool runs); anything else must come back as a tool result.
 */
async function answer(
  h: McpHarness,
  name: string,
  args: unknown,
): Promise<CallToolResult | "protocol-error"> {
  try {
    return await h.call(name, args);
  } catch (err) {
    if (!isObject(args) && err instanceof McpError) return "protocol-error";
    throw err;
  }
}

/** Every answer is a tool error, or a success whose structuredContent matches the tool's output schema. */
function expectWellFormedResult(op: Operation, result: CallToolResult): void {
  expect(Array.isArray(result.content)).toBe(true);
  expect(textOf(result).length).toBeGreaterThan(0);
  if (result.isError) {
    if (result.structuredContent) expect(result.structuredContent.ok).toBe(false);
    return;
  }
  const parsed = toolOutputSchema(op).safeParse(result.structuredContent);
  expect(parsed.success, JSON.stringify(result.structuredContent).slice(0, 300)).toBe(true);
}

describe("MCP: fuzzed tool arguments against a recording upstream", () => {
  let upstream: Awaited<ReturnType<typeof recordingUpstream>>;
  let h: McpHarness;

  beforeAll(async () => {
    upstream = await recordingUpstream();
    h = await startMcp({ baseUrl: upstream.url, credentials: KEYS, level: "info" });
  });
  afterAll(async () => {
    await h.close();
    await upstream.close();
  });

  it("lists one tool per catalog operation", () => {
    expect(h.tools.map((t) => t.name).sort()).toEqual(OPS.map((o) => o.name).sort());
  });

  for (const op of OPS) {
    it(`${op.name}: always answers, results match the output schema, upstream sees only valid requests`, async () => {
      let sent = 0;
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(toolArgs(op), async (args) => {
          const before = upstream.seen.length;
          const result = await answer(h, op.name, args);
          const requests = upstream.seen.slice(before);
          for (const req of requests) expect(expectValidRequest(req, CONFIGURED).name).toBe(op.name);
          if (result === "protocol-error" || result.isError) {
            expect(requests).toHaveLength(0); // a 204 upstream never fails: only refused input errs
            refused++;
            if (result !== "protocol-error") expectWellFormedResult(op, result);
          } else {
            expectWellFormedResult(op, result);
            expect(requests).toHaveLength(1);
            sent++;
          }
        }),
        { numRuns: RUNS },
      );
      expect(sent).toBeGreaterThan(RUNS / 20);
      expect(refused).toBeGreaterThan(RUNS / 20);
    });
  }

  it("unknown tools, non-object arguments and huge argument sets get tool errors; the server keeps answering", async () => {
    const before = upstream.seen.length;
    const cases: [string, unknown][] = [
      ["no_such_tool", {}],
      ["../get_acme_contract", { acme_contract_id: 1 }],
      ["get_acme_contract", [1]],
      ["get_acme_contract", "acme_contract_id=1"],
      [
        "get_acme_contract",
        { acme_contract_id: 1, ...Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, i])) },
      ],
      [
        "add_sans",
        { acme_contract_id: 1, sans: Array.from({ length: 20_000 }, (_, i) => `h${i}.example.com`) },
      ],
    ];
    for (const [name, args] of cases) {
      const result = await answer(h, name, args);
      if (result !== "protocol-error") {
        expect(result.isError, `${name} ${JSON.stringify(args).slice(0, 60)}`).toBe(true);
      }
    }
    expect(upstream.seen.length).toBe(before);
    await h.mcp.ping();
    const ok = await h.call("get_acme_contract", { acme_contract_id: 1 });
    expect(ok.isError).toBeFalsy();
  });
});

describe("MCP: forged confirmation tokens never let a destructive call through", () => {
  let upstream: Awaited<ReturnType<typeof recordingUpstream>>;
  let h: McpHarness;

  beforeAll(async () => {
    upstream = await recordingUpstream();
    h = await startMcp({ baseUrl: upstream.url, credentials: KEYS, confirmation: "required", level: "info" });
  });
  afterAll(async () => {
    await h.close();
    await upstream.close();
  });

  const guarded = OPS.filter((op) => op.confirm && !op.confirm.when);

  it.each(guarded.map((op) => [op.name, op] as const))("%s", async (_name, op) => {
    await fc.assert(
      fc.asyncProperty(
        toolArgs(op),
        fc.oneof(anyString, fc.constantFrom("v1.AAAA.BBBB", `${"A".repeat(200)}.x`)),
        async (args, token) => {
          const before = upstream.seen.length;
          const withToken =
            args && typeof args === "object" && !Array.isArray(args)
              ? { ...args, confirmation_token: token }
              : args;
          const result = await answer(h, op.name, withToken);
          if (result !== "protocol-error") {
            expectWellFormedResult(op, result);
            expect(result.isError).toBe(true);
          }
          // only the read that inspects the target may have gone out; never the destructive request itself
          for (const req of upstream.seen.slice(before)) {
            const seen = expectValidRequest(req, CONFIGURED);
            expect(seen.effect).toBe("read");
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe("MCP: fuzzed tool calls against the sandbox (real answers, output schemas checked)", () => {
  let sandbox: Sandbox;
  let h: McpHarness;
  const credentials = {
    parentKey: DEMO_KEYS.parent,
    subaccountKey: DEMO_KEYS.subFull,
    subaccountKeys: { [DEMO.subFull]: DEMO_KEYS.subFull, [DEMO.subCerts]: DEMO_KEYS.subCerts },
    devkey: DEMO_KEYS.devkey,
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: "demo" });
    h = await startMcp({ baseUrl: sandbox.url, credentials, level: "info" });
  });
  afterAll(async () => {
    await h.close();
    await sandbox.close();
  });

  const IDS: Record<string, number[]> = {
    acme_contract_id: Object.values(DEMO.contracts),
    credential_id: Object.values(DEMO.credentials),
    api_key_id: Object.values(DEMO.apiKeys),
    subaccount_id: [DEMO.subFull, DEMO.subCerts, DEMO.subEmpty],
    account_id: [DEMO.subFull, DEMO.subCerts],
  };

  /** Valid integer ids are swapped for ids that exist in the demo data, so reads return real records. */
  function demoArgs(op: Operation): fc.Arbitrary<unknown> {
    return fc.tuple(toolArgs(op), fc.nat()).map(([args, n]) => {
      if (!args || typeof args !== "object" || Array.isArray(args)) return args;
      const out: Record<string, unknown> = { ...(args as Record<string, unknown>) };
      for (const [field, ids] of Object.entries(IDS)) {
        if (Number.isSafeInteger(out[field]) && (out[field] as number) > 0) out[field] = ids[n % ids.length];
      }
      if (op.name === "create_api_key" && typeof out.account_id === "number") out.account_id = DEMO.subEmpty;
      return out;
    });
  }

  for (const op of OPS) {
    it(`${op.name}`, async () => {
      sandbox.reset();
      await fc.assert(
        fc.asyncProperty(demoArgs(op), async (args) => {
          const result = await answer(h, op.name, args);
          if (result !== "protocol-error") expectWellFormedResult(op, result);
        }),
        { numRuns: 15 },
      );
      // Everything the server sent hit a real route: nothing malformed reached the sandbox.
      expect(sandbox.stats.snapshot().unmatched).toBe(0);
    });
  }
});
