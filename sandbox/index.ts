import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type AnswerVariant, isAnswerVariant } from "./answers.js";
import { Clock } from "./clock.js";
import {
  type AddCertificatesInput,
  addCertificates,
  handleControl,
  type ValidateOrganizationInput,
  validateOrganizations,
} from "./control.js";
import { ApiError } from "./errors.js";
import { type Fault, type FaultSpec, Faults } from "./faults.js";
import { generateData } from "./generate.js";
import { checkHandlers } from "./handlers/index.js";
import { Router } from "./router.js";
import { DEMO, type SandboxKeys, type SeedName, seedStore } from "./seed.js";
import { errorResult, handleApi, type Runtime, sendResult } from "./server.js";
import { Stats, type StatsSnapshot } from "./stats.js";
import { Store } from "./store.js";

export { ANSWER_VARIANTS, type AnswerVariant, RESHAPED_OPERATIONS } from "./answers.js";
export type { Fault, FaultSpec } from "./faults.js";
export { DEMO, DEMO_KEYS, EXAMPLE_CORP, type SandboxKeys, type SeedName } from "./seed.js";
export type { StatsSnapshot } from "./stats.js";
export type { Store } from "./store.js";

export interface SandboxOptions {
  /** default 0: an ephemeral port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** default "demo" */
  seed?: SeedName;
  /** adds generated subaccounts with contracts under the parent, after the seed */
  generate?: { subaccounts: number; contractsPerSubaccount: number };
  /** base time source (epoch ms); the sandbox clock adds its own offset to it. Default Date.now */
  now?: () => number;
  /** the form of the answers DigiCert does not document (sandbox/answers.ts); default "guess" */
  answers?: AnswerVariant;
}

export interface SandboxAnswers {
  get(): AnswerVariant;
  set(variant: AnswerVariant): void;
}

export interface SandboxClock {
  now(): number;
  advance(ms: number): number;
  /** epoch ms or an ISO 8601 string */
  set(now: number | string): number;
}

export interface SandboxFaults {
  add(spec: FaultSpec): Fault;
  clear(): void;
  list(): Fault[];
}

export interface SandboxStats {
  /** requests received for an operation, optionally only one outcome ("201", 503, "reset", "reset_after_commit") */
  count(operation: string, outcome?: string | number): number;
  snapshot(): StatsSnapshot;
  clear(): void;
}

export interface Sandbox {
  /** origin, e.g. http://127.0.0.1:54321 (DigiCert paths go below it) */
  url: string;
  keys: SandboxKeys;
  /** the live state; replaced by reset(), so read it through this property each time */
  readonly store: Store;
  clock: SandboxClock;
  faults: SandboxFaults;
  stats: SandboxStats;
  /** the form of undocumented answers; kept across reset() */
  answers: SandboxAnswers;
  /** restores the seed (and generated data), clears faults and stats, and puts the clock back */
  reset(): void;
  /** stands in for DigiCert's validation team */
  validateOrganization(input: ValidateOrganizationInput): ReturnType<typeof validateOrganizations>;
  addCertificates(input: AddCertificatesInput): ReturnType<typeof addCertificates>;
  close(): Promise<void>;
}

function buildStore(options: SandboxOptions, now: number): { store: Store; keys: SandboxKeys } {
  const store = new Store();
  const keys = seedStore(store, options.seed ?? "demo", now);
  if (options.generate) generateData(store, DEMO.parent, options.generate, now);
  return { store, keys };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  checkHandlers();
  const clock = new Clock(options.now ?? Date.now);
  const initial = buildStore(options, clock.now());
  const rt: Runtime = {
    store: initial.store,
    answers: options.answers ?? "guess",
    clock,
    faults: new Faults(),
    stats: new Stats(),
    router: new Router(),
  };
  let keys = initial.keys;

  const reset = () => {
    clock.restore();
    const next = buildStore(options, clock.now());
    rt.store = next.store;
    keys = next.keys;
    rt.faults.clear();
    rt.stats.clear();
  };
  const controls = { reset, keysJson: () => keys };

  const server: Server = createServer((req, res) => {
    const method = (req.method ?? "GET").toUpperCase();
    let path: string;
    try {
      path = new URL(req.url ?? "/", "http://sandbox.invalid").pathname;
    } catch {
      path = "/";
    }
    const work =
      path === "/_sandbox" || path.startsWith("/_sandbox/")
        ? handleControl(rt, controls, req, res, method, path)
        : handleApi(rt, req, res, method, path);
    work.catch((err: unknown) => {
      if (res.headersSent || res.destroyed) return;
      sendResult(
        res,
        errorResult(new ApiError(500, "internal_error", `sandbox error: ${(err as Error).message}`)),
      );
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  // Bound to every interface: the URL still has to be something a local client can dial.
  const dialable =
    address.address === "0.0.0.0" ? "127.0.0.1" : address.address === "::" ? "::1" : address.address;
  const host = dialable.includes(":") ? `[${dialable}]` : dialable;

  return {
    url: `http://${host}:${address.port}`,
    get keys() {
      return keys;
    },
    get store() {
      return rt.store;
    },
    clock: {
      now: () => clock.now(),
      advance: (ms) => clock.advance(ms),
      set: (now) => clock.set(typeof now === "number" ? now : Date.parse(now)),
    },
    faults: {
      add: (spec) => rt.faults.add(spec),
      clear: () => rt.faults.clear(),
      list: () => rt.faults.list(),
    },
    stats: {
      count: (operation, outcome) => rt.stats.count(operation, outcome),
      snapshot: () => rt.stats.snapshot(),
      clear: () => rt.stats.clear(),
    },
    answers: {
      get: () => rt.answers,
      set: (variant) => {
        if (!isAnswerVariant(variant)) throw new Error(`unknown answer variant ${String(variant)}`);
        rt.answers = variant;
      },
    },
    reset,
    validateOrganization: (input) => validateOrganizations(rt.store, input),
    addCertificates: (input) => addCertificates(rt.store, input, clock.now()),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
