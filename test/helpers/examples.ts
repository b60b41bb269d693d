import { HANDLERS } from "../../sandbox/handlers/index.js";
import type { SandboxKeys } from "../../sandbox/index.js";
import type { Credentials } from "../../src/client/credentials.js";
import { OPERATIONS, type Operation } from "../../src/operations/index.js";

/**
 * The demo call of an operation (tool input), declared beside its sandbox handler (sandbox/handlers/): the tests
 * that run every catalog operation use it, so a new operation is covered without editing them.
 */
export function exampleOf(name: string): Record<string, unknown> {
  const def = (HANDLERS as Readonly<Record<string, { example?: Record<string, unknown> }>>)[name];
  if (!def?.example) throw new Error(`${name}: its sandbox handler declares no example call`);
  return def.example;
}

/** Every catalog operation, for it.each: [name, operation]. */
export const EVERY_OPERATION = OPERATIONS.map((op) => [op.name, op as Operation] as const);

/** The credentials the examples are written for: the MCP harness's default ones. */
export function exampleCredentials(keys: SandboxKeys): Credentials {
  return {
    parentKey: keys.parent,
    subaccountKey: keys.subaccounts[1001],
    subaccountKeys: Object.fromEntries(Object.entries(keys.subaccounts)),
    devkey: keys.devkey,
  };
}
