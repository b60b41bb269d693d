import { DAY_MS, plusOneYear, wholeSecond } from "./clock.js";
import { findOrCreateOrganization } from "./organizations.js";
import type {
  CertificateRecord,
  Contacts,
  ContractRecord,
  CostEntry,
  OrganizationDetails,
  OrganizationValidation,
  Store,
} from "./store.js";

export type SeedName = "demo" | "empty";

/** Keys of the seeded accounts; fixed strings so the README and CLI can print them. */
export interface SandboxKeys {
  /** parent account 1000 */
  parent: string;
  /** one active key per seeded subaccount, by subaccount id */
  subaccounts: Record<number, string>;
  /** CertCentral DEVKEY of the parent's billing account 900001 */
  devkey: string;
  /** an inactive key of subaccount 1004 (demo seed): every request with it is 401 */
  inactive?: string;
  /** parent 2000 of an unrelated tenant (demo seed), for 403 cross-tenant cases */
  otherParent?: string;
  /** subaccounts of the unrelated tenant, by id */
  otherSubaccounts?: Record<number, string>;
  /** DEVKEY of the unrelated tenant's CertCentral account 900002 */
  otherDevkey?: string;
}

/** Fixed ids of the demo seed, exported so tests and docs name them instead of repeating numbers. */
export const DEMO = {
  parent: 1000,
  /** DV, OV and EV contracts; the OV and EV contracts share one validated organization */
  subFull: 1001,
  /** one canceled contract, one active; auto_renew_subscription = "1" */
  subCanceled: 1002,
  /** no contracts (omitted from reporting) */
  subEmpty: 1003,
  /** certificate records, several credentials, an inactive second key */
  subCerts: 1004,
  otherParent: 2000,
  otherSub: 2001,
  contracts: {
    dv: 10001,
    ov: 10002,
    ev: 10003,
    ovOtherOrg: 10004,
    canceled: 10005,
    betaActive: 10006,
    withCertificates: 10007,
    otherTenant: 10008,
  },
  credentials: { revokedOld: 40010, revokedNewer: 40011, active: 40012 },
  certCentral: { billing: 900001, other: 900002 },
  apiKeys: {
    parent: 5001,
    subFull: 5002,
    subCanceled: 5003,
    subEmpty: 5004,
    subCerts: 5005,
    subCertsInactive: 5006,
    otherParent: 5007,
    otherSub: 5008,
  },
} as const;

export const DEMO_KEYS = {
  parent: "sandbox-parent-key-1000",
  subFull: "sandbox-sub-key-1001",
  subCanceled: "sandbox-sub-key-1002",
  subEmpty: "sandbox-sub-key-1003",
  subCerts: "sandbox-sub-key-1004",
  inactive: "sandbox-sub-key-1004-inactive",
  otherParent: "sandbox-other-parent-key-2000",
  otherSub: "sandbox-other-sub-key-2001",
  devkey: "sandbox-devkey-900001",
  otherDevkey: "sandbox-other-devkey-900002",
} as const;

/** The demo seed's validated organization (shared by the OV and EV contracts of subaccount 1001). */
export const EXAMPLE_CORP: Readonly<OrganizationDetails> = {
  name: "Example Corporation",
  assumed_name: "Example Corp",
  address: "123 Main Street",
  address2: "Suite 500",
  city: "San Francisco",
  state: "CA",
  zip: "94105",
  country: "US",
  telephone: "+1-555-0100",
};

const EXAMPLE_RETAIL: OrganizationDetails = {
  name: "Example Retail LLC",
  address: "77 Market Road",
  city: "Austin",
  state: "TX",
  zip: "73301",
  country: "US",
  telephone: "+1-555-0177",
};

const CONTACT = {
  first_name: "Jane",
  last_name: "Doe",
  email: "jane.doe@example.com",
  telephone: "+1-555-0101",
  job_title: "IT Manager",
};

const EV_CONTACTS: Contacts = {
  organization_contact: CONTACT,
  verified_contacts: [{ ...CONTACT, first_name: "John", email: "john.doe@example.com" }],
};

function addParent(store: Store, id: number, name: string, emails: string[], billing: number, now: number) {
  return store.addAccount({
    id,
    kind: "parent",
    parentId: null,
    name,
    emails,
    settings: new Map(),
    billingLink: billing,
    createdAt: now - 400 * DAY_MS,
  });
}

function addSub(store: Store, id: number, parentId: number, name: string, emails: string[], now: number) {
  return store.addAccount({
    id,
    kind: "sub",
    parentId,
    name,
    emails,
    settings: new Map(),
    billingLink: null,
    createdAt: now - 300 * DAY_MS,
  });
}

function addKey(
  store: Store,
  id: number,
  accountId: number,
  name: string,
  secret: string,
  now: number,
  status: "active" | "inactive" = "active",
) {
  store.addApiKey({ id, accountId, name, secret, status, createdAt: now - 300 * DAY_MS, lastUsed: null });
}

