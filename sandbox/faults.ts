import { z } from "zod";
import { API_PREFIX, OPERATIONS } from "../src/operations/index.js";

const operationNames = new Set<string>(OPERATIONS.map((op) => op.name));

export const FAULT_KINDS = ["latency", "status", "reset", "reset_after_commit"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What a test asks for; validated the same way in-process and on POST /_sandbox/faults. */
export const faultSpec = z.strictObject({
  operation: z
    .string()
    .refine((name) => operationNames.has(name), "must be an operation name from the catalog")
    .optional(),
  method: z
    .string()
    .transform((m) => m.toUpperCase())
    .pipe(z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]))
    .optional(),
  path: z.string().startsWith("/", "must start with /").optional(),
  kind: z.enum(FAULT_KINDS),
  status: z.number().int().min(400).max(599).optional(),
  retry_after_seconds: z.number().int().min(0).max(86_400).optional(),
  delay_ms: z.number().int().min(0).max(600_000).optional(),
  times: z.number().int().positive().optional(),
});
export type FaultSpec = z.input<typeof faultSpec>;

export interface Fault {
  id: number;
  operation: string | undefined;
  method: string | undefined;
  path: string | undefined;
  kind: FaultKind;
  status: number;
  retryAfterSeconds: number | undefined;
  delayMs: number;
  /** answers left; null = until cleared */
  remaining: number | null;
}

export interface FaultTarget {
  operation: string | undefined;
  method: string;
  path: string;
}

const prefixes = Object.values(API_PREFIX);

function pathMatches(pattern: string, path: string): boolean {
  // A pattern may be written with or without the API prefix; a trailing * matches any rest.
  const candidates = [path, ...prefixes.filter((p) => path.startsWith(p)).map((p) => path.slice(p.length))];
  if (pattern.endsWith("*")) {
    const head = pattern.slice(0, -1);
    return candidates.some((c) => c.startsWith(head));
  }
  return candidates.includes(pattern);
}

/**
 * Faults armed per route. Every matching latency fault adds its delay; then the first matching fault of another
 * kind decides the answer. Each use counts down `times`; a spent fault disappears.
 */
export class Faults {
  private faults: Fault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    const parsed = faultSpec.parse(spec);
    if (parsed.kind === "status" && parsed.status === undefined) parsed.status = 503;
    const fault: Fault = {
      id: this.nextId++,
      operation: parsed.operation,
      method: parsed.method,
      path: parsed.path,
      kind: parsed.kind,
      status: parsed.status ?? 503,
      retryAfterSeconds: parsed.retry_after_seconds ?? (parsed.status === 429 ? 1 : undefined),
      delayMs: parsed.delay_ms ?? (parsed.kind === "latency" ? 1000 : 0),
      remaining: parsed.times ?? null,
    };
    this.faults.push(fault);
    return { ...fault };
  }

  clear(): void {
    this.faults = [];
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Consumes the faults that apply to this request. */
  take(target: FaultTarget): { delayMs: number; fault: Fault | undefined } {
    let delayMs = 0;
    let fault: Fault | undefined;
    for (const f of this.faults) {
      if (!this.matches(f, target)) continue;
      if (f.kind === "latency") {
        delayMs += f.delayMs;
        this.use(f);
      } else if (!fault) {
        fault = { ...f };
        this.use(f);
      }
    }
    this.faults = this.faults.filter((f) => f.remaining !== 0);
    return { delayMs, fault };
  }

  private use(f: Fault): void {
    if (f.remaining !== null) f.remaining--;
  }

  private matches(f: Fault, t: FaultTarget): boolean {
    if (f.operation !== undefined && f.operation !== t.operation) return false;
    if (f.method !== undefined && f.method !== t.method) return false;
    if (f.path !== undefined && !pathMatches(f.path, t.path)) return false;
    return true;
  }
}
