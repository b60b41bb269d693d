import { z } from "zod";
import {
  certificateRecord,
  contract,
  createdContract,
  organizationInput,
  organizationPatch,
  updatedContract,
} from "../schemas/entities.js";
import { lazy } from "../schemas/lazy.js";
import { id, productNameId, sanList } from "../schemas/primitives.js";
import { describeContract, list } from "./describe.js";
import { defineOperation, type Inspection } from "./types.js";

export const contractId = lazy(() =>
  z.strictObject({
    acme_contract_id: id("acme_contract_id"),
  }),
);

const inspectContract: Inspection = {
  op: "get_acme_contract",
  input: (input) => ({ acme_contract_id: input.acme_contract_id, account_id: input.account_id }),
};

export const createAcmeContract = defineOperation({
  name: "create_acme_contract",
  title: "Create ACME contract",
  description:
    "Create an ACME contract. OV (ssl_basic) and EV (ssl_ev_basic) need organization; DV (ssl_dv_rapidssl) does not. Returns the ACME directory URL and EAB credentials, shown once.",
  toolset: "acme",
  api: "partner",
  method: "POST",
  path: "/acme",
  scope: "subaccount",
  params: lazy(() => z.strictObject({})),
  body: lazy(() =>
    z.strictObject({
      product_name_id: productNameId,
      sans: sanList.describe("DNS names; wildcard only as leftmost label"),
      organization: organizationInput.optional(),
      auto_renew: z.boolean().optional().describe("default: the account's auto_renew_subscription setting"),
    }),
  ),
  response: createdContract,
  shownOnce: "the EAB credentials (key id and HMAC key)",
  effect: "write",
  idempotent: false,
});

export const getAcmeContract = defineOperation({
  name: "get_acme_contract",
  title: "Get ACME contract",
  description:
    "Get one ACME contract: product, SANs, expiry, organization and validation, auto_renew, cancellation.",
  toolset: "acme",
  api: "partner",
  method: "GET",
  path: "/acme/{acme_contract_id}",
  scope: "subaccount",
  params: contractId,
  body: undefined,
  response: contract,
  effect: "read",
  idempotent: true,
});

export const replaceAcmeContract = defineOperation({
  name: "replace_acme_contract",
  title: "Replace ACME contract (PUT)",
  description:
    "Full replacement: omitted auto_renew becomes false; OV/EV need organization. Prefer update_acme_contract.",
  toolset: "acme",
  api: "partner",
  method: "PUT",
  path: "/acme/{acme_contract_id}",
  scope: "subaccount",
  params: contractId,
  body: lazy(() =>
    z.strictObject({
      auto_renew: z.boolean().optional(),
      organization: organizationInput.optional(),
    }),
  ),
  response: updatedContract,
  effect: "destructive",
  idempotent: true,
  confirm: {
    inspect: inspectContract,
    describe: (input, current) =>
      `Replace contract ${input.acme_contract_id} ${describeContract(current)}: auto_renew becomes ${input.auto_renew === true}` +
      (input.organization
        ? "; the organization is replaced, which rejects its validation for every contract sharing it."
        : "."),
  },
});

export const updateAcmeContract = defineOperation({
  name: "update_acme_contract",
  title: "Update ACME contract (PATCH)",
  description:
    "Change only the given fields. New organization details un-validate every contract sharing that organization.",
  toolset: "acme",
  api: "partner",
  method: "PATCH",
  path: "/acme/{acme_contract_id}",
  scope: "subaccount",
  params: contractId,
  body: lazy(() =>
    z.strictObject({
      auto_renew: z.boolean().optional(),
      organization: organizationPatch.optional(),
    }),
  ),
  response: updatedContract,
  effect: "write",
  idempotent: true,
  check: (input) =>
    input.auto_renew === undefined && input.organization === undefined
      ? "give at least one of auto_renew or organization"
      : undefined,
  confirm: {
    when: (input) => input.organization !== undefined,
    whenText: "to change the organization",
    inspect: inspectContract,
    describe: (input, current) =>
      `Change the organization of contract ${input.acme_contract_id} ${describeContract(current)}: ` +
      "its OV/EV validation is rejected for every contract using that organization until DigiCert revalidates it.",
  },
});

export const cancelAcmeContract = defineOperation({
  name: "cancel_acme_contract",
  title: "Cancel ACME contract",
  description:
    "Cancel a contract for good (only within 30 days of creation): SANs released, ACME stops working. To stop renewal instead, set auto_renew false.",
  toolset: "acme",
  api: "partner",
  method: "DELETE",
  path: "/acme/{acme_contract_id}",
  scope: "subaccount",
  params: contractId,
  body: undefined,
  response: undefined,
  effect: "destructive",
  // a repeat answers 400 "already canceled", so it is never retried
  idempotent: false,
  confirm: {
    inspect: inspectContract,
    describe: (input, current) =>
      `Cancel contract ${input.acme_contract_id} ${describeContract(current)} permanently: its SANs are released and ACME clients can no longer issue or renew. This cannot be undone.`,
  },
});

export const addSans = defineOperation({
  name: "add_sans",
  title: "Add SANs",
  description: "Add SANs to a contract (max 250 in total); names already present are ignored.",
  toolset: "acme",
  api: "partner",
  method: "PUT",
  path: "/acme/{acme_contract_id}/sans",
  scope: "subaccount",
  params: contractId,
  body: lazy(() => z.strictObject({ sans: sanList })),
  response: undefined,
  effect: "write",
  idempotent: true,
});

export const removeSans = defineOperation({
  name: "remove_sans",
  title: "Remove SANs",
  description: "Remove SANs from a contract; ACME clients can no longer get certificates for them.",
  toolset: "acme",
  api: "partner",
  method: "DELETE",
  path: "/acme/{acme_contract_id}/sans",
  scope: "subaccount",
  params: contractId,
  body: lazy(() => z.strictObject({ sans: sanList })),
  response: undefined,
  effect: "destructive",
  idempotent: true,
  confirm: {
    inspect: inspectContract,
    describe: (input, current) => {
      const on = new Set((current as { sans?: string[] } | undefined)?.sans ?? []);
      const wanted = (input.sans as string[]) ?? [];
      const removed = wanted.filter((s) => on.has(s));
      const absent = wanted.filter((s) => !on.has(s));
      return (
        `Remove ${removed.length} SAN(s) from contract ${input.acme_contract_id} ${describeContract(current)}: ${list(removed) || "none"}.` +
        (absent.length ? ` Not on the contract (ignored): ${list(absent)}.` : "")
      );
    },
  },
});

export const listCertificates = defineOperation({
  name: "list_acme_certificates",
  title: "List contract certificates",
  description: "List certificate records of a contract (domain, status, expiry, serial); no PEM files.",
  toolset: "acme",
  api: "partner",
  method: "GET",
  path: "/acme/{acme_contract_id}/certificates",
  scope: "subaccount",
  params: contractId,
  body: undefined,
  response: lazy(() => z.looseObject({ certificates: z.array(certificateRecord) })),
  paging: { field: "certificates", defaultLimit: 50 },
  effect: "read",
  idempotent: true,
});

export const acmeOperations = [
  createAcmeContract,
  getAcmeContract,
  replaceAcmeContract,
  updateAcmeContract,
  cancelAcmeContract,
  addSans,
  removeSans,
  listCertificates,
] as const;
