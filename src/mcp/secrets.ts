/**
 * Answers that carry a secret DigiCert shows exactly once. The secret must reach the user (it is the point of
 * the call), so it stays in the result, with a sentence telling the agent to have it stored now. Results are
 * never logged, so these values never reach a log.
 */
const ONE_TIME_SECRETS: Record<string, { path: readonly string[]; what: string }[]> = {
  create_api_key: [{ path: ["api_key"], what: "the new API key (api_key)" }],
  create_subaccount: [{ path: ["api_key", "api_key"], what: "the subaccount's API key (api_key.api_key)" }],
  create_acme_contract: [{ path: ["eab_set", "hmac_key"], what: "the EAB HMAC key (eab_set.hmac_key)" }],
  regenerate_acme_credentials: [
    { path: ["eab_set", "hmac_key"], what: "the EAB HMAC key (eab_set.hmac_key)" },
  ],
};

function at(value: unknown, path: readonly string[]): unknown {
  let node = value;
  for (const key of path) {
    if (!node || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** The "store it now" sentence for a result holding a one-time secret, or undefined. */
export function oneTimeSecretNote(tool: string, data: unknown): string | undefined {
  const present = (ONE_TIME_SECRETS[tool] ?? []).filter((s) => typeof at(data, s.path) === "string");
  if (present.length === 0) return undefined;
  return (
    `Shown once: ${present.map((s) => s.what).join(" and ")} cannot be retrieved again. ` +
    "Give it to the user now and tell them to store it in a password manager or secret store; do not repeat it later."
  );
}

/** Tools whose results hold a one-time secret (for documentation and tests). */
export const TOOLS_WITH_ONE_TIME_SECRETS = Object.keys(ONE_TIME_SECRETS);
