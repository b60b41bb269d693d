import type { KeyScope } from "../operations/index.js";
import { DigiCertError } from "./errors.js";

export interface Credentials {
  /** the parent account's Partner Subscriptions key */
  parentKey?: string;
  /** the subaccount key used when a call names no account */
  subaccountKey?: string;
  /** further subaccount keys, by subaccount id */
  subaccountKeys?: Record<string, string>;
  /** CertCentral X-DC-DEVKEY */
  devkey?: string;
}

export interface SelectedKeys {
  partnerKey?: string;
  devkey?: string;
  /** which configured key was used, for logs and errors (never the key itself) */
  label: string;
}

/** Every configured secret, so logs and errors can be scrubbed of them. */
export function allSecrets(c: Credentials): string[] {
  return [c.parentKey, c.subaccountKey, c.devkey, ...Object.values(c.subaccountKeys ?? {})].filter(
    (s): s is string => typeof s === "string" && s.length > 0,
  );
}

export function configuredSubaccounts(c: Credentials): number[] {
  return Object.keys(c.subaccountKeys ?? {})
    .map(Number)
    .sort((a, b) => a - b);
}

function fail(operation: string, message: string): never {
  throw new DigiCertError({ kind: "config", operation, message, hint: message });
}

/** Picks the key(s) an operation needs, or explains which setting is missing. Sends nothing. */
export function selectKeys(
  c: Credentials,
  scope: KeyScope,
  operation: string,
  accountId: number | undefined,
): SelectedKeys {
  const byAccount = (id: number): string => {
    const key = c.subaccountKeys?.[String(id)];
    if (!key) {
      const known = configuredSubaccounts(c);
      fail(
        operation,
        `no key is configured for subaccount ${id}: add it to DIGICERT_SUBACCOUNT_API_KEYS` +
          (known.length ? ` (configured: ${known.join(", ")})` : ""),
      );
    }
    return key;
  };
  const onlySubaccount = (): { key: string; label: string } | undefined => {
    if (c.subaccountKey) return { key: c.subaccountKey, label: "default subaccount key" };
    const ids = configuredSubaccounts(c);
    if (ids.length === 1) {
      const id = ids[0] as number;
      return { key: byAccount(id), label: `subaccount ${id} key` };
    }
    return undefined;
  };

  switch (scope) {
    case "parent":
      if (!c.parentKey) {
        fail(operation, "this operation needs the parent-account key: set DIGICERT_PARTNER_API_KEY");
      }
      return { partnerKey: c.parentKey, label: "parent key" };
    case "subaccount": {
      if (accountId !== undefined)
        return { partnerKey: byAccount(accountId), label: `subaccount ${accountId} key` };
      const sub = onlySubaccount();
      if (!sub) {
        fail(
          operation,
          "this operation needs a subaccount key (parent keys are refused on ACME contracts): set DIGICERT_SUBACCOUNT_API_KEY or pass account_id of a subaccount configured in DIGICERT_SUBACCOUNT_API_KEYS",
        );
      }
      return { partnerKey: sub.key, label: sub.label };
    }
    case "any":
    case "any+devkey": {
      let picked: SelectedKeys;
      if (accountId !== undefined)
        picked = { partnerKey: byAccount(accountId), label: `subaccount ${accountId} key` };
      else if (c.parentKey) picked = { partnerKey: c.parentKey, label: "parent key" };
      else {
        const sub = onlySubaccount();
        if (!sub) {
          fail(
            operation,
            "no Partner API key is configured: set DIGICERT_PARTNER_API_KEY or DIGICERT_SUBACCOUNT_API_KEY",
          );
        }
        picked = { partnerKey: sub.key, label: sub.label };
      }
      if (scope === "any+devkey") {
        if (!c.devkey)
          fail(operation, "this operation also needs a CertCentral API key: set DIGICERT_DEVKEY");
        picked.devkey = c.devkey;
      }
      return picked;
    }
    case "devkey":
      if (!c.devkey) fail(operation, "this operation needs a CertCentral API key: set DIGICERT_DEVKEY");
      return { devkey: c.devkey, label: "CertCentral key" };
  }
}
