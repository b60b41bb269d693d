import { z } from "zod";

// Output schemas of the reporting tools. They describe what the handlers build from src/reporting, so a drift
// between the two fails the SDK's output validation in tests rather than surprising an agent.

/** The counts of a snapshot; a summary's totals have the same plus wildcard_sans (sans there: of live contracts). */
const countsOut = z.object({
  subaccounts: z.number(),
  contracts: z.number(),
  active: z.number(),
  expired: z.number(),
  canceled: z.number(),
  sans: z.number(),
});

export const snapshotMetaOut = z.object({
  id: z.string(),
  taken_at: z.string(),
  checked_at: z.string(),
  hash: z.string(),
  counts: countsOut,
  bytes: z.number(),
});

const id = z.number().int();
const groupStats = { contracts: z.number(), active: z.number(), sans: z.number() };

export const summaryOut = z.object({
  as_of: z.string(),
  totals: countsOut.extend({ wildcard_sans: z.number() }),
  by_product: z.array(z.object({ product_name_id: z.string(), ...groupStats })),
  other_products: z.object({ products: z.number(), ...groupStats }),
  by_subaccount: z.array(z.object({ account_id: id, ...groupStats })),
  other_subaccounts: z.object({ subaccounts: z.number(), ...groupStats }),
  expiring: z.object({
    within_30_days: z.number(),
    within_60_days: z.number(),
    within_90_days: z.number(),
    soonest: z.array(
      z.object({
        acme_contract_id: id,
        account_id: id,
        product_name_id: z.string(),
        valid_till: z.string(),
        days_left: z.number(),
        first_san: z.string(),
        san_count: z.number(),
      }),
    ),
  }),
  canceled: z.object({
    count: z.number(),
    latest: z.array(z.object({ acme_contract_id: id, account_id: id, date_canceled: z.string() })),
  }),
  subaccount_changes: z
    .object({
      appeared_count: z.number(),
      appeared: z.array(id),
      disappeared_count: z.number(),
      disappeared: z.array(id),
    })
    .optional(),
});

export const contractRowOut = z.object({
  acme_contract_id: id,
  account_id: id,
  product_name_id: z.string(),
  status: z.enum(["active", "expired", "canceled"]),
  valid_till: z.string(),
  date_canceled: z.string().nullable(),
  san_count: z.number(),
  sans: z.array(z.string()).describe("first SANs only; san_count has the total"),
});

const contractBriefOut = z.object({
  acme_contract_id: id,
  account_id: id,
  product_name_id: z.string(),
  valid_till: z.string(),
  date_canceled: z.string().nullable(),
  sans: z.array(z.string()),
  san_count: z.number(),
});

export const diffOut = z.object({
  counts: z.object({
    added: z.number(),
    removed: z.number(),
    canceled: z.number(),
    reinstated: z.number(),
    sans_changed: z.number(),
    sans_added: z.number(),
    sans_removed: z.number(),
    expiry_moved: z.number(),
    product_changed: z.number(),
    subaccounts_appeared: z.number(),
    subaccounts_disappeared: z.number(),
  }),
  added: z.array(contractBriefOut),
  removed: z.array(contractBriefOut),
  canceled: z.array(z.object({ acme_contract_id: id, account_id: id, date_canceled: z.string() })),
  reinstated: z.array(z.object({ acme_contract_id: id, account_id: id })),
  sans_changed: z.array(
    z.object({
      acme_contract_id: id,
      account_id: id,
      added: z.array(z.string()),
      removed: z.array(z.string()),
    }),
  ),
  expiry_moved: z.array(z.object({ acme_contract_id: id, account_id: id, from: z.string(), to: z.string() })),
  product_changed: z.array(
    z.object({ acme_contract_id: id, account_id: id, from: z.string(), to: z.string() }),
  ),
  subaccounts_appeared: z.array(id),
  subaccounts_disappeared: z.array(id),
  unchanged: z.boolean(),
  truncated: z.boolean(),
});

export const domainMatchOut = z.object({
  acme_contract_id: id,
  account_id: id,
  product_name_id: z.string(),
  san: z.string(),
  match: z.enum(["exact", "wildcard"]),
  valid_till: z.string(),
  date_canceled: z.string().nullable(),
  status: z.enum(["active", "expired", "canceled"]),
});

export const expiringOut = z.object({
  acme_contract_id: id,
  account_id: id,
  product_name_id: z.string(),
  valid_till: z.string(),
  days_left: z.number(),
  san_count: z.number(),
  sans: z.array(z.string()),
});

/** Input blocks shared by several tools. */
/** Undescribed: where ids come from, and that the default is the latest, is said once in the server instructions. */
export const snapshotIdIn = z.string().max(40).optional();
export const accountIdIn = z.number().int().positive().describe("subaccount id");
export const limitIn = (max: number, fallback: number) => z.number().int().min(1).max(max).default(fallback);
