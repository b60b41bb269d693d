import { hash, timingSafeEqual } from "node:crypto";
import type { HttpConfig, TokenGrant } from "../config/index.js";
import type { Principal } from "./types.js";

/** A principal with the SHA-256 of its token, which is all the server keeps to recognise it. */
export interface KnownToken extends Principal {
  digest: Buffer;
}

/**
 * One-shot `crypto.hash` (Node 20.12+): the same digest as createHash().update().digest() in half the time, which
 * every HTTP request pays to check its bearer token.
 */
export function sha256(text: string): Buffer {
  return hash("sha256", text, "buffer");
}

/** Hex SHA-256 of a token, as MCP_HTTP_TOKENS_FILE stores it (`digicert-partner-mcp hash-token`). */
export function tokenHash(token: string): string {
  return sha256(token).toString("hex");
}

/** MCP_HTTP_TOKEN's tokens (full access, default profile) and the tokens file's entries, as one list. */
export function knownTokens(config: HttpConfig): KnownToken[] {
  const full = (name: string): TokenGrant => ({ name, readOnly: false, profile: "default" });
  const fromEnv = config.tokens.map((token, i) => {
    // numbered only when there are several, so the audit log can tell rotated tokens apart
    const name = config.tokens.length === 1 ? "MCP_HTTP_TOKEN" : `MCP_HTTP_TOKEN#${i + 1}`;
    return { name, grant: full(name), digest: sha256(token) };
  });
  const fromFile = (config.hashedTokens ?? []).map(({ sha256: hex, ...grant }) => ({
    name: grant.name,
    grant,
    digest: Buffer.from(hex, "hex"),
  }));
  return [...fromEnv, ...fromFile];
}

/**
 * Index of the token that matches, or -1. Compares fixed-length digests in constant time and always checks
 * every token, so timing reveals neither the token nor which one matched.
 */
export function matchToken(presented: string, known: readonly KnownToken[]): number {
  const candidate = sha256(presented);
  let found = -1;
  for (let i = 0; i < known.length; i++) {
    if (timingSafeEqual(candidate, (known[i] as KnownToken).digest) && found === -1) found = i;
  }
  return found;
}
