import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { dnsName } from "../src/schemas/primitives.js";
import { ANSWER_VARIANT_HELP, ANSWER_VARIANTS } from "./answers.js";
import { iso, wholeSecond } from "./clock.js";
import { ApiError, badRequest, forbidden, notFound } from "./errors.js";
import { faultSpec } from "./faults.js";
import type { Result } from "./handlers/types.js";
import { HEX } from "./random.js";
import { BodyTooLarge, errorResult, type Runtime, readBody, sendResult, validationError } from "./server.js";
import type { OrganizationValidation, Store } from "./store.js";
import { certificateView } from "./views.js";

export const validateOrganizationInput = z.strictObject({
  account_id: z.number().int().positive(),
  /** only the organization of this contract; default: every organization of the subaccount */
  acme_contract_id: z.number().int().positive().optional(),
  /** EV also satisfies OV; "none" withdraws validation */
  level: z.enum(["OV", "EV", "none"]).default("EV"),
});
export type ValidateOrganizationInput = z.input<typeof validateOrganizationInput>;

export const addCertificatesInput = z.strictObject({
  acme_contract_id: z.number().int().positive(),
  certificates: z
    .array(
      z.strictObject({
        domain: dnsName,
        status: z.enum(["issued", "revoked", "expired"]).default("issued"),
        /** ISO 8601; default: 90 days from the sandbox clock */
        expiration_date: z.iso.datetime({ offset: true }).optional(),
        serial_number: z
          .string()
          .regex(/^[0-9A-Fa-f]{8,64}$/)
          .optional(),
        sans: z.array(dnsName).optional(),
      }),
    )
    .min(1)
    .max(1000),
});
export type AddCertificatesInput = z.input<typeof addCertificatesInput>;

export const answersInput = z.strictObject({ variant: z.enum(ANSWER_VARIANTS) });

export const clockInput = z.union([
  z.strictObject({ advance_ms: z.number().finite() }),
  z.strictObject({ now: z.union([z.number().finite(), z.iso.datetime({ offset: true })]) }),
]);

/** Marks organizations validated, standing in for DigiCert's validation team. */
export function validateOrganizations(store: Store, input: ValidateOrganizationInput) {
  const parsed = validateOrganizationInput.parse(input);
  const account = store.account(parsed.account_id);
  if (account?.kind !== "sub") throw notFound(`subaccount ${parsed.account_id} not found`);
  let orgIds: Set<number>;
  if (parsed.acme_contract_id !== undefined) {
    const contract = store.contracts.get(parsed.acme_contract_id);
    if (!contract || contract.accountId !== account.id) {
      throw notFound(`ACME contract ${parsed.acme_contract_id} not found in subaccount ${account.id}`);
    }
    if (contract.orgId === null)
      throw badRequest("invalid_request", "this contract has no organization (DV)");
    orgIds = new Set([contract.orgId]);
  } else {
    orgIds = new Set(
      [...store.organizations.values()].filter((o) => o.accountId === account.id).map((o) => o.id),
    );
  }
  const contracts = store.contractsOf(account.id);
  return [...orgIds].map((id) => {
    const org = store.organizations.get(id);
    if (!org) throw notFound(`organization ${id} not found`);
    org.validation = parsed.level as OrganizationValidation;
    return {
      organization_id: org.id,
      name: org.details.name,
      validation: org.validation,
      acme_contract_ids: contracts.filter((c) => c.orgId === org.id).map((c) => c.id),
    };
  });
}

/** Adds certificate records (the sandbox runs no ACME server, so issuance is simulated here). */
export function addCertificates(store: Store, input: AddCertificatesInput, now: number) {
  const parsed = addCertificatesInput.parse(input);
  const contract = store.contracts.get(parsed.acme_contract_id);
  if (!contract) throw notFound(`ACME contract ${parsed.acme_contract_id} not found`);
  for (const cert of parsed.certificates) {
    contract.certificates.push({
      domain: cert.domain,
      status: cert.status,
      expirationDate: cert.expiration_date
        ? wholeSecond(Date.parse(cert.expiration_date))
        : wholeSecond(now) + 90 * 86_400_000,
      serialNumber: (cert.serial_number ?? store.rng.string(32, HEX)).toUpperCase(),
      sans: cert.sans ?? [cert.domain],
    });
  }
  return contract.certificates.map(certificateView);
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

function json(raw: string): unknown {
  if (raw.trim() === "") return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw new ApiError(400, "bad_request_format", "request body is not valid JSON");
  }
}