interface ContractSeed {
  id: number;
  credentialId: number;
  accountId: number;
  product: string;
  ageDays: number;
  sans: string[];
  org?: { details: OrganizationDetails; validation: OrganizationValidation; contacts: Contacts };
  autoRenew?: boolean;
  canceledAfterDays?: number;
  certificates?: CertificateRecord[];
}

function addContract(store: Store, s: ContractSeed, now: number): ContractRecord {
  const createdAt = now - s.ageDays * DAY_MS;
  const org = s.org
    ? findOrCreateOrganization(store, s.accountId, s.org.details, s.org.validation)
    : undefined;
  const canceledAt = s.canceledAfterDays === undefined ? null : createdAt + s.canceledAfterDays * DAY_MS;
  const credential = store.newCredential(createdAt, s.credentialId);
  if (canceledAt !== null) credential.status = "revoked";
  return store.addContract({
    id: s.id,
    accountId: s.accountId,
    product: s.product,
    createdAt,
    validTill: plusOneYear(createdAt),
    sans: canceledAt === null ? s.sans : [],
    orgId: org?.id ?? null,
    contacts: s.org?.contacts ?? null,
    autoRenew: canceledAt === null ? (s.autoRenew ?? false) : false,
    canceledAt,
    directoryToken: store.newDirectoryToken(),
    credentials: [credential],
    certificates: s.certificates ?? [],
  });
}

function addCertCentral(
  store: Store,
  id: number,
  name: string,
  devkey: string,
  costs: [number, CostEntry][],
): void {
  store.addCertCentral({ id, name, devkey, currency: "USD", costs: new Map(costs) });
}

/**
 * Fills an empty store. Ids are fixed; timestamps are relative to `now` (whole seconds) so the demo always has
 * a contract inside and one outside the 30-day cancellation window, and every reporting view shows something on
 * the first call: contracts expiring within 30 (10004), 60 (10007) and 90 days (10001), a canceled one (10005),
 * a wildcard (*.example.com on 10001), and contracts in three subaccounts.
 */
