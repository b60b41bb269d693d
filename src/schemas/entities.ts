import { z } from "zod";
import { lazy } from "./lazy.js";
import {
  countryCode,
  email,
  id,
  productNameId,
  TIMESTAMP_PATTERN,
  telephone,
  text,
  timestamp,
} from "./primitives.js";

// Request shapes are strict (an unknown field is a mistake worth reporting); response shapes are loose so a
// real DigiCert answer with a field we do not know yet is still accepted.

// What DigiCert documents of a request is checked; what it does not document is passed on as given, and
// DigiCert's own 400 names what it refuses (W3 shows these fields in examples but says nothing of which are
// required, nor the form of EV verified_contacts).

/** A contact as in DigiCert's create-contract example (W3); which fields are required is not documented. */
export const contactInput = lazy(() =>
  z.looseObject({
    first_name: text(128).optional(),
    last_name: text(128).optional(),
    email: email.optional(),
    telephone: telephone.optional(),
    job_title: text(128).optional(),
  }),
);

/** Organization as sent on create/replace/update. Contacts never come back in GET (seed S1). */
export const organizationInput = lazy(() =>
  z.strictObject({
    name: text(),
    assumed_name: text().optional(),
    address: text().optional(),
    address2: text().optional(),
    city: text(128).optional(),
    state: text(128).optional(),
    zip: text(40).optional(),
    country: countryCode.optional(),
    telephone: telephone.optional(),
    organization_contact: contactInput.optional(),
    technical_contact: contactInput.optional(),
    // EV only; named in W4/W5 but its form is not documented: read as contacts, passed on as given
    verified_contacts: z.array(contactInput).min(1).max(10).optional(),
  }),
);
export type OrganizationInput = z.infer<typeof organizationInput>;

/** PATCH merges field by field, so every field is optional there. */
export const organizationPatch = lazy(() => organizationInput.partial());

export const organization = lazy(() =>
  z.looseObject({
    name: z.string(),
    assumed_name: z.string().nullish(),
    address: z.string().nullish(),
    address2: z.string().nullish(),
    city: z.string().nullish(),
    state: z.string().nullish(),
    zip: z.string().nullish(),
    country: z.string().nullish(),
    telephone: z.string().nullish(),
  }),
);
export type Organization = z.infer<typeof organization>;

export const contract = lazy(() =>
  z.looseObject({
    acme_contract_id: z.number().int(),
    account_id: z.number().int(),
    product_name_id: z.string(),
    created_at: timestamp,
    sans: z.array(z.string()),
    valid_till: timestamp,
    organization: organization.nullable(),
    is_organization_validated: z.boolean(),
    auto_renew: z.boolean(),
    date_canceled: timestamp.nullable(),
  }),
);
export type Contract = z.infer<typeof contract>;

/**
 * Present in the answer, in whatever form: DigiCert names the EAB bundle `eab_set` (W13) but documents nothing
 * inside it, nor anything else of the create and regenerate answers (spec E05/E16).
 */
const present = lazy(() => z.unknown().refine((v) => v !== undefined && v !== null, "missing"));

/** The create-contract answer: only the existence of `eab_set` is documented; our guess of the rest is optional. */
export const createdContract = lazy(() =>
  contract.partial().extend({
    acme_directory_url: z.string().optional(),
    eab_set: present,
  }),
);

export const regeneratedCredentials = lazy(() =>
  z.looseObject({
    acme_contract_id: z.number().int().optional(),
    acme_directory_url: z.string().optional(),
    eab_set: present,
  }),
);

/** PUT/PATCH contract answers are undocumented (spec E07/E08): perhaps the contract, perhaps an empty 200 or 204. */
export const updatedContract = lazy(() => contract.partial().optional());

export const reportingContract = lazy(() =>
  z.looseObject({
    product_name_id: z.string(),
    account_id: z.number().int(),
    sans: z.array(z.string()),
    acme_contract_id: z.number().int(),
    valid_till: timestamp,
    created_at: timestamp,
    date_canceled: timestamp.nullable(),
  }),
);
export type ReportingContract = z.infer<typeof reportingContract>;

