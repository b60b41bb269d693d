import { describe, expect, it } from "vitest";
import { parseSandboxArgs } from "../../sandbox/cli.js";
import { DEMO, DEMO_KEYS } from "../../sandbox/index.js";
import { DV_BODY, P, useSandbox } from "./helpers.js";

// The sandbox's other forms of undocumented answers, set by flag, option or control route; documented answers
// and errors never change.
const ctx = useSandbox();
const K = DEMO_KEYS;

describe("answer variants", () => {
  it("PUT /_sandbox/answers switches the form of undocumented answers, and refuses unknown variants", async () => {
    expect((await ctx.call("GET", "/_sandbox/answers")).json.variant).toBe("guess");
    const guess = await ctx.call("GET", `${P}/account/emergency-emails`, { key: K.parent });
    expect(guess.json).toHaveProperty("emergency_contact_emails");
    expect((await ctx.call("PUT", "/_sandbox/answers", { body: { variant: "lists" } })).status).toBe(200);
    const listed = await ctx.call("GET", `${P}/account/emergency-emails`, { key: K.parent });
    expect(listed.json).toEqual(guess.json.emergency_contact_emails);
    expect((await ctx.call("PUT", "/_sandbox/answers", { body: { variant: "odd" } })).status).toBe(400);
    ctx.sb.answers.set("guess");
  });

  it("changes the create answers but never a documented answer or an error", async () => {
    ctx.sb.answers.set("renamed");
    try {
      const created = await ctx.call("POST", `${P}/acme`, { key: K.subFull, body: DV_BODY });
      expect(created.status).toBe(201);
      expect(created.json).not.toHaveProperty("eab_set");
      expect(created.json.eab.hmac).toMatch(/.{40,}/);
      // S1 is documented: unchanged
      const got = await ctx.call("GET", `${P}/acme/${created.json.id}`, { key: K.subFull });
      expect(got.json).toHaveProperty("acme_contract_id", created.json.id);
      // an error stays an error in the documented envelope
      const refused = await ctx.call("POST", `${P}/acme`, { key: K.parent, body: DV_BODY });
      expect(refused.status).toBe(403);
      expect(refused.json.errors[0].code).toBe("access_denied");
    } finally {
      ctx.sb.answers.set("guess");
    }
  });

  it("empty answers 200 with no body, also where the guess is 204", async () => {
    ctx.sb.answers.set("empty");
    try {
      const contract = [...ctx.sb.store.contracts.values()].find(
        (c) => c.accountId === DEMO.subFull && c.canceledAt === null,
      );
      const revoked = await ctx.call("POST", `${P}/acme/${contract?.id}/credentials/revoke`, {
        key: K.subFull,
      });
      expect(revoked.status).toBe(200);
      expect(revoked.text).toBe("");
    } finally {
      ctx.sb.answers.set("guess");
    }
  });

  it("--answers on the command line", () => {
    expect(parseSandboxArgs(["--answers", "nested"])).toMatchObject({ answers: "nested" });
    expect(() => parseSandboxArgs(["--answers=weird"])).toThrow(/--answers must be one of guess, renamed/);
  });
});
