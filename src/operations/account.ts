import { z } from "zod";
import {
  createdSubaccount,
  emergencyEmails,
  reporting,
  settingsList,
  updatedSetting,
} from "../schemas/entities.js";
import { lazy } from "../schemas/lazy.js";
import { emailList, text } from "../schemas/primitives.js";
import { list, quotedList } from "./describe.js";
import { defineOperation } from "./types.js";

const emails = lazy(() => z.strictObject({ emergency_contact_emails: emailList }));

export const createSubaccount = defineOperation({
  name: "create_subaccount",
  title: "Create subaccount",
  description: "Create a subaccount with its first API key, whose secret is shown once.",
  toolset: "account",
  api: "partner",
  method: "POST",
  path: "/account/subaccount",
  scope: "parent",
  params: lazy(() => z.strictObject({})),
  body: lazy(() =>
    z.strictObject({
      name: text().describe("subaccount name, e.g. the end customer"),
      api_key_name: text().describe("label for its first API key"),
      emergency_contact_emails: emailList,
    }),
  ),
  response: createdSubaccount,
  shownOnce: "the subaccount's API key",
  effect: "write",
  idempotent: false,
});

export const getEmergencyEmails = defineOperation({
  name: "get_emergency_emails",
  title: "Get emergency contact emails",
  description: "List the emergency contact emails of the account that owns the key.",
  toolset: "account",
  api: "partner",
  method: "GET",
  path: "/account/emergency-emails",
  scope: "any",
  params: lazy(() => z.strictObject({})),
  body: undefined,
  response: emergencyEmails,
  effect: "read",
  idempotent: true,
});

export const addEmergencyEmails = defineOperation({
  name: "add_emergency_emails",
  title: "Add emergency contact emails",
  description: "Add emergency contact emails to the existing ones (duplicates ignored).",
  toolset: "account",
  api: "partner",
  method: "PUT",
  path: "/account/emergency-emails",
  scope: "any",
  params: lazy(() => z.strictObject({})),
  body: emails,
  response: undefined,
  effect: "write",
  idempotent: true,
});

export const removeEmergencyEmails = defineOperation({
  name: "remove_emergency_emails",
  title: "Remove emergency contact emails",
  description: "Remove emergency contact emails; at least one must remain.",
  toolset: "account",
  api: "partner",
  method: "DELETE",
  path: "/account/emergency-emails",
  scope: "any",
  params: lazy(() => z.strictObject({})),
  body: emails,
  response: undefined,
  effect: "destructive",
  idempotent: true,
  confirm: {
    inspect: { op: "get_emergency_emails", input: (input) => ({ account_id: input.account_id }) },
    describe: (input, current) => {
      const now = (current as { emergency_contact_emails?: unknown } | undefined)?.emergency_contact_emails;
      // the list's form is not documented: when it cannot be read, say so rather than guess "none"
      if (!Array.isArray(now) || !now.every((e) => typeof e === "string")) {
        return `Remove ${list(input.emergency_contact_emails)} from the emergency contacts; the current list could not be read, so what remains is not known. Critical security notices go only to the remaining addresses.`;
      }
      const gone = new Set(((input.emergency_contact_emails as string[]) ?? []).map((e) => e.toLowerCase()));
      const remaining = now.filter((e) => !gone.has(e.toLowerCase()));
      return `Remove ${list(input.emergency_contact_emails)} from the emergency contacts; remaining: ${quotedList(remaining) || "none (DigiCert will refuse)"}. Critical security notices go only to the remaining addresses.`;
    },
  },
});

export const getReporting = defineOperation({
  name: "get_account_reporting",
  title: "Get ACME reporting",
  description:
    "All subaccounts' ACME contracts (large: prefer reporting_summary or find_contracts_for_domain).",
  toolset: "reporting",
  api: "partner",
  method: "GET",
  path: "/account/reporting",
  scope: "parent",
  params: lazy(() => z.strictObject({})),
  body: undefined,
  response: reporting,
  paging: { field: "accounts", defaultLimit: 20 },
  effect: "read",
  idempotent: true,
});

export const getSettings = defineOperation({
  name: "get_account_settings",
  title: "Get account settings",
  description:
    "List the account's settings (e.g. auto_renew_subscription, the default auto_renew of new contracts), each with is_default.",
  toolset: "account",
  api: "partner",
  method: "GET",
  path: "/account/settings",
  scope: "any",
  params: lazy(() => z.strictObject({})),
  body: undefined,
  response: settingsList,
  effect: "read",
  idempotent: true,
});

export const updateSetting = defineOperation({
  name: "update_account_setting",
  title: "Update account setting",
  description:
    'Set one account setting, e.g. auto_renew_subscription to "1" (new contracts auto-renew) or "0".',
  toolset: "account",
  api: "partner",
  method: "PATCH",
  path: "/account/settings",
  scope: "any",
  params: lazy(() => z.strictObject({})),
  body: lazy(() =>
    z.strictObject({
      name: z.string().regex(/^[a-z0-9_]{1,64}$/, "must be a setting name such as auto_renew_subscription"),
      value: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be a short value such as "0" or "1"'),
    }),
  ),
  response: updatedSetting,
  effect: "write",
  idempotent: true,
});

export const accountOperations = [
  createSubaccount,
  getEmergencyEmails,
  addEmergencyEmails,
  removeEmergencyEmails,
  getReporting,
  getSettings,
  updateSetting,
] as const;
