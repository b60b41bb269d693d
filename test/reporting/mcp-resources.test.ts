import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEMO } from "../../sandbox/index.js";
import { CONTRACTS_VIEW_URI } from "../../src/mcp/apps/ui.js";
import { LATEST_URI, REPORTING_TEMPLATES } from "../../src/mcp/reporting/index.js";
import { type Harness, startHarness, textOf } from "./harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

interface SnapshotDoc {
  snapshot: { id: string; hash: string; counts: { contracts: number; subaccounts: number } };
  report: { accounts: { account_id: number; acme: { acme_contract_id: number; sans: string[] }[] }[] };
}

async function readJson<T>(uri: string): Promise<T> {
  return JSON.parse(textOf(await h.mcp.readResource({ uri }))) as T;
}

describe("reporting resources over MCP", () => {
  it("declares subscribe, lists latest, and reads the newest snapshot from the sandbox", async () => {
    expect(h.mcp.getServerCapabilities()?.resources).toMatchObject({ subscribe: true, listChanged: true });
    const before = await h.mcp.listResources();
    // the contracts view's page (an MCP App) is the other static resource
    expect(before.resources.map((r) => r.uri).sort()).toEqual([LATEST_URI, CONTRACTS_VIEW_URI].sort());

    const latest = await readJson<SnapshotDoc>(LATEST_URI);
    // The demo tenant's reporting: subaccounts 1001, 1002 and 1004 have contracts (1003 has none, 2001 is
    // another parent's), 8 contracts in all.
    expect(latest.report.accounts.map((a) => a.account_id)).toEqual([
      DEMO.subFull,
      DEMO.subCanceled,
      DEMO.subCerts,
    ]);
    expect(latest.snapshot.counts).toMatchObject({ subaccounts: 3, contracts: 7 });
    expect(h.sandbox.stats.count("get_account_reporting")).toBe(1);

    // Fresh: a second read does not call DigiCert again.
    await readJson<SnapshotDoc>(LATEST_URI);
    expect(h.sandbox.stats.count("get_account_reporting")).toBe(1);

    const after = await h.mcp.listResources();
    const id = latest.snapshot.id;
    expect(after.resources.map((r) => r.uri).sort()).toEqual(
      [
        LATEST_URI,
        CONTRACTS_VIEW_URI,
        "digicert://reporting/snapshots/latest/summary",
        `digicert://reporting/snapshots/${id}`,
      ].sort(),
    );
  });

  it("lists the templates, including the cost report when a devkey is configured", async () => {
    const { resourceTemplates } = await h.mcp.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate).sort()).toEqual(
      [
        REPORTING_TEMPLATES.csv,
        REPORTING_TEMPLATES.summary,
        REPORTING_TEMPLATES.snapshot,
        REPORTING_TEMPLATES.diff,
        REPORTING_TEMPLATES.costReport,
      ].sort(),
    );
  });

  it("reads a snapshot as JSON, CSV and Markdown summary by id", async () => {
    const { snapshot } = await readJson<SnapshotDoc>(LATEST_URI);
    const byId = await readJson<SnapshotDoc>(`digicert://reporting/snapshots/${snapshot.id}`);
    expect(byId.snapshot.hash).toBe(snapshot.hash);

    const csvResult = await h.mcp.readResource({ uri: `digicert://reporting/snapshots/${snapshot.id}.csv` });
    expect(csvResult.contents[0]?.mimeType).toBe("text/csv");
    const rows = textOf(csvResult).trimEnd().split("\r\n");
    expect(rows[0]).toBe(
      "account_id,acme_contract_id,product_name_id,sans,created_at,valid_till,date_canceled",
    );
    expect(rows).toHaveLength(1 + 7);
    expect(rows[1]).toMatch(/^1001,10001,ssl_dv_rapidssl,\*\.example\.com example\.com www\.example\.com,/);

    const md = textOf(
      await h.mcp.readResource({ uri: `digicert://reporting/snapshots/${snapshot.id}/summary` }),
    );
    expect(md).toContain(`# ACME contract report — snapshot \`${snapshot.id}\``);
    expect(md).toContain("| 3 | 7 |");
    expect(Buffer.byteLength(md)).toBeLessThan(16_000);
  });

  it("accepts latest as an alias wherever a snapshot id goes", async () => {
    const { snapshot } = await readJson<SnapshotDoc>(LATEST_URI);
    const md = textOf(await h.mcp.readResource({ uri: "digicert://reporting/snapshots/latest/summary" }));
    expect(md).toContain(snapshot.id);
    const diff = await readJson<{ diff: { unchanged: boolean } }>(
      `digicert://reporting/diff/${snapshot.id}/latest`,
    );
    expect(diff.diff.unchanged).toBe(true);
  });

  it("answers an unknown or malformed snapshot id with an error", async () => {
    await expect(
      h.mcp.readResource({ uri: "digicert://reporting/snapshots/20200101T000000Z-00000000" }),
    ).rejects.toThrow(/no snapshot 20200101T000000Z-00000000/);
    await expect(
      h.mcp.readResource({ uri: "digicert://reporting/snapshots/..%2Fetc/summary" }),
    ).rejects.toThrow(/is not a snapshot id/);
  });

  it("completes snapshot ids and subaccount ids", async () => {
    const { snapshot } = await readJson<SnapshotDoc>(LATEST_URI);
    const ids = await h.mcp.complete({
      ref: { type: "ref/resource", uri: REPORTING_TEMPLATES.snapshot },
      argument: { name: "snapshot_id", value: snapshot.id.slice(0, 4) },
    });
    expect(ids.completion.values).toEqual([snapshot.id]);
    const all = await h.mcp.complete({
      ref: { type: "ref/resource", uri: REPORTING_TEMPLATES.diff },
      argument: { name: "to_id", value: "" },
    });
    expect(all.completion.values).toEqual(["latest", snapshot.id]);
    // Partner subaccount ids from reporting are not offered for the CertCentral cost report: nothing public
    // says the two ids are the same; only ids CertCentral itself answered are.
    const complete = () =>
      h.mcp.complete({
        ref: { type: "ref/resource", uri: REPORTING_TEMPLATES.costReport },
        argument: { name: "subaccount_id", value: "100" },
      });
    expect((await complete()).completion.values).toEqual([]);
    await h.mcp.readResource({ uri: `digicert://subaccounts/${DEMO.subFull}/cost-report` });
    expect((await complete()).completion.values).toEqual([String(DEMO.subFull)]);
  });

  it("notifies subscribers of latest when a refresh finds a change, and serves the diff", async () => {
    const first = await readJson<SnapshotDoc>(LATEST_URI);
    await h.mcp.subscribeResource({ uri: LATEST_URI });

    // Nothing changed: no new snapshot, no notification.
    const same = await h.mcp.callTool({ name: "take_reporting_snapshot", arguments: {} });
    expect(same.structuredContent).toMatchObject({ created: false, snapshot: { id: first.snapshot.id } });

    // Change DigiCert's state through the API, as a subaccount would.
    await h.digicert.call("add_sans", {
      acme_contract_id: DEMO.contracts.betaActive,
      sans: ["shop.betashop.example"],
      account_id: DEMO.subCanceled,
    });
    const updated = h.next("notifications/resources/updated");
    const listChanged = h.next("notifications/resources/list_changed");
    const taken = await h.mcp.callTool({ name: "take_reporting_snapshot", arguments: {} });
    expect((await updated).params).toEqual({ uri: LATEST_URI });
    await listChanged;
    expect(h.notifications.filter((n) => n.method === "notifications/resources/updated")).toHaveLength(1);

    const second = (taken.structuredContent as { snapshot: { id: string }; changes: Record<string, number> })
      .snapshot.id;
    expect(second).not.toBe(first.snapshot.id);
    expect(taken.structuredContent).toMatchObject({
      created: true,
      previous_id: first.snapshot.id,
      changes: { sans_changed: 1, sans_added: 1, added: 0 },
    });

    const diff = await readJson<{ diff: { sans_changed: unknown[]; unchanged: boolean } }>(
      `digicert://reporting/diff/${first.snapshot.id}/${second}`,
    );
    expect(diff.diff.sans_changed).toEqual([
      {
        acme_contract_id: DEMO.contracts.betaActive,
        account_id: DEMO.subCanceled,
        added: ["shop.betashop.example"],
        removed: [],
      },
    ]);

    // After unsubscribing, a further change is not announced as an update.
    await h.mcp.unsubscribeResource({ uri: LATEST_URI });
    await h.digicert.call("remove_sans", {
      acme_contract_id: DEMO.contracts.betaActive,
      sans: ["shop.betashop.example"],
      account_id: DEMO.subCanceled,
    });
    const again = h.next("notifications/resources/list_changed");
    await h.mcp.callTool({ name: "take_reporting_snapshot", arguments: {} });
    await again;
    expect(h.notifications.filter((n) => n.method === "notifications/resources/updated")).toHaveLength(1);
  });

  it("refetches latest once it is older than maxAgeMs", async () => {
    let offset = 0;
    const aged = await startHarness({ maxAgeMs: 60_000, now: () => Date.now() + offset }, h.sandbox);
    try {
      const before = h.sandbox.stats.count("get_account_reporting");
      await aged.mcp.readResource({ uri: LATEST_URI });
      await aged.mcp.readResource({ uri: LATEST_URI });
      expect(h.sandbox.stats.count("get_account_reporting")).toBe(before + 1);
      offset = 61_000;
      await aged.mcp.readResource({ uri: LATEST_URI });
      expect(h.sandbox.stats.count("get_account_reporting")).toBe(before + 2);
    } finally {
      await aged.close();
    }
  });

  it("serves a stale snapshot with the refresh error when DigiCert fails", async () => {
    let offset = 0;
    const aged = await startHarness({ maxAgeMs: 1000, now: () => Date.now() + offset }, h.sandbox);
    try {
      const first = JSON.parse(textOf(await aged.mcp.readResource({ uri: LATEST_URI }))) as SnapshotDoc;
      h.sandbox.faults.add({ operation: "get_account_reporting", kind: "status", status: 503 });
      offset = 5000;
      const stale = JSON.parse(textOf(await aged.mcp.readResource({ uri: LATEST_URI }))) as SnapshotDoc & {
        refresh_error?: string;
      };
      expect(stale.snapshot.id).toBe(first.snapshot.id);
      expect(stale.refresh_error).toMatch(/503/);
    } finally {
      h.sandbox.faults.clear();
      await aged.close();
    }
  });

  it("reads the CertCentral cost report of a subaccount", async () => {
    const doc = await readJson<{ cost_report: unknown }>(
      `digicert://subaccounts/${DEMO.subFull}/cost-report`,
    );
    expect(doc.cost_report).toEqual({
      subaccount_price: { cost: 3224, currency: "AUD" },
      order_price: { cost: 2180, currency: "USD" },
    });
  });

  it("omits the cost report without a devkey", async () => {
    const bare = await startHarness({ hasDevkey: false }, h.sandbox);
    try {
      const { resourceTemplates } = await bare.mcp.listResourceTemplates();
      expect(resourceTemplates.map((t) => t.uriTemplate)).not.toContain(REPORTING_TEMPLATES.costReport);
    } finally {
      await bare.close();
    }
  });
});
