import { Writable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO, DEMO_KEYS, EXAMPLE_CORP, type Sandbox, startSandbox } from "../../sandbox/index.js";
import { DigiCertClient } from "../../src/client/client.js";
import { createLogger } from "../../src/logging.js";
import { OPERATIONS, type OperationName } from "../../src/operations/index.js";
import { EVERY_OPERATION, exampleCredentials, exampleOf } from "../helpers/examples.js";
import { failure } from "../helpers/failure.js";

// Drives the real client against the sandbox over loopback HTTP: every catalog operation at least once (its
// example call, declared beside its sandbox handler), the documented rules as the client sees them, the retry policy, and the absence of keys in captured logs.

const logLines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, cb) {
    logLines.push(chunk.toString());
    cb();
  },
});
const SECRETS = Object.values(DEMO_KEYS);
const logger = createLogger({ level: "trace", secrets: SECRETS, destination: sink });

let sandbox: Sandbox;
let client: DigiCertClient;
let subOnly: DigiCertClient;
/** configured as the examples beside the sandbox handlers expect */
let examples: DigiCertClient;
const called = new Set<string>();

function make(credentials: ConstructorParameters<typeof DigiCertClient>[0]["credentials"]) {
  return new DigiCertClient({
    baseUrl: sandbox.url,
    credentials,
    logger,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  });
}

async function call<N extends OperationName>(name: N, input: Record<string, unknown> = {}, via = client) {
  called.add(name);
  const result = await via.call(name, input);
  // the sandbox's default answers have the form the catalog expects
  expect(result.drift, name).toBeUndefined();
  return result as Extract<typeof result, { drift?: undefined }>;
}

/** The sandbox's guess of the EAB bundle (DigiCert documents only its name, `eab_set`). */
type SandboxEab = { credential_id: number; kid: string; hmac_key: string };

// the seed's validated organization, with a lower-case country the schema normalises
const ORG = {
  ...EXAMPLE_CORP,
  country: "us",
  organization_contact: {
    first_name: "Jane",
    last_name: "Doe",
    email: "jane.doe@example.com",
    telephone: "+1-555-0101",
  },
};

beforeAll(async () => {
  sandbox = await startSandbox();
  client = make({
    parentKey: DEMO_KEYS.parent,
    subaccountKey: DEMO_KEYS.subFull,
    subaccountKeys: { [DEMO.subCanceled]: DEMO_KEYS.subCanceled, [DEMO.subCerts]: DEMO_KEYS.subCerts },
    devkey: DEMO_KEYS.devkey,
  });
  subOnly = make({ subaccountKey: DEMO_KEYS.subFull, devkey: DEMO_KEYS.devkey });
  examples = make(exampleCredentials(sandbox.keys));
});
beforeEach(() => sandbox.reset());
afterAll(async () => {
  await client.close();
  await subOnly.close();
  await examples.close();
  await sandbox.close();
  // Every operation of the catalog was exercised by this file.
  expect([...called].sort()).toEqual(OPERATIONS.map((op) => op.name).sort());
  // No configured key appears anywhere in what was logged at trace level.
  const everything = logLines.join("");
  expect(logLines.length).toBeGreaterThan(20);
  for (const secret of SECRETS) expect(everything).not.toContain(secret);
});

describe("every catalog operation", () => {
  it.each(EVERY_OPERATION)("%s: its example call succeeds", async (name, op) => {
    const result = await call(name as OperationName, exampleOf(name), examples);
    expect(result.status >= 200 && result.status < 300, `${name}: ${result.status}`).toBe(true);
    if (op.response === undefined) expect(result.status, name).toBe(204);
  });
});

