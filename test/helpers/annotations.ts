import type { ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";

/** Every hint a tool states, defaults included (issue 17: hosts assume the worst for a missing one). */
export const STATED_HINTS = [
  "title",
  "readOnlyHint",
  "destructiveHint",
  "idempotentHint",
  "openWorldHint",
] as const;

/** The hints a tool leaves out (should be none). */
export function missingHints(a: ToolAnnotations | undefined): string[] {
  return STATED_HINTS.filter((key) => a?.[key] === undefined);
}

/** The four behaviour hints as sent, for comparison with expectedHints. */
export function statedHints(a: ToolAnnotations | undefined) {
  return {
    readOnlyHint: a?.readOnlyHint,
    destructiveHint: a?.destructiveHint,
    idempotentHint: a?.idempotentHint,
    openWorldHint: a?.openWorldHint,
  };
}

/**
 * The rule restated independently of src/mcp/annotations.ts: read-only for reads, destructive only for
 * irreversible or access-removing effects, idempotent as the catalog says, open world always (DigiCert).
 */
export function expectedHints(op: { effect: "read" | "write" | "destructive"; idempotent: boolean }) {
  return {
    readOnlyHint: op.effect === "read",
    destructiveHint: op.effect === "destructive",
    idempotentHint: op.idempotent,
    openWorldHint: true,
  };
}

/**
 * The tools whose effect cannot be undone or takes access away, by name: the catalog's "destructive" must be
 * exactly these, so re-labelling one is a decision made here, not a side effect.
 */
export const DESTRUCTIVE_TOOLS = [
  "cancel_acme_contract", // irreversible: a canceled contract cannot be reactivated
  "link_billing_account", // billing moves to another account; DigiCert documents no unlink
  "regenerate_acme_credentials", // old EAB credentials stop working
  "remove_emergency_emails", // contacts stop getting notices
  "remove_sans", // names lose coverage
  "replace_acme_contract", // PUT drops every field not sent
  "revoke_acme_credential", // irreversible, removes access
  "revoke_all_acme_credentials", // irreversible, removes access
  "set_api_key_status", // deactivating a key removes access
].sort();
