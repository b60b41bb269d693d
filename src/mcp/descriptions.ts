import type { KeyScope, Operation } from "../operations/index.js";

const SCOPE_TAG: Record<KeyScope, string> = {
  parent: "[parent key]",
  subaccount: "[subaccount key]",
  any: "[parent or subaccount key]",
  "any+devkey": "[Partner key + DIGICERT_DEVKEY]",
  devkey: "[DIGICERT_DEVKEY]",
};

/**
 * The catalog description plus the key it needs and, for guarded tools, that (and when) it asks before acting:
 * said here and not in the catalog text, so a server with confirmation turned off does not claim it.
 */
export function toolDescription(op: Operation, confirmation = true): string {
  const parts = [op.description, SCOPE_TAG[op.scope]];
  if (op.confirm && confirmation)
    parts.push(
      op.confirm.whenText ? `Asks for confirmation ${op.confirm.whenText}.` : "Asks for confirmation.",
    );
  return parts.join(" ");
}
