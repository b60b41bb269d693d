import {
  addSans,
  cancelAcmeContract,
  createAcmeContract,
  getAcmeContract,
  listCertificates,
  removeSans,
  replaceAcmeContract,
  updateAcmeContract,
} from "../../src/operations/acme.js";
import { MAX_SANS_PER_CONTRACT } from "../../src/schemas/primitives.js";
import { DAY_MS, plusOneYear } from "../clock.js";
import { badRequest } from "../errors.js";
import { changeOrganization, detailsOf, findOrCreateOrganization, PRODUCTS } from "../organizations.js";
import { contactsOf } from "../requests.js";
import { DEMO } from "../seed.js";
import type { Contacts, ContractRecord, OrganizationDetails, Store, ValidationType } from "../store.js";
import { certificateView, contractView, directoryUrl, eabSetView } from "../views.js";
import { SETTINGS } from "./account.js";
import { assertActive, ownContract } from "./contracts.js";
import { callerOf, handler, noContent, ok } from "./types.js";

export const CANCEL_WINDOW_MS = 30 * DAY_MS;

const REQUIRED_DETAILS = ["name", "address", "city", "state", "zip", "country", "telephone"] as const;

function productType(product: string): ValidationType {
  const type = PRODUCTS[product];
  if (!type) {
    throw badRequest(
      "invalid_product",
      `product_name_id "${product}" is not available; use one of ${Object.keys(PRODUCTS).join(", ")}`,
    );
  }
  return type;
}

/** OV/EV need an organization with its contact; EV also a verified contact (spec W3, W4). */
function requireOrganization(
  type: ValidationType,
  details: Partial<OrganizationDetails> | undefined,
  contacts: Contacts | undefined,
): void {
  if (!details) {
    throw badRequest("organization_required", `${type} products need an organization object`);
  }
  const missing = REQUIRED_DETAILS.filter((f) => !details[f]);
  if (missing.length > 0) {
    throw badRequest("organization_required", `organization is missing ${missing.join(", ")}`);
  }
  if (!contacts?.organization_contact) {
    throw badRequest("organization_required", "organization.organization_contact is required for OV and EV");
  }
  if (type === "EV" && !contacts.verified_contacts?.length) {
    throw badRequest("verified_contacts_required", "EV products need organization.verified_contacts");
  }
}

type OrganizationBody = Partial<OrganizationDetails> & Parameters<typeof contactsOf>[0];

function applyOrganization(store: Store, c: ContractRecord, org: OrganizationBody, contacts: Contacts) {
  changeOrganization(store, c, detailsOf(org));
  store.updateContract(c, { contacts });
}

