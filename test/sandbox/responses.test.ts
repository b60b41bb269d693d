import { describe, expect, it } from "vitest";
import { DEMO, DEMO_KEYS } from "../../sandbox/index.js";
import { selectKeys } from "../../src/client/credentials.js";
import {
  getOperation,
  inputSchema,
  type Operation,
  renderPath,
  splitInput,
} from "../../src/operations/index.js";
import { EVERY_OPERATION, exampleCredentials, exampleOf } from "../helpers/examples.js";
import { CONTACT, ORG, P, type Reply, useSandbox } from "./helpers.js";

const ctx = useSandbox();

/** Sends an operation's example (declared beside its handler) as the client would: path, body, key headers. */
function sendExample(op: Operation): Promise<Reply> {
  const input = inputSchema(op).parse(exampleOf(op.name));
  const { params, body, accountId } = splitInput(op, input);
  const keys = selectKeys(exampleCredentials(ctx.sb.keys), op.scope, op.name, accountId);
  return ctx.call(op.method, renderPath(op, params), { key: keys.partnerKey, devkey: keys.devkey, body });
}

describe("every operation's example call", () => {
  it.each(EVERY_OPERATION)("%s: is valid tool input", (name, op) => {
    const parsed = inputSchema(op).safeParse(exampleOf(name));
    expect(
      parsed.success,
      `${name}: the example beside its sandbox handler is refused by the tool's schema: ${JSON.stringify(parsed.error?.issues)}`,
    ).toBe(true);
  });
});

/** Answers the examples do not reach: a contract created or replaced with an organization. */
const WITH_ORGANIZATION: [string, () => Promise<Reply>][] = [
  [
    "create_acme_contract",
    () =>
      ctx.call("POST", `${P}/acme`, {
        key: DEMO_KEYS.subFull,
        body: {
          product_name_id: "ssl_ev_basic",
          sans: ["ev.example.net"],
          organization: { ...ORG, verified_contacts: [CONTACT] },
        },
      }),
  ],
  [
    "replace_acme_contract",
    () =>
      ctx.call("PUT", `${P}/acme/${DEMO.contracts.ovOtherOrg}`, {
        key: DEMO_KEYS.subFull,
        body: { auto_renew: true, organization: ORG },
      }),
  ],
];

describe("every success body parses with the catalog's response schema", () => {
  it.each([
    ...EVERY_OPERATION.map(([name, op]) => [name, op, () => sendExample(op)] as const),
    ...WITH_ORGANIZATION.map(
      ([name, send]) => [`${name} with an organization`, getOperation(name), send] as const,
    ),
  ])("%s", async (_label, op, send) => {
    const name = op.name;
    const r = await send();
    expect(r.status >= 200 && r.status < 300, `${name} answered ${r.status}: ${r.text}`).toBe(true);
    expect(r.headers.get("x-sandbox-operation")).toBe(name);
    if (op.response === undefined) {
      expect(r.status).toBe(204);
      expect(r.text).toBe("");
    } else {
      expect(r.headers.get("content-type")).toMatch(/^application\/json/);
      const parsed = op.response.safeParse(r.json);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    }
    expect(ctx.sb.stats.count(name, r.status)).toBe(1);
  });
});
