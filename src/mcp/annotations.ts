import type { Operation } from "../operations/index.js";
import type { ToolAnnotations } from "../sdk/server.js";

/**
 * The one rule for every tool's annotations, catalog and reporting tools alike, derived from the catalog's effect
 * and idempotence (never written per tool). All five are stated on every tool, defaults included: hosts that meet
 * a missing hint assume the worst (destructive, open world), and the Anthropic and OpenAI connector directories
 * require them stated (issue 17; this reverses the earlier choice to send only what differs from the defaults).
 * - readOnlyHint: the call changes nothing at DigiCert (effect "read"; a reporting snapshot writes only the
 *   local store, which nothing else reads as state).
 * - destructiveHint: the change is irreversible or removes access (effect "destructive": cancel a contract,
 *   revoke or regenerate credentials, deactivate a key, remove SANs or emergency emails, replace a contract's
 *   organization, link billing). Reads are never destructive.
 * - idempotentHint: repeating the same call has no further effect (the catalog's `idempotent`; reads are).
 * - openWorldHint: always true, every tool talks to DigiCert, an external system.
 * - title: the tool's human title (registered as the tool's own `title` too; trim-tools-list.ts sends it once).
 */
export function annotationsFor(
  op: Pick<Operation, "effect" | "idempotent" | "title">,
): Required<
  Pick<ToolAnnotations, "title" | "readOnlyHint" | "destructiveHint" | "idempotentHint" | "openWorldHint">
> {
  return {
    title: op.title,
    readOnlyHint: op.effect === "read",
    destructiveHint: op.effect === "destructive",
    idempotentHint: op.idempotent,
    openWorldHint: true,
  };
}