function parse<T extends z.ZodType>(schema: T, raw: string): z.output<T> {
  const result = schema.safeParse(json(raw));
  if (!result.success) throw validationError(result.error.issues, "body");
  return result.data;
}

/** What the control plane can do; implemented by the Sandbox object so HTTP and in-process share one path. */
export interface Controls {
  reset(): void;
  keysJson(): unknown;
}

/**
 * Routes under /_sandbox/: no DigiCert auth, loopback callers only, never counted in stats and never faulted.
 */
export async function handleControl(
  rt: Runtime,
  controls: Controls,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  path: string,
): Promise<void> {
  let result: Result;
  try {
    if (!isLoopback(req.socket.remoteAddress))
      throw forbidden("sandbox control routes answer loopback callers only");
    const raw = await readBody(req);
    result = route(rt, controls, method, path, raw);
  } catch (err) {
    if (err instanceof ApiError) result = errorResult(err);
    else if (err instanceof BodyTooLarge)
      result = errorResult(new ApiError(413, "request_too_large", "body too large"));
    else if (err instanceof z.ZodError) result = errorResult(validationError(err.issues, "body"));
    else result = errorResult(new ApiError(500, "internal_error", (err as Error).message));
  }
  sendResult(res, result);
}

function route(rt: Runtime, controls: Controls, method: string, path: string, raw: string): Result {
  const key = `${method} ${path.replace(/\/$/, "")}`;
  switch (key) {
    case "POST /_sandbox/reset":
      controls.reset();
      return { status: 200, body: { ok: true, keys: controls.keysJson() } };
    case "GET /_sandbox/keys":
      return { status: 200, body: { keys: controls.keysJson() } };
    case "GET /_sandbox/faults":
      return { status: 200, body: { faults: rt.faults.list() } };
    case "POST /_sandbox/faults":
      return { status: 201, body: { fault: rt.faults.add(parse(faultSpec, raw)) } };
    case "DELETE /_sandbox/faults":
      rt.faults.clear();
      return { status: 204 };
    case "GET /_sandbox/clock":
      return { status: 200, body: clockView(rt) };
    case "POST /_sandbox/clock": {
      const input = parse(clockInput, raw);
      if ("advance_ms" in input) rt.clock.advance(input.advance_ms);
      else rt.clock.set(typeof input.now === "number" ? input.now : Date.parse(input.now));
      return { status: 200, body: clockView(rt) };
    }
    case "GET /_sandbox/answers":
      return { status: 200, body: { variant: rt.answers, variants: ANSWER_VARIANT_HELP } };
    case "PUT /_sandbox/answers":
      rt.answers = parse(answersInput, raw).variant;
      return { status: 200, body: { variant: rt.answers } };
    case "GET /_sandbox/stats":
      return { status: 200, body: rt.stats.snapshot() };
    case "DELETE /_sandbox/stats":
      rt.stats.clear();
      return { status: 204 };
    case "POST /_sandbox/organizations/validate":
      return {
        status: 200,
        body: { organizations: validateOrganizations(rt.store, parse(validateOrganizationInput, raw)) },
      };
    case "POST /_sandbox/certificates": {
      const input = parse(addCertificatesInput, raw);
      return { status: 201, body: { certificates: addCertificates(rt.store, input, rt.clock.now()) } };
    }
    default:
      throw notFound(`no sandbox control route ${method} ${path}`);
  }
}

function clockView(rt: Runtime) {
  const now = rt.clock.now();
  return { now: iso(now), epoch_ms: now };
}