describe("API keys", () => {
  it("lists, gets, creates (secret shown once) and deactivates keys", async () => {
    const listed = await call("list_api_keys");
    const ids = listed.data.api_keys.map((k) => k.id);
    expect(ids).toContain(DEMO.apiKeys.parent);
    expect(ids).toContain(DEMO.apiKeys.subFull);
    expect(JSON.stringify(listed.data)).not.toContain(DEMO_KEYS.subFull);

    const one = await call("get_api_key", { api_key_id: DEMO.apiKeys.subFull });
    expect(one.data.account_id).toBe(DEMO.subFull);

    const created = await call("create_api_key", { account_id: DEMO.subEmpty, name: "CI key" });
    expect(created.status).toBe(201);
    expect(created.data.api_key.length).toBeGreaterThan(20);
    expect(created.data.api_key.endsWith(created.data.api_key_last4 ?? "??")).toBe(true);
    const again = await call("get_api_key", { api_key_id: created.data.id });
    expect(JSON.stringify(again.data)).not.toContain(created.data.api_key);

    const status = await call("set_api_key_status", { api_key_id: created.data.id, status: "inactive" });
    expect(status.status).toBe(204);
    const fresh = make({ subaccountKey: created.data.api_key });
    const err = await failure(fresh.call("get_emergency_emails", {}));
    expect(err.status).toBe(401);
    await fresh.close();
  });

  it("refuses a subaccount key creating keys (403) and another tenant's key (403)", async () => {
    const err = await failure(subOnly.call("create_api_key", { account_id: DEMO.subFull, name: "x" }));
    expect(err.kind).toBe("config");
    const viaSub = make({ parentKey: DEMO_KEYS.subFull });
    expect(
      (await failure(viaSub.call("create_api_key", { account_id: DEMO.subFull, name: "x" }))).status,
    ).toBe(403);
    await viaSub.close();
    const foreign = await failure(call("get_api_key", { api_key_id: DEMO.apiKeys.otherSub }));
    expect(foreign.status).toBe(403);
    expect((await failure(call("get_api_key", { api_key_id: 987654 }))).status).toBe(404);
  });
});

