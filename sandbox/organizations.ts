import type {
  ContractRecord,
  OrganizationDetails,
  OrganizationRecord,
  Store,
  ValidationType,
} from "./store.js";

/** Product allow-list (spec §1.4): the validation type decides whether an organization is needed. */
export const PRODUCTS: Readonly<Record<string, ValidationType>> = {
  ssl_dv_rapidssl: "DV",
  ssl_dv_geotrust: "DV",
  ssl_basic: "OV",
  ssl_ev_basic: "EV",
};

const DETAIL_FIELDS = [
  "name",
  "assumed_name",
  "address",
  "address2",
  "city",
  "state",
  "zip",
  "country",
  "telephone",
] as const;

/** Accepts anything shaped like an organization input and keeps only the validated (non-contact) fields. */
export function detailsOf(input: Partial<OrganizationDetails> & object): OrganizationDetails {
  return {
    name: input.name ?? "",
    assumed_name: input.assumed_name,
    address: input.address ?? "",
    address2: input.address2,
    city: input.city ?? "",
    state: input.state ?? "",
    zip: input.zip ?? "",
    country: input.country ?? "",
    telephone: input.telephone ?? "",
  };
}

/**
 * Two organizations are "the same" when their details match after trimming, case folding and collapsing
 * spaces, so "Example Corp " and "example corp" share one validation.
 */
export function organizationKey(accountId: number, details: OrganizationDetails): string {
  const parts = DETAIL_FIELDS.map((f) => (details[f] ?? "").trim().toLowerCase().replace(/\s+/g, " "));
  return `${accountId}\u0002${parts.join("\u0001")}`;
}

/** The subaccount's record for these details, created (unvalidated) if none exists yet. */
export function findOrCreateOrganization(
  store: Store,
  accountId: number,
  details: OrganizationDetails,
  validation: OrganizationRecord["validation"] = "none",
): OrganizationRecord {
  const key = organizationKey(accountId, details);
  const existing = store.organizationsByKey.get(key);
  if (existing) return existing;
  const record: OrganizationRecord = {
    id: store.nextId("organization"),
    accountId,
    details,
    key,
    validation,
  };
  store.organizations.set(record.id, record);
  store.organizationsByKey.set(key, record);
  return record;
}

/**
 * Applies new organization details to a contract. DigiCert: changing details "rejects existing validation for
 * that organization and can affect multiple ACME contracts that use the same organization details" — so the
 * shared record is edited, and every contract pointing at it sees the new details, unvalidated. If the new
 * details are those of another record of the subaccount, the contracts join that record (and its validation).
 * Returns the ids of contracts whose organization changed.
 */
export function changeOrganization(
  store: Store,
  contract: ContractRecord,
  details: OrganizationDetails,
): number[] {
  const current = store.organization(contract.orgId);
  if (!current) {
    contract.orgId = findOrCreateOrganization(store, contract.accountId, details).id;
    return [contract.id];
  }
  const key = organizationKey(contract.accountId, details);
  if (key === current.key) return [];
  const siblings = store.contractsOf(contract.accountId).filter((c) => c.orgId === current.id);
  const target = store.organizationsByKey.get(key);
  if (target) {
    for (const c of siblings) c.orgId = target.id;
    store.organizations.delete(current.id);
    store.organizationsByKey.delete(current.key);
  } else {
    store.organizationsByKey.delete(current.key);
    current.details = details;
    current.key = key;
    current.validation = "none";
    store.organizationsByKey.set(key, current);
  }
  return siblings.map((c) => c.id);
}

/** True when the organization holds a validation matching the contract's product type (seed S1). */
export function isValidated(store: Store, contract: ContractRecord): boolean {
  const type = PRODUCTS[contract.product];
  const org = store.organization(contract.orgId);
  if (!org || type === undefined || type === "DV") return false;
  return type === "EV" ? org.validation === "EV" : org.validation !== "none";
}
