import { z } from "zod";
import { countryCode, email, id, productNameId, telephone, text, timestamp } from "./primitives.js";

// Request shapes are strict (an unknown field is a mistake worth reporting); response shapes are loose so a
// real DigiCert answer with a field we do not know yet is still accepted.

export const contactInput = z.strictObject({
  first_name: text(128),
  last_name: text(128),
  email,
  telephone,
  job_title: text(128).optional(),
});

/** Organization as sent on create/replace/update. Contacts never come back in GET (seed S1). */
export const organizationInput = z.strictObject({
  name: text(),
  assumed_name: text().optional(),
  address: text(),
  address2: text().optional(),
  city: text(128),
  state: text(128),
  zip: text(40),
  country: countryCode,
  telephone,
  organization_contact: contactInput,
  technical_contact: contactInput.optional(),
  verified_contacts: z.array(contactInput).min(1).max(10).optional(),
});
export type OrganizationInput = z.infer<typeof organizationInput>;

/** PATCH merges field by field, so every field is optional there. */
export const organizationPatch = organizationInput.partial();

export const organization = z.looseObject({
  name: z.string(),
  assumed_name: z.string().nullish(),
  address: z.string().nullish(),
  address2: z.string().nullish(),
  city: z.string().nullish(),
  state: z.string().nullish(),
  zip: z.string().nullish(),
  country: z.string().nullish(),
  telephone: z.string().nullish(),
});
export type Organization = z.infer<typeof organization>;

export const contract = z.looseObject({
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
});
export type Contract = z.infer<typeof contract>;

/** The create and regenerate answers carry the EAB pair; field names are not documented (spec E05/E16). */
export const eabSet = z.looseObject({
  credential_id: z.number().int().optional(),
  kid: z.string(),
  hmac_key: z.string(),
});

export const createdContract = contract.extend({
  acme_directory_url: z.string(),
  eab_set: eabSet,
});

export const regeneratedCredentials = z.looseObject({
  acme_contract_id: z.number().int().optional(),
  acme_directory_url: z.string().optional(),
  eab_set: eabSet,
});

export const reportingContract = z.looseObject({
  product_name_id: z.string(),
  account_id: z.number().int(),
  sans: z.array(z.string()),
  acme_contract_id: z.number().int(),
  valid_till: timestamp,
  created_at: timestamp,
  date_canceled: timestamp.nullable(),
});
export type ReportingContract = z.infer<typeof reportingContract>;

export const reporting = z.looseObject({
  accounts: z.array(z.looseObject({ account_id: z.number().int(), acme: z.array(reportingContract) })),
});
export type Reporting = z.infer<typeof reporting>;

export const certificateRecord = z.looseObject({
  domain: z.string(),
  status: z.string(),
  expiration_date: timestamp.nullish(),
  serial_number: z.string(),
  sans: z.array(z.string()).optional(),
});

export const credential = z.looseObject({
  credential_id: z.number().int(),
  kid_hint: z.string().optional(),
  status: z.string(),
  created_at: timestamp,
});

export const apiKey = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  account_id: z.number().int(),
  status: z.string(),
  created_at: timestamp.nullish(),
  last_used_date: timestamp.nullish(),
  api_key_last4: z.string().nullish(),
});
export type ApiKey = z.infer<typeof apiKey>;

/** A key shown once, at creation: the full secret is in `api_key`. */
export const createdApiKey = apiKey.extend({ api_key: z.string() });

export const createdSubaccount = z.looseObject({
  account_id: z.number().int(),
  name: z.string().optional(),
  api_key: createdApiKey,
});

export const setting = z.looseObject({
  name: z.string(),
  value: z.union([z.string(), z.number()]).transform(String),
  is_default: z.boolean().optional(),
});

export const price = z.looseObject({ cost: z.number(), currency: z.string() });

export const costReport = z.looseObject({
  subaccount_price: price.optional(),
  order_price: price.optional(),
  order_prices: z.array(price).optional(),
});

export { id, productNameId };
