import { z } from "zod";
import { email, telephone, text } from "../src/schemas/primitives.js";
import { badRequest } from "./errors.js";
import type { Contact, Contacts } from "./store.js";

/**
 * The sandbox's own rule for contacts, stricter than the client's: DigiCert shows contacts with these five
 * fields (W3) but documents neither which are required nor the form of EV `verified_contacts`. The client passes
 * what it is given; this guess, like DigiCert, answers 400 with the field it refuses.
 */
const contact = z.strictObject({
  first_name: text(128),
  last_name: text(128),
  email,
  telephone,
  job_title: text(128).optional(),
});

function parseContact(value: unknown, field: string): Contact {
  const parsed = contact.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = [field, ...(issue?.path ?? []).map(String)].join(".");
  throw badRequest("invalid_request", `organization.${where}: ${issue?.message ?? "invalid contact"}`);
}

/** The contacts of an organization in a request, each checked against the sandbox's contact rule. */
export function contactsOf(input: {
  organization_contact?: unknown;
  technical_contact?: unknown;
  verified_contacts?: readonly unknown[] | undefined;
}): Contacts {
  const out: Contacts = {};
  if (input.organization_contact !== undefined) {
    out.organization_contact = parseContact(input.organization_contact, "organization_contact");
  }
  if (input.technical_contact !== undefined) {
    out.technical_contact = parseContact(input.technical_contact, "technical_contact");
  }
  if (input.verified_contacts !== undefined) {
    out.verified_contacts = input.verified_contacts.map((c, i) => parseContact(c, `verified_contacts.${i}`));
  }
  return out;
}
