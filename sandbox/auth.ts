import type { IncomingHttpHeaders } from "node:http";
import type { KeyScope } from "../src/operations/index.js";
import { badRequest, forbidden, unauthorized } from "./errors.js";
import type { Account, ApiKeyRecord, CertCentralAccount, Store } from "./store.js";

export interface Caller {
  account: Account;
  key: ApiKeyRecord;
}

export interface Principal {
  /** the Partner account behind X-PARTNER-APIKEY (every scope but "devkey") */
  caller: Caller | undefined;
  /** the CertCentral account behind X-DC-DEVKEY ("any+devkey" and "devkey") */
  certCentral: CertCentralAccount | undefined;
}

// Node lower-cases incoming header names, which makes the lookup case-insensitive as HTTP requires.
function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const raw = headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function partnerCaller(store: Store, headers: IncomingHttpHeaders, now: number): Caller {
  const secret = header(headers, "x-partner-apikey");
  if (secret === undefined) throw unauthorized("X-PARTNER-APIKEY header is required");
  const key = store.keysBySecret.get(secret);
  if (!key) throw unauthorized("the API key is not valid");
  if (key.status !== "active") throw unauthorized("the API key is inactive");
  const account = store.account(key.accountId);
  if (!account) throw unauthorized("the API key's account no longer exists");
  key.lastUsed = now;
  return { account, key };
}

/**
 * Resolves the headers against the operation's key scope. Order: 401 (who are you) before 403 (may you), and
 * the DEVKEY of the finance link is checked only once the Partner key passed.
 */
export function authenticate(
  store: Store,
  scope: KeyScope,
  headers: IncomingHttpHeaders,
  now: number,
): Principal {
  if (scope === "devkey") {
    const devkey = header(headers, "x-dc-devkey");
    if (devkey === undefined) throw unauthorized("X-DC-DEVKEY header is required");
    const certCentral = store.certCentralByDevkey.get(devkey);
    if (!certCentral) throw unauthorized("the CertCentral API key is not valid");
    return { caller: undefined, certCentral };
  }
  const caller = partnerCaller(store, headers, now);
  if (scope === "parent" && caller.account.kind !== "parent") {
    throw forbidden("this endpoint requires a parent account API key");
  }
  if (scope === "subaccount" && caller.account.kind !== "sub") {
    throw forbidden("ACME contract endpoints require a subaccount API key; parent keys are not accepted");
  }
  if (scope === "any+devkey") {
    const devkey = header(headers, "x-dc-devkey");
    if (devkey === undefined) {
      throw badRequest(
        "invalid_certcentral_api_key",
        "X-DC-DEVKEY header is required to link a billing account",
      );
    }
    const certCentral = store.certCentralByDevkey.get(devkey);
    if (!certCentral) {
      throw badRequest(
        "invalid_certcentral_api_key",
        "the X-DC-DEVKEY does not resolve to a CertCentral account",
      );
    }
    return { caller, certCentral };
  }
  return { caller, certCentral: undefined };
}
