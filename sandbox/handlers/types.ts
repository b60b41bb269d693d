import type { z } from "zod";
import type { AnyObject, Operation } from "../../src/operations/types.js";
import type { Caller } from "../auth.js";
import { ApiError } from "../errors.js";
import type { CertCentralAccount, Store } from "../store.js";

export interface Context<P, B> {
  store: Store;
  /** clock reading taken once per request, whole seconds */
  now: number;
  caller: Caller | undefined;
  certCentral: CertCentralAccount | undefined;
  params: P;
  body: B;
}

export interface Result {
  status: number;
  /** serialised with JSON.stringify */
  body?: unknown;
  /** already-serialised JSON, for large answers built in one pass */
  raw?: string;
  headers?: Record<string, string>;
}

type BodyOf<B> = B extends AnyObject ? z.output<B> : undefined;
/** a schema's input fields; none (`unknown`) for no body or an empty object, whose input type is `Record<string, never>` */
type FieldsIn<S> = S extends AnyObject ? (string extends keyof z.input<S> ? unknown : z.input<S>) : unknown;

/** An operation's flat tool input (path params, body fields, `account_id` where the key is chosen per call). */
export type ExampleInput<P extends AnyObject, B extends AnyObject | undefined> = FieldsIn<P> &
  FieldsIn<B> & { account_id?: number };

export interface HandlerDef {
  op: Operation;
  // Method syntax on purpose: each handler narrows the context to its own operation's params and body.
  run(ctx: Context<unknown, unknown>): Result;
  /**
   * A call of the operation that succeeds on a freshly reset demo seed, as tool input, with the credentials the
   * tests configure (parent key, subaccount 1001 as the default, every seeded subaccount's key, the DEVKEY).
   * The tests that run every catalog operation (client, MCP, answer variants, response schemas) call it, so a
   * new operation is exercised without editing them.
   */
  example: Record<string, unknown>;
}

/**
 * Ties a handler to its catalog entry so params and body are typed from the operation's own schemas; `example`
 * is the operation's demo call (see HandlerDef.example), typed from its schemas.
 */
export function handler<
  P extends AnyObject,
  B extends AnyObject | undefined,
  R extends z.ZodType | undefined,
>(
  op: Operation<P, B, R>,
  example: ExampleInput<P, B>,
  run: (ctx: Context<z.output<P>, BodyOf<B>>) => Result,
): HandlerDef {
  return { op: op as Operation, run: run as HandlerDef["run"], example: example as Record<string, unknown> };
}

/** The scope check already ran, so a missing caller is a sandbox bug, not a client error. */
export function callerOf(ctx: { caller: Caller | undefined }): Caller {
  if (!ctx.caller)
    throw new ApiError(500, "internal_error", "sandbox: operation ran without a Partner caller");
  return ctx.caller;
}

export function certCentralOf(ctx: { certCentral: CertCentralAccount | undefined }): CertCentralAccount {
  if (!ctx.certCentral) throw new ApiError(500, "internal_error", "sandbox: operation ran without a DEVKEY");
  return ctx.certCentral;
}

export const ok = (body: unknown, status = 200): Result => ({ status, body });
export const noContent = (): Result => ({ status: 204 });