describe("ACME contracts", () => {
  it("creates DV with EAB credentials, reads, adds and removes SANs", async () => {
    const created = await call("create_acme_contract", {
      product_name_id: "ssl_dv_rapidssl",
      sans: ["Shop.Example.com", "*.shop.example.com"],
    });
    expect(created.status).toBe(201);
    expect((created.data.eab_set as SandboxEab).hmac_key.length).toBeGreaterThan(20);
    expect(created.data.acme_directory_url).toMatch(/^https?:\/\//);
    expect(created.data.organization).toBeNull();
    const id = created.data.acme_contract_id;

    await call("add_sans", { acme_contract_id: id, sans: ["api.shop.example.com", "shop.example.com"] });
    await call("remove_sans", { acme_contract_id: id, sans: ["*.shop.example.com"] });
    const got = await call("get_acme_contract", { acme_contract_id: id });
    expect([...got.data.sans].sort()).toEqual(["api.shop.example.com", "shop.example.com"]);

    const certificates = await call("list_acme_certificates", { acme_contract_id: id });
    expect(certificates.data.certificates).toEqual([]);
  });

  it("needs an organization for OV and EV (400), and refuses the parent key on /acme (403)", async () => {
    const err = await failure(
      call("create_acme_contract", { product_name_id: "ssl_basic", sans: ["o.example.com"] }),
    );
    expect(err.status).toBe(400);
    const ov = await call("create_acme_contract", {
      product_name_id: "ssl_basic",
      sans: ["o.example.com"],
      organization: ORG,
    });
    expect(ov.data.organization?.country).toBe("US");
    const parentAsSub = make({ subaccountKey: DEMO_KEYS.parent });
    const denied = await failure(
      parentAsSub.call("get_acme_contract", { acme_contract_id: DEMO.contracts.dv }),
    );
    expect(denied.status).toBe(403);
    expect(denied.hint).toContain("subaccount");
    await parentAsSub.close();
  });

  it("PUT resets an omitted auto_renew to false; PATCH keeps omitted fields", async () => {
    await call("update_acme_contract", { acme_contract_id: DEMO.contracts.dv, auto_renew: true });
    const patched = await call("get_acme_contract", { acme_contract_id: DEMO.contracts.dv });
    expect(patched.data.auto_renew).toBe(true);
    await call("replace_acme_contract", { acme_contract_id: DEMO.contracts.dv });
    const replaced = await call("get_acme_contract", { acme_contract_id: DEMO.contracts.dv });
    expect(replaced.data.auto_renew).toBe(false);
  });

  it("changing an organization un-validates every contract sharing it", async () => {
    const before = await call("get_acme_contract", { acme_contract_id: DEMO.contracts.ev });
    expect(before.data.is_organization_validated).toBe(true);
    await call("update_acme_contract", {
      acme_contract_id: DEMO.contracts.ov,
      organization: { address: "1 New Street" },
    });
    const ov = await call("get_acme_contract", { acme_contract_id: DEMO.contracts.ov });
    const ev = await call("get_acme_contract", { acme_contract_id: DEMO.contracts.ev });
    expect(ov.data.is_organization_validated).toBe(false);
    expect(ev.data.is_organization_validated).toBe(false);
    expect(ev.data.organization?.address).toBe("1 New Street");
  });

  it("the account setting decides a new contract's auto_renew", async () => {
    await call("update_account_setting", {
      name: "auto_renew_subscription",
      value: "1",
      account_id: DEMO.subCerts,
    });
    const created = await call("create_acme_contract", {
      product_name_id: "ssl_dv_rapidssl",
      sans: ["renew.example.com"],
      account_id: DEMO.subCerts,
    });
    expect(created.data.auto_renew).toBe(true);
    const settings = await call("get_account_settings", { account_id: DEMO.subCerts });
    expect(settings.data.settings?.find((s) => s.name === "auto_renew_subscription")).toMatchObject({
      value: "1",
      is_default: false,
    });
  });

  it("cancels within 30 days only, and not twice", async () => {
    const fresh = await call("create_acme_contract", {
      product_name_id: "ssl_dv_rapidssl",
      sans: ["gone.example.com"],
    });
    const id = fresh.data.acme_contract_id;
    await call("cancel_acme_contract", { acme_contract_id: id });
    const canceled = await call("get_acme_contract", { acme_contract_id: id });
    expect(canceled.data.date_canceled).not.toBeNull();
    expect(canceled.data.sans).toEqual([]);
    expect((await failure(call("cancel_acme_contract", { acme_contract_id: id }))).status).toBe(400);
    expect((await failure(call("add_sans", { acme_contract_id: id, sans: ["x.example.com"] }))).status).toBe(
      400,
    );

    const old = await call("create_acme_contract", {
      product_name_id: "ssl_dv_rapidssl",
      sans: ["old.example.com"],
    });
    sandbox.clock.advance(31 * 24 * 3600 * 1000);
    const late = await failure(call("cancel_acme_contract", { acme_contract_id: old.data.acme_contract_id }));
    expect(late.status).toBe(400);
    expect(late.code).toBe("cancellation_window_expired");
  });

  it("refuses more than 250 SANs on a contract", async () => {
    const names = Array.from({ length: 250 }, (_, i) => `h${i}.example.com`);
    const err = await failure(call("add_sans", { acme_contract_id: DEMO.contracts.dv, sans: names }));
    expect(err.status).toBe(400);
    expect(err.code).toBe("san_limit_exceeded");
  });
});

describe("ACME credentials", () => {
  it("lists without secrets, revokes one and all, regenerates", async () => {
    const opts = { acme_contract_id: DEMO.contracts.withCertificates, account_id: DEMO.subCerts };
    const listed = await call("list_acme_credentials", opts);
    expect(listed.data.credentials.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(listed.data)).not.toMatch(/hmac/);
    await call("revoke_acme_credential", { ...opts, credential_id: DEMO.credentials.active });
    const afterOne = await call("list_acme_credentials", opts);
    expect(afterOne.data.credentials.find((c) => c.credential_id === DEMO.credentials.active)?.status).toBe(
      "revoked",
    );

    const kept = await call("regenerate_acme_credentials", { ...opts, revoke_existing: false });
    const kept2 = await call("regenerate_acme_credentials", { ...opts, revoke_existing: false });
    expect((kept.data.eab_set as SandboxEab).kid).not.toBe((kept2.data.eab_set as SandboxEab).kid);
    const before = await call("list_acme_credentials", opts);
    expect(before.data.credentials.filter((c) => c.status === "active")).toHaveLength(2);
    await call("revoke_all_acme_credentials", opts);
    const after = await call("list_acme_credentials", opts);
    expect(after.data.credentials.filter((c) => c.status === "active")).toHaveLength(0);

    const certs = await call("list_acme_certificates", opts);
    expect(certs.data.certificates.length).toBeGreaterThan(0);
  });
});

describe("account", () => {
  it("creates a subaccount whose key is shown once and works", async () => {
    const created = await call("create_subaccount", {
      name: "New Customer",
      api_key_name: "first",
      emergency_contact_emails: ["sec@newcustomer.example"],
    });
    expect(created.status).toBe(201);
    const secret = (created.data.api_key as { api_key: string }).api_key;
    const own = make({ subaccountKey: secret });
    const emails = await own.callStrict("get_emergency_emails", {});
    expect(emails.data.emergency_contact_emails).toEqual(["sec@newcustomer.example"]);
    // A subaccount cannot create subaccounts or read reporting.
    const asParent = make({ parentKey: secret });
    expect((await failure(asParent.call("get_account_reporting", {}))).status).toBe(403);
    expect(
      (
        await failure(
          asParent.call("create_subaccount", {
            name: "n",
            api_key_name: "k",
            emergency_contact_emails: ["a@b.co"],
          }),
        )
      ).status,
    ).toBe(403);
    await own.close();
    await asParent.close();
  });

  it("adds emergency emails, removes some, and keeps at least one", async () => {
    await call("add_emergency_emails", {
      emergency_contact_emails: ["Two@example.com", "two@example.com", "three@example.com"],
    });
    const now = (await call("get_emergency_emails")).data.emergency_contact_emails ?? [];
    expect(now.filter((e) => e.toLowerCase() === "two@example.com")).toHaveLength(1);
    await call("remove_emergency_emails", { emergency_contact_emails: ["three@example.com"] });
    const remaining = (await call("get_emergency_emails")).data.emergency_contact_emails;
    expect(remaining).not.toContain("three@example.com");
    const err = await failure(call("remove_emergency_emails", { emergency_contact_emails: remaining }));
    expect(err.status).toBe(400);
    expect((await call("get_emergency_emails")).data.emergency_contact_emails).toEqual(remaining);
  });

  it("reporting omits subaccounts without contracts and includes canceled contracts", async () => {
    const report = (await call("get_account_reporting")).data;
    const accounts = report.accounts.map((a) => a.account_id);
    expect(accounts).toContain(DEMO.subFull);
    expect(accounts).not.toContain(DEMO.subEmpty);
    const canceled = report.accounts
      .flatMap((a) => a.acme)
      .find((c) => c.acme_contract_id === DEMO.contracts.canceled);
    expect(canceled?.date_canceled).not.toBeNull();
    expect(accounts).not.toContain(DEMO.otherSub);
  });
});

describe("finance and CertCentral", () => {
  it("links billing with both headers and reads cost reports", async () => {
    const linked = await call("link_billing_account", { account_id: DEMO.subCanceled });
    expect(linked.status).toBe(204);
    const noDevkey = make({ parentKey: DEMO_KEYS.parent, devkey: "wrong-devkey-000000" });
    const bad = await failure(noDevkey.call("link_billing_account", {}));
    expect(bad.status).toBe(400);
    await noDevkey.close();

    const withOrders = await call("get_subaccount_cost_report", { subaccount_id: DEMO.subFull });
    expect(withOrders.data.subaccount_price?.cost).toBeGreaterThan(0);
    const none = await call("get_subaccount_cost_report", { subaccount_id: DEMO.subEmpty });
    expect(none.data).toEqual({});
    expect((await failure(call("get_subaccount_cost_report", { subaccount_id: DEMO.otherSub }))).status).toBe(
      404,
    );
  });
});

describe("retry policy against the sandbox", () => {
  it("a flaky GET succeeds", async () => {
    sandbox.faults.add({ operation: "get_acme_contract", kind: "status", status: 503, times: 2 });
    const got = await call("get_acme_contract", { acme_contract_id: DEMO.contracts.dv });
    expect(got.attempts).toBe(3);
    expect(sandbox.stats.count("get_acme_contract")).toBe(3);
  });

  it("a POST that gets a 503 is not repeated: the sandbox counts one create", async () => {
    sandbox.faults.add({ operation: "create_acme_contract", kind: "status", status: 503, times: 1 });
    const err = await failure(
      call("create_acme_contract", { product_name_id: "ssl_dv_rapidssl", sans: ["once.example.com"] }),
    );
    expect(err.outcomeUnknown).toBe(true);
    expect(sandbox.stats.count("create_acme_contract")).toBe(1);
  });

  it("a create whose answer is lost is not repeated either, and it did happen once", async () => {
    sandbox.faults.add({ operation: "create_acme_contract", kind: "reset_after_commit", times: 1 });
    const err = await failure(
      call("create_acme_contract", { product_name_id: "ssl_dv_rapidssl", sans: ["lost.example.com"] }),
    );
    expect(err.kind).toBe("network");
    expect(sandbox.stats.count("create_acme_contract")).toBe(1);
    const report = (await call("get_account_reporting")).data;
    const made = report.accounts.flatMap((a) => a.acme).filter((c) => c.sans.includes("lost.example.com"));
    expect(made).toHaveLength(1);
  });
});
