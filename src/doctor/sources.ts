import { type Credentials, configuredSubaccounts } from "../client/credentials.js";
import type { KeySource } from "./types.js";

export interface ProfileKeys {
  name: string;
  credentials: Credentials;
}

const DEFAULT_SETTINGS = {
  parent: "DIGICERT_PARTNER_API_KEY",
  subaccount: "DIGICERT_SUBACCOUNT_API_KEY",
  subaccounts: "DIGICERT_SUBACCOUNT_API_KEYS",
  devkey: "DIGICERT_DEVKEY",
};

/** The fields of DIGICERT_PROFILES (config/profiles.ts) that name each key's variable. */
function profileSettings(name: string): typeof DEFAULT_SETTINGS {
  const at = (field: string) => `DIGICERT_PROFILES "${name}" ${field}`;
  return {
    parent: at("parent_key_env"),
    subaccount: at("subaccount_key_env"),
    subaccounts: at("subaccount_keys_env"),
    devkey: at("devkey_env"),
  };
}

/** Every configured key with the setting that holds it, parent keys first (their reporting helps the rest). */
export function keySources(profiles: readonly ProfileKeys[]): KeySource[] {
  const out: KeySource[] = [];
  for (const { name, credentials: c } of profiles) {
    const s = name === "default" ? DEFAULT_SETTINGS : profileSettings(name);
    const add = (role: KeySource["role"], setting: string, key: string | undefined, account?: number) => {
      if (key) out.push({ profile: name, setting, role, key, ...(account === undefined ? {} : { account }) });
    };
    add("parent", s.parent, c.parentKey);
    add("subaccount", s.subaccount, c.subaccountKey);
    for (const id of configuredSubaccounts(c)) {
      add("subaccount", `${s.subaccounts} (subaccount ${id})`, c.subaccountKeys?.[String(id)], id);
    }
    add("devkey", s.devkey, c.devkey);
  }
  return out;
}
