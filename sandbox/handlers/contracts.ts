import type { Caller } from "../auth.js";
import { badRequest, forbidden, notFound } from "../errors.js";
import type { ContractRecord, Store } from "../store.js";

/** Unknown id → 404; a contract of any other account (sibling subaccount or other tenant) → 403 (spec §1.3). */
export function ownContract(store: Store, caller: Caller, id: number): ContractRecord {
  const contract = store.contracts.get(id);
  if (!contract) throw notFound(`ACME contract ${id} not found`);
  if (contract.accountId !== caller.account.id) {
    throw forbidden(`ACME contract ${id} belongs to another account`);
  }
  return contract;
}

export function assertActive(contract: ContractRecord): void {
  if (contract.canceledAt !== null) {
    throw badRequest(
      "contract_canceled",
      `ACME contract ${contract.id} is canceled and can no longer be changed`,
    );
  }
}
