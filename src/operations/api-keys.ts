import { z } from "zod";
import { apiKey, createdApiKey } from "../schemas/entities.js";
import { lazy } from "../schemas/lazy.js";
import { id, text } from "../schemas/primitives.js";
import { quote } from "./describe.js";
import { defineOperation } from "./types.js";

const keyId = lazy(() => z.strictObject({ api_key_id: id("api_key_id").describe("from list_api_keys") }));

export const listApiKeys = defineOperation({
  name: "list_api_keys",
  title: "List API keys",
  description:
    "List Partner API keys (id, name, owner account_id, status, last4); a parent key also sees its subaccounts' keys.",
  toolset: "api_keys",
  api: "partner",
  method: "GET",
  path: "/api-key",
  scope: "any",
  params: lazy(() => z.strictObject({})),
  body: undefined,
  response: lazy(() => z.looseObject({ api_keys: z.array(apiKey) })),
  paging: { field: "api_keys", defaultLimit: 50 },
  effect: "read",
  idempotent: true,
});

export const getApiKey = defineOperation({
  name: "get_api_key",
  title: "Get API key",
  description: "Get one API key's details (never the secret).",
  toolset: "api_keys",
  api: "partner",
  method: "GET",
  path: "/api-key/{api_key_id}",
  scope: "any",
  params: keyId,
  body: undefined,
  response: apiKey,
  effect: "read",
  idempotent: true,
});

export const createApiKey = defineOperation({
  name: "create_api_key",
  title: "Create subaccount API key",
  description: "Create an API key for a subaccount; its secret is shown once.",
  toolset: "api_keys",
  api: "partner",
  method: "POST",
  path: "/api-key/account/{account_id}",
  scope: "parent",
  params: lazy(() =>
    z.strictObject({ account_id: id("account_id").describe("the subaccount that will own the key") }),
  ),
  body: lazy(() => z.strictObject({ name: text().describe("label for the key") })),
  response: createdApiKey,
  shownOnce: "the new API key",
  effect: "write",
  idempotent: false,
});

export const setApiKeyStatus = defineOperation({
  name: "set_api_key_status",
  title: "Activate or deactivate API key",
  description: "Set an API key active or inactive. An inactive key stops authenticating at once.",
  toolset: "api_keys",
  api: "partner",
  method: "PUT",
  path: "/api-key/{api_key_id}/status",
  scope: "any",
  params: keyId,
  body: lazy(() => z.strictObject({ status: z.enum(["active", "inactive"]) })),
  response: undefined,
  effect: "destructive",
  idempotent: true,
  confirm: {
    when: (input) => input.status === "inactive",
    whenText: "to deactivate",
    inspect: { op: "get_api_key", input: (input) => ({ api_key_id: input.api_key_id }) },
    describe: (input, current) => {
      const key = current as { name?: string; account_id?: number; api_key_last4?: string } | undefined;
      const label = key
        ? `${quote(key.name)} (ending ${quote(key.api_key_last4 ?? "????")}, account ${Number(key.account_id)})`
        : "";
      return `Deactivate API key ${input.api_key_id} ${label}: every integration using it stops authenticating immediately.`;
    },
  },
});

export const apiKeyOperations = [listApiKeys, getApiKey, createApiKey, setApiKeyStatus] as const;
