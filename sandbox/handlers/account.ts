import {
  addEmergencyEmails,
  createSubaccount,
  getEmergencyEmails,
  getReporting,
  getSettings,
  removeEmergencyEmails,
  updateSetting,
} from "../../src/operations/account.js";
import { ApiError, badRequest } from "../errors.js";
import type { Account, Store } from "../store.js";
import { createdApiKeyView, reportingContractJson } from "../views.js";
import { callerOf, handler, noContent, ok, type Result } from "./types.js";

/** Known settings with their system default and allowed values (spec E22/E23). */
export const SETTINGS: Readonly<Record<string, { systemDefault: string; values: readonly string[] }>> = {
  auto_renew_subscription: { systemDefault: "0", values: ["0", "1"] },
};

export function settingView(account: Account, name: string) {
  const def = SETTINGS[name];
  if (!def) throw new ApiError(500, "internal_error", `sandbox: unknown setting ${name}`);
  const override = account.settings.get(name);
  return { name, value: override ?? def.systemDefault, is_default: override === undefined };
}

/** Adds addresses, keeping the first spelling of each address compared case-insensitively. */
export function mergeEmails(current: readonly string[], added: readonly string[]): string[] {
  const seen = new Set(current.map((e) => e.toLowerCase()));
  const out = [...current];
  for (const e of added) {
    const k = e.toLowerCase();
    if (!seen.has(k)) {
      seen.add(k);
      out.push(e);
    }
  }
  return out;
}

/**
 * One pass over the parent's subaccounts (already in id order) and their contracts (already in id order),
 * serialised once: the 100,000-contract data set answers without sorting or re-walking anything.
 */
export function reportingJson(store: Store, parent: Account): string {
  const parts: string[] = [];
  for (const childId of parent.children) {
    const contracts = store.contractsOf(childId);
    if (contracts.length === 0) continue;
    const acme = contracts.map(reportingContractJson).join(",");
    parts.push(`{"account_id":${childId},"acme":[${acme}]}`);
  }
  return `{"accounts":[${parts.join(",")}]}`;
}

export const accountHandlers = {
  create_subaccount: handler(
    createSubaccount,
    { name: "New Customer", api_key_name: "first", emergency_contact_emails: ["ops@new.example"] },
    (ctx): Result => {
      const { store } = ctx;
      const parent = callerOf(ctx).account;
      const account = store.addAccount({
        id: store.nextId("account"),
        kind: "sub",
        parentId: parent.id,
        name: ctx.body.name,
        emails: mergeEmails([], ctx.body.emergency_contact_emails),
        settings: new Map(),
        billingLink: null,
        createdAt: ctx.now,
      });
      // The cost report knows every subaccount of the CertCentral account that bills it (billing fallback).
      const billing = parent.billingLink === null ? undefined : store.certCentral.get(parent.billingLink);
      if (billing) store.linkBilling(parent, billing);
      const key = store.addApiKey({
        id: store.nextId("apiKey"),
        accountId: account.id,
        name: ctx.body.api_key_name,
        secret: store.newSecret(),
        status: "active",
        createdAt: ctx.now,
        lastUsed: null,
      });
      return ok({ account_id: account.id, name: account.name, api_key: createdApiKeyView(key) }, 201);
    },
  ),

  get_emergency_emails: handler(getEmergencyEmails, {}, (ctx) => {
    const account = callerOf(ctx).account;
    if (account.emails.length === 0) {
      throw badRequest("no_emergency_emails", "no emergency contact emails are configured");
    }
    return ok({ emergency_contact_emails: [...account.emails] });
  }),

  add_emergency_emails: handler(addEmergencyEmails, { emergency_contact_emails: ["b@x.example"] }, (ctx) => {
    const account = callerOf(ctx).account;
    ctx.store.setEmails(account, mergeEmails(account.emails, ctx.body.emergency_contact_emails));
    return noContent();
  }),

  remove_emergency_emails: handler(
    removeEmergencyEmails,
    { emergency_contact_emails: ["noc@partner.example"] },
    (ctx) => {
      const account = callerOf(ctx).account;
      const gone = new Set(ctx.body.emergency_contact_emails.map((e) => e.toLowerCase()));
      const remaining = account.emails.filter((e) => !gone.has(e.toLowerCase()));
      if (remaining.length === 0) {
        throw badRequest(
          "last_emergency_email",
          "at least one emergency contact email must remain configured; add another before removing these",
        );
      }
      ctx.store.setEmails(account, remaining);
      return noContent();
    },
  ),

  get_account_reporting: handler(getReporting, {}, (ctx) => ({
    status: 200,
    raw: reportingJson(ctx.store, callerOf(ctx).account),
  })),

  get_account_settings: handler(getSettings, {}, (ctx) => {
    const account = callerOf(ctx).account;
    return ok({ settings: Object.keys(SETTINGS).map((name) => settingView(account, name)) });
  }),

  update_account_setting: handler(updateSetting, { name: "auto_renew_subscription", value: "1" }, (ctx) => {
    const account = callerOf(ctx).account;
    const { name, value } = ctx.body;
    const def = SETTINGS[name];
    if (!def) {
      throw badRequest(
        "invalid_setting",
        `unknown setting "${name}"; known: ${Object.keys(SETTINGS).join(", ")}`,
      );
    }
    if (!def.values.includes(value)) {
      throw badRequest(
        "invalid_setting",
        `${name} must be one of ${def.values.map((v) => `"${v}"`).join(", ")}`,
      );
    }
    // Setting the system default removes the override, so a later GET shows is_default: true (W21).
    ctx.store.setSetting(account, name, value === def.systemDefault ? undefined : value);
    return ok(settingView(account, name));
  }),
};
