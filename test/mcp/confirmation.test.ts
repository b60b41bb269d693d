import type { ElicitRequest, ElicitResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO, type Sandbox, startSandbox } from "../../sandbox/index.js";
import { type Harness, startHarness, structured, textOf } from "./harness.js";

const OV = DEMO.contracts.ov; // 20 days old: inside the 30-day cancellation window
const EV = DEMO.contracts.ev;

describe("confirmation by token (clients without elicitation)", () => {
  let sandbox: Sandbox;
  let h: Harness;
  let clock = Date.now();
  const opened: Harness[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox();
    h = await startHarness({ sandbox, server: { now: () => clock } });
  });
  afterEach(() => {
    sandbox.reset();
    clock = Date.now();
  });
  afterAll(async () => {
    for (const x of opened) await x.close();
    await h.close();
    await sandbox.close();
  });

  async function preview(name: string, args: Record<string, unknown>) {
    const r = await h.call(name, args);
    expect(r.isError, textOf(r)).toBeFalsy();
    const s = structured(r);
    expect(s.status).toBe("confirmation_required");
    return { result: r, token: s.confirmation_token as string };
  }

  it("the first call changes nothing and returns a preview, the current state and a token", async () => {
    const { result } = await preview("cancel_acme_contract", { acme_contract_id: OV });
    const s = structured(result);
    expect(s.ok).toBe(false);
    expect(s.preview).toMatch(new RegExp(`Cancel contract ${OV} .*ssl_basic.*cannot be undone`));
    expect(s.current).toMatchObject({ acme_contract_id: OV, date_canceled: null });
    expect(Date.parse(s.expires_at as string) - clock).toBe(5 * 60_000);
    expect(textOf(result)).toMatch(
      /nothing has been changed.*\n.*Preview:.*\n.*Show this preview to the user/s,
    );
    expect(sandbox.stats.count("cancel_acme_contract")).toBe(0);
    expect(sandbox.stats.count("get_acme_contract")).toBe(1);
    expect(sandbox.store.contracts.get(OV)?.canceledAt).toBeNull();
  });

  it("a token works once", async () => {
    const args = { acme_contract_id: OV, sans: ["www.example.com"] };
    const { token } = await preview("remove_sans", args);
    const done = await h.call("remove_sans", { ...args, confirmation_token: token });
    expect(structured(done)).toMatchObject({ ok: true, status: "done" });
    expect(sandbox.store.contracts.get(OV)?.sans).toEqual(["example.com"]);
    const again = await h.call("remove_sans", { ...args, confirmation_token: token });
    expect(again.isError).toBe(true);
    expect(textOf(again)).toMatch(/already been used.*Nothing was changed.*new preview/s);
    expect(sandbox.stats.count("remove_sans")).toBe(1);
  });

  it("a token works once across servers sharing one registry (HTTP stateless: a new server per request)", async () => {
    const { ConfirmationTokens } = await import("../../src/mcp/index.js");
    const { TEST_SECRET } = await import("./harness.js");
    const shared = new ConfirmationTokens({ secret: TEST_SECRET, ttlMs: 60_000, now: Date.now });
    const servers = await Promise.all(
      [0, 1, 2].map(() => startHarness({ sandbox, server: { confirmationTokens: shared } })),
    );
    opened.push(...servers);
    const [a, b, c] = servers as [Harness, Harness, Harness];
    const args = { acme_contract_id: OV, sans: ["www.example.com"] };
    const first = await a.call("remove_sans", args);
    const token = structured(first).confirmation_token as string;
    const done = await b.call("remove_sans", { ...args, confirmation_token: token });
    expect(structured(done)).toMatchObject({ ok: true, status: "done" });
    // put the SAN back so the target matches the preview again: only the used token may refuse the replay
    await c.call("add_sans", args);
    const replay = await c.call("remove_sans", { ...args, confirmation_token: token });
    expect(replay.isError).toBe(true);
    expect(textOf(replay)).toMatch(/already been used/);
    expect(sandbox.stats.count("remove_sans")).toBe(1);
  });

  it("a token made for one caller is refused for another (stateless HTTP has no session to bind to)", async () => {
    const { ConfirmationTokens } = await import("../../src/mcp/index.js");
    const { TEST_SECRET } = await import("./harness.js");
    const shared = new ConfirmationTokens({ secret: TEST_SECRET, ttlMs: 60_000, now: Date.now });
    const [alice, bob] = await Promise.all(
      ["alice", "bob"].map((caller) =>
        startHarness({ sandbox, server: { confirmationTokens: shared, caller } }),
      ),
    );
    opened.push(alice as Harness, bob as Harness);
    const args = { acme_contract_id: OV, sans: ["www.example.com"] };
    const token = structured(await (alice as Harness).call("remove_sans", args)).confirmation_token as string;
    const stolen = await (bob as Harness).call("remove_sans", { ...args, confirmation_token: token });
    expect(stolen.isError).toBe(true);
    expect(sandbox.stats.count("remove_sans")).toBe(0);
    const own = await (alice as Harness).call("remove_sans", { ...args, confirmation_token: token });
    expect(structured(own)).toMatchObject({ ok: true, status: "done" });
  });

  it('binding "caller": the same caller finishes in a new session, once; another caller cannot (Inspector CLI)', async () => {
    const { ConfirmationTokens } = await import("../../src/mcp/index.js");
    const { TEST_SECRET } = await import("./harness.js");
    const shared = new ConfirmationTokens({ secret: TEST_SECRET, ttlMs: 60_000, now: Date.now });
    const confirmation = { mode: "required" as const, secret: TEST_SECRET, binding: "caller" as const };
    // each call of the Inspector CLI is a new session of the same HTTP server (one registry, one caller)
    const session = (sessionId: string, caller: string) =>
      startHarness({ sandbox, sessionId, server: { confirmation, confirmationTokens: shared, caller } });
    const [first, second, third, mallory] = await Promise.all([
      session("cli-1", "alice"),
      session("cli-2", "alice"),
      session("cli-3", "alice"),
      session("cli-4", "mallory"),
    ]);
    opened.push(first, second, third, mallory);
    const args = { acme_contract_id: OV, sans: ["www.example.com"] };
    const token = structured(await first.call("remove_sans", args)).confirmation_token as string;
    const stolen = await mallory.call("remove_sans", { ...args, confirmation_token: token });
    expect(stolen.isError).toBe(true);
    expect(textOf(stolen)).toMatch(/another session/);
    const done = await second.call("remove_sans", { ...args, confirmation_token: token });
    expect(structured(done)).toMatchObject({ ok: true, status: "done" });
    await third.call("add_sans", args);
    const replay = await third.call("remove_sans", { ...args, confirmation_token: token });
    expect(replay.isError).toBe(true);
    expect(textOf(replay)).toMatch(/already been used/);
    expect(sandbox.stats.count("remove_sans")).toBe(1);
  });

  it('binding "caller" without a caller stays bound to the session', async () => {
    const { TEST_SECRET } = await import("./harness.js");
    const confirmation = { mode: "required" as const, secret: TEST_SECRET, binding: "caller" as const };
    const a = await startHarness({ sandbox, sessionId: "session-a", server: { confirmation } });
    const b = await startHarness({ sandbox, sessionId: "session-b", server: { confirmation } });
    opened.push(a, b);
    const token = structured(
      await a.call("cancel_acme_contract", { acme_contract_id: OV }),
    ).confirmation_token;
    const elsewhere = await b.call("cancel_acme_contract", {
      acme_contract_id: OV,
      confirmation_token: token,
    });
    expect(elsewhere.isError).toBe(true);
    expect(sandbox.stats.count("cancel_acme_contract")).toBe(0);
  });

  it("a token expires", async () => {
    const { token } = await preview("cancel_acme_contract", { acme_contract_id: OV });
    clock += 5 * 60_000 + 1;
    const late = await h.call("cancel_acme_contract", { acme_contract_id: OV, confirmation_token: token });
    expect(late.isError).toBe(true);
    expect(textOf(late)).toMatch(/expired/);
    expect(sandbox.stats.count("cancel_acme_contract")).toBe(0);
  });

  it("a token fails for other arguments and for another tool", async () => {
    const { token } = await preview("remove_sans", { acme_contract_id: OV, sans: ["www.example.com"] });
    const other = await h.call("remove_sans", {
      acme_contract_id: OV,
      sans: ["example.com"],
      confirmation_token: token,
    });
    expect(other.isError).toBe(true);
    expect(textOf(other)).toMatch(/arguments differ/);
    const otherTool = await h.call("cancel_acme_contract", {
      acme_contract_id: OV,
      confirmation_token: token,
    });
    expect(otherTool.isError).toBe(true);
    expect(textOf(otherTool)).toMatch(/issued for remove_sans/);
    expect(sandbox.stats.count("remove_sans")).toBe(0);
    expect(sandbox.stats.count("cancel_acme_contract")).toBe(0);
  });

  it("a token fails in another session of a server with the same secret", async () => {
    const a = await startHarness({ sandbox, sessionId: "session-a" });
    const b = await startHarness({ sandbox, sessionId: "session-b" });
    opened.push(a, b);
    const first = await a.call("cancel_acme_contract", { acme_contract_id: OV });
    const token = structured(first).confirmation_token;
    const elsewhere = await b.call("cancel_acme_contract", {
      acme_contract_id: OV,
      confirmation_token: token,
    });
    expect(elsewhere.isError).toBe(true);
    expect(textOf(elsewhere)).toMatch(/another session/);
    // and the same token still works where it was issued
    const here = await a.call("cancel_acme_contract", { acme_contract_id: OV, confirmation_token: token });
    expect(here.isError, textOf(here)).toBeFalsy();
    expect(sandbox.stats.count("cancel_acme_contract")).toBe(1);
  });

  it("a token fails when the target changed since the preview", async () => {
    const { token } = await preview("cancel_acme_contract", { acme_contract_id: OV });
    // someone adds a SAN in the meantime: the user agreed to cancel a different contract state
    const added = await h.call("add_sans", { acme_contract_id: OV, sans: ["late.example.com"] });
    expect(added.isError, textOf(added)).toBeFalsy();
    const r = await h.call("cancel_acme_contract", { acme_contract_id: OV, confirmation_token: token });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/target changed since the preview/);
    expect(sandbox.stats.count("cancel_acme_contract")).toBe(0);
    expect(sandbox.store.contracts.get(OV)?.canceledAt).toBeNull();
  });

  it("a forged or altered token is refused, and no argument can skip the gate", async () => {
    const { token } = await preview("cancel_acme_contract", { acme_contract_id: OV });
    const [v, payload, mac] = token.split(".") as [string, string, string];
    const flipped = `${v}.${payload}.${mac.startsWith("A") ? "B" : "A"}${mac.slice(1)}`;
    for (const bad of [flipped, "v1.e30.AAAA", "yes", "confirmed"]) {
      const r = await h.call("cancel_acme_contract", { acme_contract_id: OV, confirmation_token: bad });
      expect(r.isError, bad).toBe(true);
    }
    const sneaky = await h.call("cancel_acme_contract", { acme_contract_id: OV, confirm: true });
    expect(sneaky.isError).toBe(true);
    expect(textOf(sneaky)).toMatch(/unknown argument.*"confirm"/);
    expect(sandbox.stats.count("cancel_acme_contract")).toBe(0);
  });

  it("only calls the policy's `when` selects are guarded (PATCH with organization, deactivation)", async () => {
    const plain = await h.call("update_acme_contract", { acme_contract_id: EV, auto_renew: true });
    expect(structured(plain).status).toBe("done");
    const org = await h.call("update_acme_contract", {
      acme_contract_id: EV,
      organization: { city: "Oakland" },
    });
    expect(structured(org).status).toBe("confirmation_required");
    expect(structured(org).preview).toMatch(/validation is rejected/);
    const off = await h.call("set_api_key_status", { api_key_id: DEMO.apiKeys.subEmpty, status: "inactive" });
    expect(structured(off).status).toBe("confirmation_required");
    expect(sandbox.stats.count("update_acme_contract")).toBe(1);
    expect(sandbox.stats.count("set_api_key_status")).toBe(0);
  });

  it("a key's own last_used_date moving does not count as a change", async () => {
    // deactivating the parent key itself: every call (including the inspection) bumps its last_used_date
    const args = { api_key_id: DEMO.apiKeys.parent, status: "inactive" };
    const { token } = await preview("set_api_key_status", args);
    await h.call("list_api_keys");
    const r = await h.call("set_api_key_status", { ...args, confirmation_token: token });
    expect(r.isError, textOf(r)).toBeFalsy();
  });
});

