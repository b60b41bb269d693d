import { createApiKey, getApiKey, listApiKeys, setApiKeyStatus } from "../../src/operations/api-keys.js";
import type { Caller } from "../auth.js";
import { forbidden, notFound } from "../errors.js";
import { DEMO } from "../seed.js";
import type { ApiKeyRecord, Store } from "../store.js";
import { apiKeyView, createdApiKeyView } from "../views.js";
import { callerOf, handler, noContent, ok } from "./types.js";

/** Parent: own keys and its subaccounts' keys; subaccount: own keys only (spec E01, W14). */
function canSee(store: Store, caller: Caller, key: ApiKeyRecord): boolean {
  if (key.accountId === caller.account.id) return true;
  if (caller.account.kind !== "parent") return false;
  return store.account(key.accountId)?.parentId === caller.account.id;
}

/** Unknown id → 404; a key of an unrelated account → 403 (documented for the status update, W17). */
function visibleKey(store: Store, caller: Caller, id: number): ApiKeyRecord {
  const key = store.apiKeys.get(id);
  if (!key) throw notFound(`API key ${id} not found`);
  if (!canSee(store, caller, key)) throw forbidden(`API key ${id} belongs to an account you cannot manage`);
  return key;
}

export const apiKeyHandlers = {
  list_api_keys: handler(listApiKeys, {}, (ctx) => {
    const caller = callerOf(ctx);
    const ids = new Set<number>([caller.account.id]);
    if (caller.account.kind === "parent") for (const child of caller.account.children) ids.add(child);
    const keys: ApiKeyRecord[] = [];
    for (const key of ctx.store.apiKeys.values()) if (ids.has(key.accountId)) keys.push(key);
    keys.sort((a, b) => a.id - b.id);
    return ok({ api_keys: keys.map(apiKeyView) });
  }),

  get_api_key: handler(getApiKey, { api_key_id: DEMO.apiKeys.subFull }, (ctx) =>
    ok(apiKeyView(visibleKey(ctx.store, callerOf(ctx), ctx.params.api_key_id))),
  ),

  create_api_key: handler(createApiKey, { account_id: DEMO.subEmpty, name: "example key" }, (ctx) => {
    const caller = callerOf(ctx);
    const target = ctx.store.account(ctx.params.account_id);
    if (!target) throw notFound(`account ${ctx.params.account_id} not found`);
    if (target.parentId !== caller.account.id) {
      throw forbidden(`account ${target.id} is not a subaccount of account ${caller.account.id}`);
    }
    const key = ctx.store.addApiKey({
      id: ctx.store.nextId("apiKey"),
      accountId: target.id,
      name: ctx.body.name,
      secret: ctx.store.newSecret(),
      status: "active",
      createdAt: ctx.now,
      lastUsed: null,
    });
    return ok(createdApiKeyView(key), 201);
  }),

  set_api_key_status: handler(
    setApiKeyStatus,
    { api_key_id: DEMO.apiKeys.subEmpty, status: "inactive" },
    (ctx) => {
      const key = visibleKey(ctx.store, callerOf(ctx), ctx.params.api_key_id);
      ctx.store.setKeyStatus(key, ctx.body.status);
      return noContent();
    },
  ),
};
