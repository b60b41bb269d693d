import {
  listCredentials,
  regenerateCredentials,
  revokeAllCredentials,
  revokeCredential,
} from "../../src/operations/credentials.js";
import { notFound } from "../errors.js";
import { DEMO } from "../seed.js";
import { credentialView, directoryUrl, eabSetView } from "../views.js";
import { assertActive, ownContract } from "./contracts.js";
import { callerOf, handler, noContent, ok } from "./types.js";

/** the seeded contract with several credentials and certificate records, and its owner */
const CERTS = { acme_contract_id: DEMO.contracts.withCertificates, account_id: DEMO.subCerts };

export const credentialHandlers = {
  list_acme_credentials: handler(listCredentials, CERTS, (ctx) => {
    const contract = ownContract(ctx.store, callerOf(ctx), ctx.params.acme_contract_id);
    // Newest first (spec E13); ids break ties between credentials issued in the same second.
    const sorted = [...contract.credentials].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
    return ok({ credentials: sorted.map(credentialView) });
  }),

  revoke_all_acme_credentials: handler(revokeAllCredentials, CERTS, (ctx) => {
    const contract = ownContract(ctx.store, callerOf(ctx), ctx.params.acme_contract_id);
    assertActive(contract);
    ctx.store.revokeCredentials(contract);
    return noContent();
  }),

  revoke_acme_credential: handler(
    revokeCredential,
    { ...CERTS, credential_id: DEMO.credentials.active },
    (ctx) => {
      const contract = ownContract(ctx.store, callerOf(ctx), ctx.params.acme_contract_id);
      assertActive(contract);
      const cred = contract.credentials.find((c) => c.id === ctx.params.credential_id);
      if (!cred) {
        throw notFound(`credential ${ctx.params.credential_id} not found on ACME contract ${contract.id}`);
      }
      ctx.store.revokeCredentials(contract, new Set([cred.id]));
      return noContent();
    },
  ),

  regenerate_acme_credentials: handler(regenerateCredentials, { ...CERTS, revoke_existing: true }, (ctx) => {
    const contract = ownContract(ctx.store, callerOf(ctx), ctx.params.acme_contract_id);
    assertActive(contract);
    if (ctx.body.revoke_existing !== false) ctx.store.revokeCredentials(contract);
    const cred = ctx.store.newCredential(ctx.now);
    ctx.store.addCredential(contract, cred);
    return ok({
      acme_contract_id: contract.id,
      acme_directory_url: directoryUrl(contract),
      eab_set: eabSetView(cred),
    });
  }),
};
