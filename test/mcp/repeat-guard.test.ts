import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/index.js";
import { REPEAT_WINDOW_MS } from "../../src/mcp/index.js";
import { type Harness, startHarness, structured, textOf } from "./harness.js";

// An agent that did not trust a create's answer (not in the expected form, a key it lost) tends to call it
// again, which buys a second contract or subaccount. An identical create within the window is held back before
// anything is sent; a different argument, another caller, or the window passing lets it through.

describe("identical repeats of creates are held back", () => {
  let h: Harness;
  let now = Date.parse("2026-12-02T08:00:00Z");

  beforeAll(async () => {
    h = await startHarness({ server: { now: () => now } });
  });
  afterAll(async () => h?.close());

  it("refuses the second identical create_acme_contract without sending it", async () => {
    const args = { product_name_id: "ssl_dv_rapidssl", sans: ["repeat.example.net"] };
    const first = await h.call("create_acme_contract", args);
    expect(first.isError, textOf(first)).toBeFalsy();
    const second = await h.call("create_acme_contract", args);
    expect(second.isError).toBe(true);
    expect(structured(second).error).toEqual({ kind: "repeat" });
    expect(textOf(second)).toMatch(
      /Not sent: an identical create_acme_contract succeeded .*Nothing was changed/,
    );
    expect(h.sandbox.stats.count("create_acme_contract")).toBe(1);

    // another argument is another call
    const other = await h.call("create_acme_contract", { ...args, sans: ["repeat2.example.net"] });
    expect(other.isError, textOf(other)).toBeFalsy();
    expect(h.sandbox.stats.count("create_acme_contract")).toBe(2);

    // after the window the same call goes through
    now += REPEAT_WINDOW_MS;
    const later = await h.call("create_acme_contract", args);
    expect(later.isError, textOf(later)).toBeFalsy();
    expect(h.sandbox.stats.count("create_acme_contract")).toBe(3);
  });

  it("does not remember a create DigiCert refused, nor hold back idempotent writes", async () => {
    const refused = { account_id: 999_999, name: "nobody's key" };
    expect((await h.call("create_api_key", refused)).isError).toBe(true);
    expect((await h.call("create_api_key", refused)).isError).toBe(true);
    expect(h.sandbox.stats.count("create_api_key")).toBe(2);

    const add = { acme_contract_id: DEMO.contracts.dv, sans: ["again.example.com"] };
    expect((await h.call("add_sans", add)).isError).toBeFalsy();
    expect((await h.call("add_sans", add)).isError).toBeFalsy();
    expect(h.sandbox.stats.count("add_sans")).toBe(2);
  });
});
