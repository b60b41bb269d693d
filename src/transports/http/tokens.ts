import type { HashedToken } from "../../config/index.js";
import { type KnownToken, knownTokens } from "../auth.js";
import type { HttpContext } from "./context.js";

/** What `replaceFileTokens` changed, by token name (never a token or its hash). */
export interface TokensReplaced {
  added: string[];
  removed: string[];
  changed: string[];
  sessionsClosed: number;
}

const same = (a: KnownToken, b: KnownToken) =>
  a.name === b.name && a.digest.equals(b.digest) && JSON.stringify(a.grant) === JSON.stringify(b.grant);

/**
 * Puts a tokens file's entries in place of the old ones (MCP_HTTP_TOKEN's stay): requests authenticate against
 * the new list from now on; a session of a removed or changed token is closed, one of an unchanged token is
 * re-pointed at the new entry. OAuth callers' sessions are not the file's and stay.
 */
export function replaceFileTokens(ctx: HttpContext, hashedTokens: readonly HashedToken[]): TokensReplaced {
  const known = ctx.known;
  const next = knownTokens({ ...ctx.config, hashedTokens: [...hashedTokens] });
  const before = new Map(known.map((k) => [k.name, k]));
  const after = new Map(next.map((k) => [k.name, k]));
  const result: TokensReplaced = {
    added: next.filter((k) => !before.has(k.name)).map((k) => k.name),
    removed: known.filter((k) => !after.has(k.name)).map((k) => k.name),
    changed: next
      .filter((k) => before.has(k.name) && !same(before.get(k.name) as KnownToken, k))
      .map((k) => k.name),
    sessionsClosed: 0,
  };
  // from here on, requests authenticate against the new list only
  ctx.known = next;
  // an idle stateless server keeps the grant it was built with
  ctx.statelessServers.clear();
  for (const session of ctx.sessions.all()) {
    if (session.caller.identity) continue; // an OAuth caller's session: not the tokens file's
    const kept = after.get(session.caller.name);
    if (kept && same(kept, session.caller)) {
      session.caller = kept;
    } else {
      result.sessionsClosed++;
      void ctx.sessions.close(session, kept ? "its token's grant changed" : "its token was removed");
    }
  }
  return result;
}
