import { domainToASCII } from "node:url";
import { z } from "zod";
import { lazy } from "./lazy.js";

/** Every id in DigiCert's examples is a positive integer; ids end up in URL paths, so nothing else gets through. */
export const id = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .positive(`${what} must be positive`)
    .max(Number.MAX_SAFE_INTEGER, `${what} is too large`);

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Normalises one SAN the way a CA compares names: lower case, no trailing dot, IDNs as punycode.
 * Returns the normalised name, or a reason it is not a valid DNS name.
 */
export function normaliseDnsName(raw: string): { ok: true; value: string } | { ok: false; reason: string } {
  const trimmed = raw.trim();
  if (trimmed.length === 0) return { ok: false, reason: "is empty" };
  if (trimmed.length > 1000) return { ok: false, reason: "is longer than any DNS name can be" };
  const wildcard = trimmed.startsWith("*.");
  const rest = (wildcard ? trimmed.slice(2) : trimmed).replace(/\.$/, "");
  if (rest.includes("*")) return { ok: false, reason: "has a wildcard that is not the whole leftmost label" };
  // URL host parsing (below) would silently cut "example.com/evil" to "example.com": allow only name characters.
  if (!/^[\p{L}\p{N}\p{M}.-]+$/u.test(rest)) {
    return { ok: false, reason: "may contain only letters, digits, hyphens and dots" };
  }
  // domainToASCII returns "" for anything WHATWG URL parsing rejects (spaces, slashes, bad punycode...).
  const ascii = domainToASCII(rest.toLowerCase());
  if (ascii === "") return { ok: false, reason: "is not a valid domain name" };
  const labels = ascii.split(".");
  if (labels.length < 2) return { ok: false, reason: "must have at least two labels (e.g. example.com)" };
  const bad = labels.find((l) => !LABEL.test(l));
  if (bad !== undefined) return { ok: false, reason: `has an invalid label "${bad.slice(0, 70)}"` };
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? "")) {
    return { ok: false, reason: "looks like an IP address; SANs here are DNS names" };
  }
  const value = wildcard ? `*.${ascii}` : ascii;
  if (value.length > 253) return { ok: false, reason: "is longer than 253 characters" };
  return { ok: true, value };
}

/** A SAN: a DNS name, wildcard only as the whole leftmost label; normalised (lower case, punycode). */
export const dnsName = lazy(() =>
  z.string({ error: "a SAN must be a string" }).transform((raw, ctx) => {
    const result = normaliseDnsName(raw);
    if (!result.ok) {
      ctx.addIssue({ code: "custom", message: `"${raw.slice(0, 80)}" ${result.reason}` });
      return z.NEVER;
    }
    return result.value;
  }),
);

export const MAX_SANS_PER_CONTRACT = 250;

/** A list of SANs for a request: 1..250 names, de-duplicated after normalisation. */
export const sanList = lazy(() =>
  z
    .array(dnsName, { error: "sans must be an array of domain names" })
    .min(1, "give at least one SAN")
    .max(MAX_SANS_PER_CONTRACT, `a contract holds at most ${MAX_SANS_PER_CONTRACT} SANs`)
    .transform((names) => [...new Set(names)]),
);

export const email = lazy(() =>
  z
    .string({ error: "an email address must be a string" })
    .trim()
    .max(254, "an email address has at most 254 characters")
    .pipe(z.email({ error: "is not a valid email address" })),
);

export const emailList = lazy(() =>
  z
    .array(email, { error: "emergency_contact_emails must be an array of email addresses" })
    .min(1, "give at least one email address")
    .max(100, "at most 100 email addresses per request")
    .transform((list) => {
      const seen = new Set<string>();
      return list.filter((e) => {
        const k = e.toLowerCase();
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    }),
);

export const countryCode = lazy(() =>
  z
    .string()
    .regex(/^[A-Za-z]{2}$/, "must be a two-letter country code (ISO 3166-1 alpha-2, e.g. US)")
    .transform((c) => c.toUpperCase()),
);

/** Short free text (names, addresses): no control characters, bounded. */
export const text = (max = 255) =>
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "must not contain control characters");

export const telephone = lazy(() =>
  z
    .string()
    .trim()
    .regex(/^\+?[0-9(][0-9 ().-]{3,30}$/, "must be a telephone number such as +1-555-0100 or (555) 010-0199"),
);

/**
 * Timestamps as DigiCert returns them: ISO 8601 (2026-02-02T09:45:18Z), and also the documented quirk of
 * credential listings ("2026-06-01 14:00:00", no zone).
 */
export const TIMESTAMP_PATTERN =
  /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
export const timestamp = lazy(() => z.string().regex(TIMESTAMP_PATTERN, "must be an ISO 8601 date"));

/** Parses any timestamp accepted by `timestamp` to epoch ms (zone-less values are taken as UTC). */
export function parseTimestamp(value: string): number {
  // the usual form, 2026-02-02T09:45:18Z, is what Date.parse reads as it is
  if (value.length === 20 && value.charCodeAt(19) === 90 && value.charCodeAt(10) === 84)
    return Date.parse(value);
  const iso = value.includes("T") || value.length === 10 ? value : value.replace(" ", "T");
  const zoned = /Z|[+-]\d{2}:?\d{2}$/.test(iso) || iso.length === 10 ? iso : `${iso}Z`;
  return Date.parse(zoned);
}

export const productNameId = lazy(() =>
  z
    .string()
    .regex(
      /^[a-z0-9_]{2,64}$/,
      "must be a product identifier such as ssl_dv_rapidssl, ssl_basic or ssl_ev_basic",
    ),
);
