import type { Result } from "./handlers/types.js";

/**
 * Other plausible forms of the answers no DigiCert page documents. The default ("guess") is the sandbox's own
 * guess, which the client's expected shapes share, so a wrong guess would be wrong on both sides; these variants
 * let the tests show that the client does not depend on it: a write is still reported as done, a once-shown
 * secret still reaches the user, nothing is sent twice. Documented answers (seeds S0, S1, S4; W10, W15, W16's
 * visible start; the 204s) never change.
 */
export const ANSWER_VARIANTS = ["guess", "renamed", "nested", "lists", "extra", "empty"] as const;
export type AnswerVariant = (typeof ANSWER_VARIANTS)[number];

export const ANSWER_VARIANT_HELP: Record<AnswerVariant, string> = {
  guess: "the sandbox's guess of each undocumented answer (default)",
  renamed: "fields renamed (key for api_key, eab.hmac for eab_set.hmac_key, emails, …)",
  nested: "the same data one level deeper (subaccount.id, acme.ext_act_hmac, data.settings, …)",
  lists: "lists where the guess has objects (eab_set: [..], api_keys: [..], a bare list of emails)",
  extra: "the guess plus fields nobody expects, at the top and nested",
  empty: "an empty 200 body",
};

type Body = Record<string, unknown>;
type Shape = (body: Body) => unknown;
type Shapes = Record<Exclude<AnswerVariant, "guess" | "extra" | "empty">, Shape>;

const eab = (body: Body) => (body.eab_set ?? {}) as Body;
const without = (body: Body, ...keys: string[]) =>
  Object.fromEntries(Object.entries(body).filter(([k]) => !keys.includes(k)));

/** create_acme_contract and regenerate_acme_credentials: the bundle DigiCert only names (`eab_set`, W13). */
const eabAnswer: Shapes = {
  renamed: (b) => ({
    ...without(b, "acme_contract_id", "acme_directory_url", "eab_set"),
    id: b.acme_contract_id,
    directory_url: b.acme_directory_url,
    eab: { key_id: eab(b).kid, hmac: eab(b).hmac_key, id: eab(b).credential_id },
  }),
  // CertCentral's own EAB answer names (W28), one level down
  nested: (b) => ({
    contract: without(b, "acme_directory_url", "eab_set"),
    acme: {
      acme_directory_url: b.acme_directory_url,
      ext_act_kid: eab(b).kid,
      ext_act_hmac: eab(b).hmac_key,
    },
  }),
  lists: (b) => ({ ...b, eab_set: [eab(b)] }),
};

const contractAnswer: Shapes = {
  renamed: (b) => ({ ...without(b, "acme_contract_id", "sans"), id: b.acme_contract_id, domains: b.sans }),
  nested: (b) => ({ acme_contract: b }),
  lists: (b) => [b],
};

const settingAnswer: Shapes = {
  renamed: (b) => ({ setting_name: b.name, setting_value: b.value, default: b.is_default }),
  nested: (b) => ({ setting: b }),
  lists: (b) => [b],
};

/** 204 in the guess; an answer with a body in the variants. */
const revokeAnswer: Shapes = {
  renamed: () => ({ result: "revoked" }),
  nested: () => ({ data: { status: "revoked" } }),
  lists: () => [],
};

const RESHAPE: Record<string, Shapes> = {
  create_api_key: {
    renamed: (b) => ({
      key_id: b.id,
      key_name: b.name,
      account: b.account_id,
      state: b.status,
      key: b.api_key,
    }),
    nested: (b) => ({
      account_id: b.account_id,
      api_key: { id: b.id, name: b.name, status: b.status, value: b.api_key, last4: b.api_key_last4 },
    }),
    lists: (b) => ({ api_keys: [{ ...without(b, "api_key"), secret: b.api_key }] }),
  },
  create_subaccount: {
    renamed: (b) => {
      const key = (b.api_key ?? {}) as Body;
      return { id: b.account_id, subaccount_name: b.name, api_key: key.api_key, api_key_id: key.id };
    },
    nested: (b) => {
      const key = (b.api_key ?? {}) as Body;
      return {
        subaccount: { id: b.account_id, name: b.name },
        credentials: { partner_api_key: { id: key.id, secret: key.api_key } },
      };
    },
    lists: (b) => {
      const key = (b.api_key ?? {}) as Body;
      return {
        accounts: [{ account_id: b.account_id, name: b.name }],
        api_keys: [{ id: key.id, name: key.name, key: key.api_key }],
      };
    },
  },
  create_acme_contract: eabAnswer,
  regenerate_acme_credentials: eabAnswer,
  replace_acme_contract: contractAnswer,
  update_acme_contract: contractAnswer,
  update_account_setting: settingAnswer,
  get_account_settings: {
    renamed: (b) =>
      Object.fromEntries(((b.settings ?? []) as Body[]).map((s) => [String(s.name), s.value] as const)),
    nested: (b) => ({ data: { settings: b.settings } }),
    lists: (b) => b.settings,
  },
  get_emergency_emails: {
    renamed: (b) => ({ emails: b.emergency_contact_emails }),
    nested: (b) => ({ account: { emergency_contact_emails: b.emergency_contact_emails } }),
    lists: (b) => b.emergency_contact_emails,
  },
  revoke_all_acme_credentials: revokeAnswer,
  revoke_acme_credential: revokeAnswer,
};

/** Operations whose answer the variants change (every undocumented answer). */
export const RESHAPED_OPERATIONS = Object.keys(RESHAPE);

function withExtras(body: unknown): unknown {
  const extras = { request_id: "req-7f3a", meta: { api_version: "v1", region: "us" } };
  if (body === undefined) return extras;
  if (Array.isArray(body) || body === null || typeof body !== "object") return body;
  const out: Body = { ...(body as Body), ...extras };
  for (const [k, v] of Object.entries(out)) {
    if (v && typeof v === "object" && !Array.isArray(v) && k !== "meta") out[k] = { ...v, x_trace: "t1" };
  }
  return out;
}

/** The answer of `operation` in `variant`; errors, documented answers and the "guess" pass unchanged. */
export function reshapeAnswer(variant: AnswerVariant, operation: string, result: Result): Result {
  const shapes = RESHAPE[operation];
  if (variant === "guess" || !shapes || result.status < 200 || result.status >= 300) return result;
  if (result.raw !== undefined) return result;
  const body = (result.body ?? {}) as Body;
  const status = result.status === 204 ? 200 : result.status;
  if (variant === "empty") return { status, raw: "", headers: result.headers };
  const next = variant === "extra" ? withExtras(result.body) : shapes[variant](body);
  return { status, body: next, headers: result.headers };
}

export function isAnswerVariant(value: unknown): value is AnswerVariant {
  return typeof value === "string" && (ANSWER_VARIANTS as readonly string[]).includes(value);
}
