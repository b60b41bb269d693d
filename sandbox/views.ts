import { credentialTime, iso } from "./clock.js";
import { isValidated } from "./organizations.js";
import {
  ACME_DIRECTORY_BASE,
  type ApiKeyRecord,
  type CertificateRecord,
  type ContractRecord,
  type CostEntry,
  type CredentialRecord,
  type OrganizationDetails,
  type Store,
} from "./store.js";

// Response shapes, field order as in DigiCert's examples (seeds S0, S1; spec W10, W15).

export function organizationView(details: OrganizationDetails): Record<string, string> {
  const out: Record<string, string> = { name: details.name };
  if (details.assumed_name !== undefined) out.assumed_name = details.assumed_name;
  out.address = details.address;
  if (details.address2 !== undefined) out.address2 = details.address2;
  out.city = details.city;
  out.state = details.state;
  out.zip = details.zip;
  out.country = details.country;
  out.telephone = details.telephone;
  return out;
}

export function contractView(store: Store, c: ContractRecord) {
  const org = store.organization(c.orgId);
  return {
    acme_contract_id: c.id,
    account_id: c.accountId,
    product_name_id: c.product,
    created_at: iso(c.createdAt),
    sans: [...c.sans],
    valid_till: iso(c.validTill),
    organization: org ? organizationView(org.details) : null,
    is_organization_validated: isValidated(store, c),
    auto_renew: c.autoRenew,
    date_canceled: c.canceledAt === null ? null : iso(c.canceledAt),
  };
}

export function reportingContractView(c: ContractRecord) {
  return {
    product_name_id: c.product,
    account_id: c.accountId,
    sans: c.sans,
    acme_contract_id: c.id,
    valid_till: iso(c.validTill),
    created_at: iso(c.createdAt),
    date_canceled: c.canceledAt === null ? null : iso(c.canceledAt),
  };
}

/**
 * The same object as reportingContractView, written by hand: reporting serialises every contract of every
 * subaccount, and skipping the intermediate object halves the time of that request on large data sets.
 * Product ids and SANs only ever hold characters that need no JSON escaping, but they go through
 * JSON.stringify anyway so a surprising value cannot break the document.
 */
export function reportingContractJson(c: ContractRecord): string {
  const canceled = c.canceledAt === null ? "null" : `"${iso(c.canceledAt)}"`;
  return (
    `{"product_name_id":${JSON.stringify(c.product)},"account_id":${c.accountId},"sans":${JSON.stringify(c.sans)},` +
    `"acme_contract_id":${c.id},"valid_till":"${iso(c.validTill)}","created_at":"${iso(c.createdAt)}",` +
    `"date_canceled":${canceled}}`
  );
}

export function directoryUrl(c: ContractRecord): string {
  return ACME_DIRECTORY_BASE + c.directoryToken;
}

export function eabSetView(cred: CredentialRecord) {
  return { credential_id: cred.id, kid: cred.kid, hmac_key: cred.hmacKey };
}

export function credentialView(cred: CredentialRecord) {
  return {
    credential_id: cred.id,
    kid_hint: cred.kid.slice(-4),
    status: cred.status,
    created_at: credentialTime(cred.createdAt),
  };
}

export function certificateView(cert: CertificateRecord) {
  return {
    domain: cert.domain,
    status: cert.status,
    expiration_date: cert.expirationDate === null ? null : iso(cert.expirationDate),
    serial_number: cert.serialNumber,
    sans: [...cert.sans],
  };
}

export function apiKeyView(key: ApiKeyRecord) {
  return {
    id: key.id,
    name: key.name,
    account_id: key.accountId,
    status: key.status,
    created_at: iso(key.createdAt),
    last_used_date: key.lastUsed === null ? null : iso(key.lastUsed),
    api_key_last4: key.secret.slice(-4),
  };
}

/** Shown once, at creation: the only answer that carries the full secret. */
export function createdApiKeyView(key: ApiKeyRecord) {
  return { ...apiKeyView(key), api_key: key.secret };
}

/** Price objects are omitted (not null) when there are no orders (seed S4). */
export function costView(entry: CostEntry): CostEntry {
  const out: CostEntry = {};
  if (entry.subaccount_price) out.subaccount_price = { ...entry.subaccount_price };
  if (entry.order_price) out.order_price = { ...entry.order_price };
  if (entry.order_prices) out.order_prices = entry.order_prices.map((p) => ({ ...p }));
  return out;
}