export const acmeHandlers = {
  create_acme_contract: handler(
    createAcmeContract,
    { product_name_id: "ssl_dv_rapidssl", sans: ["new.example.net"] },
    (ctx) => {
      const { store, body, now } = ctx;
      const account = callerOf(ctx).account;
      const type = productType(body.product_name_id);
      let orgId: number | null = null;
      let contacts: Contacts | null = null;
      // DV ignores a supplied organization (stored null) rather than failing the order.
      if (type !== "DV") {
        const org = body.organization;
        contacts = org ? contactsOf(org) : null;
        requireOrganization(type, org, contacts ?? undefined);
        orgId = findOrCreateOrganization(store, account.id, detailsOf(org as OrganizationBody)).id;
      }
      const setting = SETTINGS.auto_renew_subscription?.systemDefault ?? "0";
      const autoRenew = body.auto_renew ?? store.setting(account, "auto_renew_subscription", setting) === "1";
      const credential = store.newCredential(now);
      const contract = store.addContract({
        id: store.nextId("contract"),
        accountId: account.id,
        product: body.product_name_id,
        createdAt: now,
        validTill: plusOneYear(now),
        sans: [...body.sans],
        orgId,
        contacts,
        autoRenew,
        canceledAt: null,
        directoryToken: store.newDirectoryToken(),
        credentials: [credential],
        certificates: [],
      });
      return ok(
        {
          ...contractView(store, contract),
          acme_directory_url: directoryUrl(contract),
          eab_set: eabSetView(credential),
        },
        201,
      );
    },
  ),

  get_acme_contract: handler(getAcmeContract, { acme_contract_id: DEMO.contracts.dv }, (ctx) =>
    ok(contractView(ctx.store, ownContract(ctx.store, callerOf(ctx), ctx.params.acme_contract_id))),
  ),

  replace_acme_contract: handler(
    replaceAcmeContract,
    { acme_contract_id: DEMO.contracts.dv, auto_renew: true },
    (ctx) => {
      const { store, body } = ctx;
      const contract = ownContract(store, callerOf(ctx), ctx.params.acme_contract_id);
      assertActive(contract);
      const type = productType(contract.product);
      if (type !== "DV") {
        const org = body.organization;
        const contacts = org ? contactsOf(org) : undefined;
        requireOrganization(type, org, contacts);
        applyOrganization(store, contract, org as OrganizationBody, contacts as Contacts);
      }
      // Full replacement: an omitted auto_renew resets to false (S3).
      store.updateContract(contract, { autoRenew: body.auto_renew ?? false });
      return ok(contractView(store, contract));
    },
  ),

  update_acme_contract: handler(
    updateAcmeContract,
    { acme_contract_id: DEMO.contracts.dv, auto_renew: true },
    (ctx) => {
      const { store, body } = ctx;
      const contract = ownContract(store, callerOf(ctx), ctx.params.acme_contract_id);
      assertActive(contract);
      const type = productType(contract.product);
      if (body.organization && type !== "DV") {
        const patch = body.organization;
        const current = store.organization(contract.orgId)?.details;
        const details: Partial<OrganizationDetails> = { ...current };
        for (const f of [...REQUIRED_DETAILS, "assumed_name", "address2"] as const) {
          if (patch[f] !== undefined) details[f] = patch[f];
        }
        // contacts merge as whole objects (spec E08)
        const contacts: Contacts = { ...contract.contacts, ...contactsOf(patch) };
        requireOrganization(type, details, contacts);
        changeOrganization(store, contract, detailsOf(details));
        store.updateContract(contract, { contacts });
      }
      store.updateContract(contract, { autoRenew: body.auto_renew });
      return ok(contractView(store, contract));
    },
  ),

  cancel_acme_contract: handler(
    cancelAcmeContract,
    { acme_contract_id: DEMO.contracts.betaActive, account_id: DEMO.subCanceled },
    (ctx) => {
      const contract = ownContract(ctx.store, callerOf(ctx), ctx.params.acme_contract_id);
      if (contract.canceledAt !== null) {
        throw badRequest("contract_canceled", `ACME contract ${contract.id} is already canceled`);
      }
      if (ctx.now - contract.createdAt > CANCEL_WINDOW_MS) {
        throw badRequest(
          "cancellation_window_expired",
          `ACME contract ${contract.id} was created more than 30 days ago and can no longer be canceled; set auto_renew to false to stop renewal`,
        );
      }
      ctx.store.updateContract(contract, { canceledAt: ctx.now, sans: [], autoRenew: false });
      ctx.store.revokeCredentials(contract);
      return noContent();
    },
  ),

  add_sans: handler(addSans, { acme_contract_id: DEMO.contracts.dv, sans: ["x.example.com"] }, (ctx) => {
    const contract = ownContract(ctx.store, callerOf(ctx), ctx.params.acme_contract_id);
    assertActive(contract);
    const merged = [...new Set([...contract.sans, ...ctx.body.sans])];
    if (merged.length > MAX_SANS_PER_CONTRACT) {
      throw badRequest(
        "san_limit_exceeded",
        `a contract holds at most ${MAX_SANS_PER_CONTRACT} SANs; this would make ${merged.length}`,
      );
    }
    ctx.store.updateContract(contract, { sans: merged });
    return noContent();
  }),

  remove_sans: handler(removeSans, { acme_contract_id: DEMO.contracts.dv, sans: ["example.com"] }, (ctx) => {
    const contract = ownContract(ctx.store, callerOf(ctx), ctx.params.acme_contract_id);
    assertActive(contract);
    const gone = new Set(ctx.body.sans);
    const remaining = contract.sans.filter((s) => !gone.has(s));
    if (remaining.length === 0) {
      throw badRequest(
        "last_san",
        "a contract must keep at least one SAN; cancel the contract instead of removing all of them",
      );
    }
    ctx.store.updateContract(contract, { sans: remaining });
    return noContent();
  }),

  list_acme_certificates: handler(
    listCertificates,
    { acme_contract_id: DEMO.contracts.withCertificates, account_id: DEMO.subCerts },
    (ctx) => {
      const contract = ownContract(ctx.store, callerOf(ctx), ctx.params.acme_contract_id);
      return ok({ certificates: contract.certificates.map(certificateView) });
    },
  ),
};
