import { afterEach, describe, expect, it, vi } from "vitest";
import { DEMO } from "../../sandbox/index.js";
import { LATEST_URI } from "../../src/mcp/reporting/index.js";
import { type Harness, startHarness } from "./harness.js";

let h: Harness | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await h?.close();
  h = undefined;
});

describe("polling while a client is subscribed to latest", () => {
  it("refetches when the snapshot is older than maxAgeMs and notifies; stops after unsubscribe", async () => {
    // Only the poll interval is faked: HTTP to the sandbox and the harness's own time-outs run for real.
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    let offset = 0;
    h = await startHarness({ maxAgeMs: 60_000, now: () => Date.now() + offset });
    const harness = h;
    await harness.mcp.readResource({ uri: LATEST_URI });
    await harness.mcp.subscribeResource({ uri: LATEST_URI });
    const fetched = () => harness.sandbox.stats.count("get_account_reporting");
    const before = fetched();

    // DigiCert's state changes; a minute later the poll refetches without the client asking.
    await harness.digicert.call("add_sans", {
      acme_contract_id: DEMO.contracts.betaActive,
      sans: ["polled.betashop.example"],
      account_id: DEMO.subCanceled,
    });
    offset = 61_000;
    const updated = harness.next("notifications/resources/updated");
    vi.advanceTimersByTime(60_000);
    expect((await updated).params).toEqual({ uri: LATEST_URI });
    expect(fetched()).toBe(before + 1);

    // Unsubscribed: the timer is gone, so another minute fetches nothing.
    await harness.mcp.unsubscribeResource({ uri: LATEST_URI });
    offset = 200_000;
    vi.advanceTimersByTime(120_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(fetched()).toBe(before + 1);
  });
});
