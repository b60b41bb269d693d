import { OPERATIONS, type OperationName } from "../../src/operations/index.js";
import { accountHandlers } from "./account.js";
import { acmeHandlers } from "./acme.js";
import { apiKeyHandlers } from "./api-keys.js";
import { credentialHandlers } from "./credentials.js";
import { financeHandlers } from "./finance.js";
import type { HandlerDef } from "./types.js";

/** One handler per catalog operation: a missing or extra one fails to compile. */
export type HandlerTable = { [K in OperationName]: HandlerDef };

export const HANDLERS: HandlerTable = {
  ...apiKeyHandlers,
  ...acmeHandlers,
  ...credentialHandlers,
  ...accountHandlers,
  ...financeHandlers,
};

/** Fails fast at start-up if the catalog and the handler table drifted apart (a runtime guard for the above). */
export function checkHandlers(table: Readonly<Record<string, HandlerDef>> = HANDLERS): void {
  const names = new Set<string>(OPERATIONS.map((op) => op.name));
  for (const op of OPERATIONS) {
    const def = table[op.name];
    if (!def) throw new Error(`sandbox: no handler for operation ${op.name}`);
    if (def.op.name !== op.name) throw new Error(`sandbox: handler ${op.name} is bound to ${def.op.name}`);
  }
  for (const name of Object.keys(table)) {
    if (!names.has(name)) throw new Error(`sandbox: handler ${name} has no catalog operation`);
  }
}