export const reporting = lazy(() =>
  z.looseObject({
    accounts: z.array(z.looseObject({ account_id: z.number().int(), acme: z.array(reportingContract) })),
  }),
);
export type Reporting = z.infer<typeof reporting>;

const isInt = Number.isSafeInteger;
const isTimestamp = (v: unknown) => typeof v === "string" && TIMESTAMP_PATTERN.test(v);

/**
 * The `reporting` schema checked by hand, without building zod's copy of a report that may hold 300,000
 * contracts. True only for values `reporting` accepts (and then its parse equals the value, field for field);
 * false sends the caller to zod, which says what differed. Kept in step with `reporting` by
 * test/client/answer.test.ts.
 */
export function isReporting(value: unknown): value is Reporting {
  if (!isObject(value)) return false;
  const accounts = value.accounts;
  if (!Array.isArray(accounts)) return false;
  for (const account of accounts) {
    if (!isObject(account) || !isInt(account.account_id)) return false;
    const acme = account.acme;
    if (!Array.isArray(acme)) return false;
    for (const c of acme) {
      if (
        !isObject(c) ||
        typeof c.product_name_id !== "string" ||
        !isInt(c.account_id) ||
        !isInt(c.acme_contract_id) ||
        !isTimestamp(c.valid_till) ||
        !isTimestamp(c.created_at) ||
        (c.date_canceled !== null && !isTimestamp(c.date_canceled))
      ) {
        return false;
      }
      const sans = c.sans;
      if (!Array.isArray(sans)) return false;
      for (const san of sans) if (typeof san !== "string") return false;
    }
  }
  return true;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export const certificateRecord = lazy(() =>
  z.looseObject({
    domain: z.string(),
    status: z.string(),
    expiration_date: timestamp.nullish(),
    serial_number: z.string(),
    sans: z.array(z.string()).optional(),
  }),
);

export const credential = lazy(() =>
  z.looseObject({
    credential_id: z.number().int(),
    kid_hint: z.string().optional(),
    status: z.string(),
    created_at: timestamp,
  }),
);

export const apiKey = lazy(() =>
  z.looseObject({
    id: z.number().int(),
    name: z.string(),
    account_id: z.number().int(),
    status: z.string(),
    created_at: timestamp.nullish(),
    last_used_date: timestamp.nullish(),
    api_key_last4: z.string().nullish(),
  }),
);
export type ApiKey = z.infer<typeof apiKey>;

/**
 * A key shown once, at creation. W16 shows the answer's start, `{"id", "name", "api_key": "<the key>",
 * "status": …`; whether `account_id` and the rest follow is not visible.
 */
export const createdApiKey = lazy(() =>
  apiKey.partial().extend({
    id: z.number().int(),
    name: z.string(),
    api_key: z.string(),
  }),
);

/** "Includes the subaccount API key" (W18, S2): in which field and form is not documented. */
export const createdSubaccount = lazy(() =>
  z.looseObject({
    account_id: z.number().int().optional(),
    name: z.string().optional(),
  }),
);

/** One setting as we guess DigiCert lists it (spec E22: the shape is not documented). */
export const setting = lazy(() =>
  z.looseObject({
    name: z.string(),
    value: z.union([z.string(), z.number()]).transform(String).optional(),
    is_default: z.boolean().optional(),
  }),
);

/** GET /account/settings: not documented; a list under `settings` is our guess. */
export const settingsList = lazy(() => z.looseObject({ settings: z.array(setting).optional() }));

/** PATCH /account/settings: not documented; the setting, an empty 200 or a 204. */
export const updatedSetting = lazy(() => setting.partial().optional());

/** GET /account/emergency-emails: no detail page exists; the field name is taken from the PUT body. */
export const emergencyEmails = lazy(() =>
  z.looseObject({ emergency_contact_emails: z.array(z.string()).optional() }),
);

export const price = lazy(() => z.looseObject({ cost: z.number(), currency: z.string() }));

export const costReport = lazy(() =>
  z.looseObject({
    subaccount_price: price.optional(),
    order_price: price.optional(),
    order_prices: z.array(price).optional(),
  }),
);

export { id, productNameId };
