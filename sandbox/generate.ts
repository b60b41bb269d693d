import { DAY_MS, plusOneYear, wholeSecond } from "./clock.js";
import { findOrCreateOrganization } from "./organizations.js";
import { BASE64URL, Prng, RandomText } from "./random.js";
import type { Contacts, Store } from "./store.js";

export interface GenerateOptions {
  subaccounts: number;
  contractsPerSubaccount: number;
  /** PRNG seed; the same seed gives the same data */
  seed?: number;
}

export const GENERATED_KEY = (accountId: number) => `sandbox-gen-${accountId}-key`;

// Shared and never mutated: handlers replace a contract's contacts object, they do not edit it.
const CONTACTS: Contacts = {
  organization_contact: {
    first_name: "Pat",
    last_name: "Lee",
    email: "pat.lee@example.com",
    telephone: "+1-555-0142",
  },
  verified_contacts: [
    { first_name: "Pat", last_name: "Lee", email: "pat.lee@example.com", telephone: "+1-555-0142" },
  ],
};

const PRODUCTS = [
  "ssl_dv_rapidssl",
  "ssl_dv_rapidssl",
  "ssl_dv_geotrust",
  "ssl_basic",
  "ssl_ev_basic",
] as const;

/**
 * Adds many subaccounts with contracts under the parent, for load and reporting tests. Everything is derived
 * from one seeded PRNG, and per-item work is constant, so 10,000 × 10 builds in well under a second or two.
 * Generated subaccounts get ids from the normal counter (100001 upward) and the key `sandbox-gen-<id>-key`.
 */
export function generateData(
  store: Store,
  parentId: number,
  options: GenerateOptions,
  nowMs: number,
): number[] {
  const parent = store.account(parentId);
  if (!parent) throw new Error(`generate: parent ${parentId} does not exist`);
  const subaccounts = Math.max(0, Math.floor(options.subaccounts));
  const perSub = Math.max(0, Math.floor(options.contractsPerSubaccount));
  const rng = new Prng(options.seed ?? 20_260_202);
  const text = new RandomText(new Prng((options.seed ?? 20_260_202) ^ 0x7e57), BASE64URL);
  const now = wholeSecond(nowMs);
  const billing = parent.billingLink === null ? undefined : store.certCentral.get(parent.billingLink);
  const ids: number[] = [];
  for (let s = 0; s < subaccounts; s++) {
    const id = store.nextId("account");
    ids.push(id);
    const domain = `customer${id}.example`;
    store.addAccount({
      id,
      kind: "sub",
      parentId,
      name: `Generated customer ${id}`,
      emails: [`ops@${domain}`],
      settings: new Map(),
      billingLink: null,
      createdAt: now - 400 * DAY_MS,
    });
    store.addApiKey({
      id: store.nextId("apiKey"),
      accountId: id,
      name: `Generated key ${id}`,
      secret: GENERATED_KEY(id),
      status: "active",
      createdAt: now - 400 * DAY_MS,
      lastUsed: null,
    });
    billing?.costs.set(
      id,
      rng.int(4) === 0 ? {} : { order_price: { cost: 100 + rng.int(5000), currency: "USD" } },
    );
    let orgId: number | null = null;
    for (let c = 0; c < perSub; c++) {
      const product = rng.pick(PRODUCTS);
      const needsOrg = product === "ssl_basic" || product === "ssl_ev_basic";
      if (needsOrg) {
        orgId ??= findOrCreateOrganization(
          store,
          id,
          {
            name: `Customer ${id} Inc.`,
            address: `${1 + rng.int(999)} Main Street`,
            city: "Springfield",
            state: "IL",
            zip: "62701",
            country: "US",
            telephone: "+1-555-0199",
          },
          rng.int(2) === 0 ? "EV" : "OV",
        ).id;
      }
      const createdAt = now - rng.int(360) * DAY_MS - rng.int(86_400) * 1000;
      const canceled = rng.int(10) === 0;
      const sans = [`www${c}.${domain}`];
      if (rng.int(2) === 0) sans.push(`api${c}.${domain}`);
      if (rng.int(5) === 0) sans.push(`*.app${c}.${domain}`);
      store.addContract({
        id: store.nextId("contract"),
        accountId: id,
        product,
        createdAt,
        validTill: plusOneYear(createdAt),
        sans: canceled ? [] : sans,
        orgId: needsOrg ? orgId : null,
        contacts: needsOrg ? CONTACTS : null,
        autoRenew: !canceled && rng.int(2) === 0,
        canceledAt: canceled ? Math.min(now, createdAt + rng.int(30) * DAY_MS) : null,
        directoryToken: text.take(24),
        credentials: [
          {
            id: store.nextId("credential"),
            kid: text.take(43),
            hmacKey: text.take(86),
            status: canceled ? "revoked" : "active",
            createdAt,
          },
        ],
        certificates: [],
      });
    }
  }
  return ids;
}
