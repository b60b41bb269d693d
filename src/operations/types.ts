import type { z } from "zod";

/** Which DigiCert credential a call needs. */
export type KeyScope =
  /** the parent account's Partner key only (subaccount keys get 403) */
  | "parent"
  /** a subaccount's Partner key only (the parent key gets 403 on /acme) */
  | "subaccount"
  /** parent or subaccount key: the call acts on the account that owns the key */
  | "any"
  /** a Partner key (parent or subaccount) plus a CertCentral X-DC-DEVKEY */
  | "any+devkey"
  /** a CertCentral X-DC-DEVKEY only */
  | "devkey";

export type Effect = "read" | "write" | "destructive";

import type { Toolset } from "./toolsets.js";

export type { Toolset } from "./toolsets.js";
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type Api = "partner" | "certcentral";

// biome-ignore lint/suspicious/noExplicitAny: the catalog holds objects of many different shapes
export type AnyObject = z.ZodObject<any>;

/** A read the confirmation gate makes before a destructive call, to show and later re-check the target. */
export interface Inspection {
  /** name of a read operation in the catalog */
  op: string;
  /** that operation's input, built from the destructive call's input */
  input: (input: Record<string, unknown>) => Record<string, unknown>;
}

/** Which calls need confirmation: all, or those `when` picks, which `whenText` tells the agent (tool description). */
type ConfirmWhen =
  | { when?: undefined; whenText?: undefined }
  | {
      /** Only these calls need confirmation (e.g. PATCH only when it changes the organization). */
      when: (input: Record<string, unknown>) => boolean;
      /** the same rule in words, ending the tool's description: "Asks for confirmation <whenText>." */
      whenText: string;
    };

export type ConfirmPolicy = ConfirmWhen & {
  /** A current-state read shown in the preview and compared again just before acting. */
  inspect?: Inspection;
  /** Plain-language sentence of what will happen, from the input and (if inspected) the current state. */
  describe: (input: Record<string, unknown>, current: unknown) => string;
};

export interface Paging {
  /** the list in the answer, e.g. "api_keys" */
  field: string;
  /** items per page when the agent gives no limit */
  defaultLimit: number;
}

export interface Operation<
  P extends AnyObject = AnyObject,
  B extends AnyObject | undefined = AnyObject | undefined,
  R extends z.ZodType | undefined = z.ZodType | undefined,
  N extends string = string,
> {
  /** stable snake_case tool name, verb first */
  name: N;
  /** human title for tool annotations */
  title: string;
  /** agent-facing description: when to use it and what it changes */
  description: string;
  toolset: Toolset;
  api: Api;
  method: HttpMethod;
  /** path below the API's base, with {param} placeholders named as in `params` */
  path: string;
  scope: KeyScope;
  params: P;
  body: B;
  /** schema of the success body; undefined when DigiCert answers 204 No Content */
  response: R;
  effect: Effect;
  /** repeating the call has no further effect, so a transient failure may be retried */
  idempotent: boolean;
  /** declared for every destructive or hard-to-undo call */
  confirm?: ConfirmPolicy;
  /**
   * The answer is one list that can grow without bound (`field`): the MCP layer gives the tool `offset`/`limit`
   * and cuts the page itself, since DigiCert's list endpoints take no paging parameters (spec §1.1).
   */
  paging?: Paging;
  /**
   * What a successful answer carries that DigiCert shows only once (a new key, an EAB HMAC), in words: the
   * whole answer is then searched for secret-looking values, wherever DigiCert put them, and shown to the user
   * once with a "store it now" note; never logged or kept.
   */
  shownOnce?: string;
  /** extra rule over the combined input (params + body), e.g. "at least one field" */
  check?: (input: Record<string, unknown>) => string | undefined;
}

/** Identity helper so each entry keeps its precise schema types. */
export function defineOperation<
  P extends AnyObject,
  B extends AnyObject | undefined,
  R extends z.ZodType | undefined,
  const N extends string,
>(op: Operation<P, B, R, N>): Operation<P, B, R, N> {
  return op;
}
