import type { OAuthGrantRule, TokenGrant } from "../../config/index.js";
import { mayWrite } from "./scopes.js";
import type { VerifiedToken } from "./verify.js";

/**
 * What an OAuth caller may do, as a TokenGrant like a tokens-file entry's, so every access check downstream treats
 * both alike: `digicert:write` decides read-only, MCP_OAUTH_GRANTS_FILE's first matching rule the rest. Without
 * the file: the default profile, no narrowing. With it and no rule matching: undefined (no access).
 */
export function grantFor(
  token: VerifiedToken,
  rules: readonly OAuthGrantRule[] | undefined,
): TokenGrant | undefined {
  const name = callerName(token);
  const writes = mayWrite(token.scopes);
  if (!rules) return { name, readOnly: !writes, profile: "default" };
  const rule = rules.find((r) => matches(r.when, token));
  if (!rule) return undefined;
  const { name: _rule, when: _when, ...fields } = rule;
  return { ...fields, name, readOnly: fields.readOnly || !writes };
}

/** Shown in logs and the audit log as the "token" of the call: the subject, never the token. */
export function callerName(token: VerifiedToken): string {
  return `oauth:${token.identity.subject}`;
}

function matches(when: OAuthGrantRule["when"], token: VerifiedToken): boolean {
  if (!when) return true;
  if ("scope" in when) return token.scopes.includes(when.scope);
  const value = claim(token.claims, when.claim);
  const values = Array.isArray(value) ? value : [value];
  return values.some((v) =>
    typeof v === "string" || typeof v === "number" ? String(v) === when.value : false,
  );
}

/**
 * A claim by name, else by dotted path (Keycloak's `realm_access.roles`). The name is tried first: namespaced
 * claims (Auth0's `https://example.com/groups`) contain dots themselves.
 */
function claim(claims: Record<string, unknown>, name: string): unknown {
  if (name in claims) return claims[name];
  let at: unknown = claims;
  for (const part of name.split(".")) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}