describe("confirmation by elicitation", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterEach(() => sandbox.reset());
  afterAll(async () => sandbox.close());

  async function withAnswer(answer: ElicitResult) {
    const asked: ElicitRequest[] = [];
    const h = await startHarness({
      sandbox,
      elicit: (req) => {
        asked.push(req);
        return answer;
      },
    });
    return { h, asked };
  }

  it("accepted: runs after asking the user with the plain-language preview", async () => {
    const { h, asked } = await withAnswer({ action: "accept", content: { confirm: true } });
    const r = await h.call("cancel_acme_contract", { acme_contract_id: OV });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(structured(r)).toMatchObject({ ok: true, status: "done" });
    expect(asked).toHaveLength(1);
    expect(asked[0]?.params.message).toMatch(new RegExp(`Cancel contract ${OV} .*cannot be undone`));
    expect(asked[0]?.params).toMatchObject({
      requestedSchema: {
        type: "object",
        properties: { confirm: { type: "boolean" } },
        required: ["confirm"],
      },
    });
    expect(sandbox.stats.count("cancel_acme_contract")).toBe(1);
    expect(sandbox.store.contracts.get(OV)?.canceledAt).not.toBeNull();
    await h.close();
  });

  for (const answer of [
    { action: "decline" },
    { action: "cancel" },
    { action: "accept", content: { confirm: false } },
  ] as ElicitResult[]) {
    it(`${answer.action}${answer.content ? " with confirm false" : ""}: nothing changes, and it is not an error`, async () => {
      const { h } = await withAnswer(answer);
      const r = await h.call("cancel_acme_contract", { acme_contract_id: OV });
      expect(r.isError).toBeFalsy();
      expect(structured(r)).toMatchObject({ ok: false, status: "not_confirmed" });
      expect(textOf(r)).toMatch(/nothing was changed/);
      expect(sandbox.stats.count("cancel_acme_contract")).toBe(0);
      expect(sandbox.store.contracts.get(OV)?.canceledAt).toBeNull();
      await h.close();
    });
  }
});

