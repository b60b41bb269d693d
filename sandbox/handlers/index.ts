import { OPERATIONS, type OperationName } from "../../src/operations/index.js";
import { accountHandlers } from "./account.js";
import { acmeHandlers } from "./acme.js";
import { apiKeyHandlers } from "./api-keys.js";
import { credentialHandlers } from "./credentials.js";
import { financeHandlers } from "./finance.js";
import type { HandlerDef } from "./types.js";

/**
 * The 25 operations the sandbox serves. The catalog's `OperationName` widens to `string` (its `name` field is
 * typed `string`), so this list is what makes a missing handler a compile error today; the second half of the
 * table type takes over as soon as the catalog exports literal names.
 */
type SandboxOperationName =
  | "list_api_keys"
  | "get_api_key"
  | "create_api_key"
  | "set_api_key_status"
  | "create_acme_contract"
  | "get_acme_contract"
  | "replace_acme_contract"
  | "update_acme_contract"
  | "cancel_acme_contract"
  | "add_sans"
  | "remove_sans"
  | "list_acme_certificates"
  | "list_acme_credentials"
  | "revoke_all_acme_credentials"
  | "revoke_acme_credential"
  | "regenerate_acme_credentials"
  | "create_subaccount"
  | "get_emergency_emails"
  | "add_emergency_emails"
  | "remove_emergency_emails"
  | "get_account_reporting"
  | "get_account_settings"
  | "update_account_setting"
  | "link_billing_account"
  | "get_subaccount_cost_report";

export type HandlerTable = { [K in SandboxOperationName]: HandlerDef } & { [K in OperationName]: HandlerDef };

export const HANDLERS: HandlerTable = {
  ...apiKeyHandlers,
  ...acmeHandlers,
  ...credentialHandlers,
  ...accountHandlers,
  ...financeHandlers,
};

/** Fails fast at start-up if the catalog and the handler table drifted apart (a runtime guard for the above). */
export function checkHandlers(table: Readonly<Record<string, HandlerDef>> = HANDLERS): void {
  const names = new Set(OPERATIONS.map((op) => op.name));
  for (const op of OPERATIONS) {
    const def = table[op.name];
    if (!def) throw new Error(`sandbox: no handler for operation ${op.name}`);
    if (def.op.name !== op.name) throw new Error(`sandbox: handler ${op.name} is bound to ${def.op.name}`);
  }
  for (const name of Object.keys(table)) {
    if (!names.has(name)) throw new Error(`sandbox: handler ${name} has no catalog operation`);
  }
}
