import { z } from "zod";
import { credential, regeneratedCredentials } from "../schemas/entities.js";
import { lazy } from "../schemas/lazy.js";
import { id } from "../schemas/primitives.js";
import { contractId } from "./acme.js";
import { quote } from "./describe.js";
import { defineOperation, type Inspection } from "./types.js";

const inspectCredentials: Inspection = {
  op: "list_acme_credentials",
  input: (input) => ({ acme_contract_id: input.acme_contract_id, account_id: input.account_id }),
};

function activeCount(current: unknown): string {
  const creds = (current as { credentials?: { status: string }[] } | undefined)?.credentials;
  if (!creds) return "";
  return ` (${creds.filter((c) => c.status === "active").length} active now)`;
}

export const listCredentials = defineOperation({
  name: "list_acme_credentials",
  title: "List ACME credentials",
  description: "List a contract's EAB credentials (id, kid hint, status, created), never their secrets.",
  toolset: "acme",
  api: "partner",
  method: "GET",
  path: "/acme/{acme_contract_id}/credentials",
  scope: "subaccount",
  params: contractId,
  body: undefined,
  response: lazy(() => z.looseObject({ credentials: z.array(credential) })),
  paging: { field: "credentials", defaultLimit: 50 },
  effect: "read",
  idempotent: true,
});

export const revokeAllCredentials = defineOperation({
  name: "revoke_all_acme_credentials",
  title: "Revoke all ACME credentials",
  description:
    "Revoke every active EAB credential of a contract (e.g. after a leak); the contract stays active.",
  toolset: "acme",
  api: "partner",
  method: "POST",
  path: "/acme/{acme_contract_id}/credentials/revoke",
  scope: "subaccount",
  params: contractId,
  body: undefined,
  response: undefined,
  effect: "destructive",
  idempotent: true,
  confirm: {
    inspect: inspectCredentials,
    describe: (input, current) =>
      `Revoke all active ACME credentials of contract ${input.acme_contract_id}${activeCount(current)}: every ACME client using them stops working until reconfigured.`,
  },
});

export const revokeCredential = defineOperation({
  name: "revoke_acme_credential",
  title: "Revoke one ACME credential",
  description: "Revoke one EAB credential (credential_id from list_acme_credentials).",
  toolset: "acme",
  api: "partner",
  method: "POST",
  path: "/acme/{acme_contract_id}/credentials/revoke/{credential_id}",
  scope: "subaccount",
  params: lazy(() => contractId.extend({ credential_id: id("credential_id") })),
  body: undefined,
  response: undefined,
  effect: "destructive",
  idempotent: true,
  confirm: {
    inspect: inspectCredentials,
    describe: (input, current) => {
      const creds = (
        current as { credentials?: { credential_id: number; kid_hint?: string; status: string }[] }
      )?.credentials;
      const c = creds?.find((x) => x.credential_id === input.credential_id);
      const what = c
        ? ` (kid ending ${quote(c.kid_hint ?? "?")}, ${quote(c.status)})`
        : " (not found on this contract)";
      return `Revoke ACME credential ${input.credential_id}${what} of contract ${input.acme_contract_id}: the ACME client using it stops working.`;
    },
  },
});

export const regenerateCredentials = defineOperation({
  name: "regenerate_acme_credentials",
  title: "Regenerate ACME credentials",
  description:
    "Issue new EAB credentials (shown once). Revokes the existing ones first unless revoke_existing=false (zero-downtime rotation).",
  toolset: "acme",
  api: "partner",
  method: "POST",
  path: "/acme/{acme_contract_id}/credentials/regenerate",
  scope: "subaccount",
  params: contractId,
  body: lazy(() => z.strictObject({ revoke_existing: z.boolean().optional() })),
  response: regeneratedCredentials,
  shownOnce: "the new EAB credentials (key id and HMAC key)",
  effect: "destructive",
  idempotent: false,
  confirm: {
    inspect: inspectCredentials,
    describe: (input, current) =>
      input.revoke_existing === false
        ? `Issue a new ACME credential for contract ${input.acme_contract_id}; existing credentials stay active${activeCount(current)}.`
        : `Revoke the existing ACME credentials of contract ${input.acme_contract_id}${activeCount(current)} and issue a new one: ACME clients must be reconfigured.`,
  },
});

export const credentialOperations = [
  listCredentials,
  revokeAllCredentials,
  revokeCredential,
  regenerateCredentials,
] as const;