describe("operator settings", () => {
  it("confirmation disabled: a guarded tool runs on the first call", async () => {
    const h = await startHarness({ server: { confirmation: { mode: "disabled", secret: "" } } });
    const cancel = h.tools.find((t) => t.name === "cancel_acme_contract");
    expect(Object.keys(cancel?.inputSchema.properties ?? {})).not.toContain("confirmation_token");
    expect(cancel?.description).not.toMatch(/confirmation/);
    const r = await h.call("cancel_acme_contract", { acme_contract_id: OV });
    expect(structured(r)).toMatchObject({ ok: true });
    expect(h.sandbox.stats.count("cancel_acme_contract")).toBe(1);
    // a token an agent still sends is accepted and ignored, not refused as an unknown argument
    const again = await h.call("remove_sans", {
      acme_contract_id: EV,
      sans: ["www.secure.example.com"],
      confirmation_token: "x",
    });
    expect(again.isError, textOf(again)).toBeFalsy();
    await h.close();
  });

  it("read-only: no write or destructive tool is listed or callable", async () => {
    const h = await startHarness({ server: { readOnly: true } });
    expect(h.tools.length).toBeGreaterThan(0);
    for (const t of h.tools) {
      expect(t.annotations?.readOnlyHint, t.name).toBe(true);
      expect(t.name).toMatch(/^(get|list)_/);
    }
    const r = await h.call("cancel_acme_contract", { acme_contract_id: OV });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/not found/);
    expect(h.sandbox.stats.snapshot().total).toBe(0);
    await h.close();
  });
});
