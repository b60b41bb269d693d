import type { Operation } from "../operations/index.js";

/**
 * Answers that carry a secret DigiCert shows exactly once (`op.shownOnce`). Which field holds it is documented
 * for one answer only (create API key: `api_key`, W16), so the whole answer is searched: a value is taken for a
 * secret by its field's name or by its form, wherever DigiCert put it, string or object, one or a list. It stays
 * in the result (it is the point of the call), with a sentence telling the agent to have it stored now. Results
 * are never logged, audited or kept, so these values reach the user and no one else.
 */

/** Field names that say "secret" (api_key, hmac_key, ext_act_hmac, secret, token, password, key…). */
const SECRET_NAME =
  /(^|_)(api_?key|apikey|key|hmac|hmac_key|secret|password|passphrase|token|private_key)$|hmac/i;
/** Field names that hold something about a secret but not the secret itself. */
const NOT_SECRET_NAME = /(_last4|_hint|_id|_ids|_name|^name|_url|_at|_date|^status|_count|_type)$/i;
/** A long token without spaces in the alphabets keys and HMACs are written in. */
const SECRET_FORM = /^[A-Za-z0-9+/=_~.-]{20,}$/;
const NOT_SECRET_FORM = [
  /^\d+$/, // an id
  /^\d{4}-\d{2}-\d{2}[T ]/, // a timestamp
  /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, // a DNS name
];

function looksLikeSecretValue(value: string): boolean {
  if (!SECRET_FORM.test(value) || NOT_SECRET_FORM.some((r) => r.test(value))) return false;
  // keys and HMACs mix letter cases and digits; words and hex serials rarely all three
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(value)).length;
  return classes >= 2 && !/^[0-9a-f]+$/.test(value);
}

function isSecretField(name: string, value: string): boolean {
  if (value === "" || NOT_SECRET_NAME.test(name)) return false;
  // a field named like a secret in an answer that carries one is one, however short (W16 shows "xyz789…")
  return SECRET_NAME.test(name) || looksLikeSecretValue(value);
}

function pathOf(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** Where in an answer the secret-looking strings are, e.g. ["api_key.api_key", "eab_set[0].hmac_key"]. */
export function secretPaths(data: unknown): string[] {
  const out: string[] = [];
  const visit = (node: unknown, path: string, name: string, depth: number): void => {
    if (depth > 10) return;
    if (typeof node === "string") {
      if (isSecretField(name, node)) out.push(path || "(answer)");
    } else if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) visit(item, pathOf(path, i), name, depth + 1);
    } else if (node && typeof node === "object") {
      for (const [k, v] of Object.entries(node)) visit(v, pathOf(path, k), k, depth + 1);
    }
  };
  visit(data, "", "", 0);
  return out;
}

/** A copy of `data` holding only the values at `paths` (when the whole answer is too large to show). */
export function pickPaths(data: unknown, paths: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    let node: unknown = data;
    for (const part of path.match(/[^.[\]]+/g) ?? []) {
      node = node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
    }
    out[path] = node;
  }
  return out;
}

export interface OnceShown {
  /** "Shown once: …": for the result's note */
  note?: string;
  /** DigiCert said the call succeeded but nothing in its answer looks like the secret: for the warning */
  missing?: string;
}

/** What a result of a secret-bearing operation must tell the agent about the secret it carries (or lacks). */
export function onceShown(op: Operation, data: unknown): OnceShown {
  if (!op.shownOnce) return {};
  const text = (data as { text?: unknown } | undefined)?.text;
  const paths = secretPaths(data);
  if (paths.length === 0 && typeof text !== "string") {
    return {
      missing:
        `DigiCert accepted the call, but nothing in its answer looks like ${op.shownOnce}, so it cannot be shown here ` +
        "and DigiCert will not show it again. Do not repeat this call: it has been done.",
    };
  }
  const where = paths.length
    ? ` (in ${paths.join(", ")})`
    : " (the answer was not JSON: it is shown as text)";
  return {
    note:
      `Shown once: ${op.shownOnce}${where} cannot be retrieved again. ` +
      "Give it to the user now and tell them to store it in a password manager or secret store; do not repeat it later.",
  };
}