export function seedStore(store: Store, seed: SeedName, nowMs: number): SandboxKeys {
  const now = wholeSecond(nowMs);
  const d = DEMO;
  const k = DEMO_KEYS;
  addCertCentral(store, d.certCentral.billing, "Sandbox Partner billing", k.devkey, []);
  addParent(
    store,
    d.parent,
    "Sandbox Partner",
    ["security@partner.example", "noc@partner.example"],
    d.certCentral.billing,
    now,
  );
  addKey(store, d.apiKeys.parent, d.parent, "Parent production key", k.parent, now);
  if (seed === "empty") return { parent: k.parent, subaccounts: {}, devkey: k.devkey };

  addSub(store, d.subFull, d.parent, "Acme Hosting", ["ops@acmehosting.example"], now);
  addSub(
    store,
    d.subCanceled,
    d.parent,
    "Beta Shop",
    ["security@betashop.example", "it@betashop.example"],
    now,
  );
  addSub(store, d.subEmpty, d.parent, "Gamma Labs", ["admin@gammalabs.example"], now);
  addSub(store, d.subCerts, d.parent, "Delta Certs", ["pki@delta.example"], now);
  store.account(d.subCanceled)?.settings.set("auto_renew_subscription", "1");
  addKey(store, d.apiKeys.subFull, d.subFull, "Acme Hosting key", k.subFull, now);
  addKey(store, d.apiKeys.subCanceled, d.subCanceled, "Beta Shop key", k.subCanceled, now);
  addKey(store, d.apiKeys.subEmpty, d.subEmpty, "Gamma Labs key", k.subEmpty, now);
  addKey(store, d.apiKeys.subCerts, d.subCerts, "Delta Certs key", k.subCerts, now);
  addKey(store, d.apiKeys.subCertsInactive, d.subCerts, "Delta Certs old key", k.inactive, now, "inactive");

  const c = d.contracts;
  const exampleCorp = { details: EXAMPLE_CORP, validation: "EV" as const, contacts: EV_CONTACTS };
  addContract(
    store,
    {
      id: c.dv,
      credentialId: 40001,
      accountId: d.subFull,
      product: "ssl_dv_rapidssl",
      // a one-year term ending in 80 days: expiring within 90 (and outside the 30-day cancel window)
      ageDays: 285,
      sans: ["example.com", "www.example.com", "*.example.com"],
    },
    now,
  );
  addContract(
    store,
    {
      id: c.ov,
      credentialId: 40002,
      accountId: d.subFull,
      product: "ssl_basic",
      ageDays: 20,
      sans: ["example.com", "www.example.com"],
      org: { ...exampleCorp, contacts: { organization_contact: CONTACT } },
      autoRenew: true,
    },
    now,
  );
  addContract(
    store,
    {
      id: c.ev,
      credentialId: 40003,
      accountId: d.subFull,
      product: "ssl_ev_basic",
      ageDays: 20,
      sans: ["secure.example.com", "www.secure.example.com"],
      org: exampleCorp,
    },
    now,
  );
  addContract(
    store,
    {
      id: c.ovOtherOrg,
      credentialId: 40004,
      accountId: d.subFull,
      product: "ssl_basic",
      // ends in 25 days: expiring within 30
      ageDays: 340,
      sans: ["shop.example.org"],
      org: { details: EXAMPLE_RETAIL, validation: "OV", contacts: { organization_contact: CONTACT } },
    },
    now,
  );
  addContract(
    store,
    {
      id: c.canceled,
      credentialId: 40005,
      accountId: d.subCanceled,
      product: "ssl_dv_rapidssl",
      ageDays: 50,
      sans: ["old.betashop.example"],
      canceledAfterDays: 5,
    },
    now,
  );
  addContract(
    store,
    {
      id: c.betaActive,
      credentialId: 40006,
      accountId: d.subCanceled,
      product: "ssl_dv_rapidssl",
      ageDays: 10,
      sans: ["betashop.example", "www.betashop.example"],
      autoRenew: true,
    },
    now,
  );
  const certs = addContract(
    store,
    {
      id: c.withCertificates,
      credentialId: d.credentials.active,
      accountId: d.subCerts,
      product: "ssl_dv_geotrust",
      // ends in 55 days: expiring within 60
      ageDays: 310,
      sans: ["delta.example", "www.delta.example", "api.delta.example"],
      autoRenew: true,
      certificates: [
        {
          domain: "delta.example",
          status: "issued",
          expirationDate: now + 60 * DAY_MS,
          serialNumber: "0A1B2C3D4E5F60718293A4B5C6D7E8F9",
          sans: ["delta.example", "www.delta.example"],
        },
        {
          domain: "api.delta.example",
          status: "revoked",
          expirationDate: now + 20 * DAY_MS,
          serialNumber: "0B2C3D4E5F60718293A4B5C6D7E8F901",
          sans: ["api.delta.example"],
        },
        {
          domain: "delta.example",
          status: "expired",
          expirationDate: now - 10 * DAY_MS,
          serialNumber: "0C3D4E5F60718293A4B5C6D7E8F90123",
          sans: ["delta.example"],
        },
      ],
    },
    now,
  );
  // Rotated twice: two revoked credentials, then the active one (listed newest first).
  for (const active of certs.credentials) active.createdAt = now - 30 * DAY_MS;
  certs.credentials.unshift(
    { ...store.newCredential(now - 200 * DAY_MS, d.credentials.revokedOld), status: "revoked" },
    { ...store.newCredential(now - 120 * DAY_MS, d.credentials.revokedNewer), status: "revoked" },
  );

  addCertCentral(store, d.certCentral.other, "Other Partner billing", k.otherDevkey, [
    [
      d.otherSub,
      { order_price: { cost: 99, currency: "USD" }, subaccount_price: { cost: 99, currency: "USD" } },
    ],
  ]);
  addParent(
    store,
    d.otherParent,
    "Other Partner",
    ["security@other-partner.example"],
    d.certCentral.other,
    now,
  );
  addSub(store, d.otherSub, d.otherParent, "Other Customer", ["ops@other-customer.example"], now);
  addKey(store, d.apiKeys.otherParent, d.otherParent, "Other parent key", k.otherParent, now);
  addKey(store, d.apiKeys.otherSub, d.otherSub, "Other customer key", k.otherSub, now);
  addContract(
    store,
    {
      id: c.otherTenant,
      credentialId: 40008,
      accountId: d.otherSub,
      product: "ssl_dv_rapidssl",
      ageDays: 5,
      sans: ["other-customer.example"],
    },
    now,
  );

  const billing = store.certCentral.get(d.certCentral.billing);
  billing?.costs.set(d.subFull, {
    subaccount_price: { cost: 3224, currency: "AUD" },
    order_price: { cost: 2180, currency: "USD" },
  });
  billing?.costs.set(d.subCanceled, {});
  billing?.costs.set(d.subEmpty, {});
  // The parent switched from GBP to USD: order_prices lists both, order_price the current currency (S4).
  billing?.costs.set(d.subCerts, {
    subaccount_price: { cost: 1500, currency: "EUR" },
    order_price: { cost: 1210, currency: "USD" },
    order_prices: [
      { cost: 980, currency: "GBP" },
      { cost: 1210, currency: "USD" },
    ],
  });

  return {
    parent: k.parent,
    subaccounts: {
      [d.subFull]: k.subFull,
      [d.subCanceled]: k.subCanceled,
      [d.subEmpty]: k.subEmpty,
      [d.subCerts]: k.subCerts,
    },
    devkey: k.devkey,
    inactive: k.inactive,
    otherParent: k.otherParent,
    otherSubaccounts: { [d.otherSub]: k.otherSub },
    otherDevkey: k.otherDevkey,
  };
}
