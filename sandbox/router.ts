import { API_PREFIX, OPERATIONS, type Operation } from "../src/operations/index.js";

type Segment = { literal: string } | { param: string };

export interface Route {
  op: Operation;
  method: string;
  segments: Segment[];
  literals: number;
}

export type Match =
  | { kind: "route"; route: Route; params: Record<string, string> }
  | { kind: "method_not_allowed"; allow: string[] }
  | { kind: "not_found" };

function split(path: string): string[] {
  // One trailing slash is tolerated ("/acme/5/" is "/acme/5"); empty inner segments are not.
  const trimmed = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  return trimmed.split("/").slice(1);
}

/** Routes come from the catalog (API prefix + path template), never written out per endpoint. */
export function buildRoutes(operations: readonly Operation[] = OPERATIONS): Route[] {
  return operations.map((op) => {
    const segments: Segment[] = split(API_PREFIX[op.api] + op.path).map((s) => {
      const m = /^\{([a-z_]+)\}$/.exec(s);
      return m?.[1] ? { param: m[1] } : { literal: s };
    });
    return { op, method: op.method, segments, literals: segments.filter((s) => "literal" in s).length };
  });
}

export class Router {
  private readonly byLength = new Map<number, Route[]>();

  constructor(routes: Route[] = buildRoutes()) {
    for (const route of routes) {
      const list = this.byLength.get(route.segments.length) ?? [];
      list.push(route);
      // More literal segments first, so a fixed path wins over a template that would also match it.
      list.sort((a, b) => b.literals - a.literals);
      this.byLength.set(route.segments.length, list);
    }
  }

  match(method: string, pathname: string): Match {
    const parts = split(pathname);
    const candidates = this.byLength.get(parts.length) ?? [];
    const allow: string[] = [];
    for (const route of candidates) {
      const params = bind(route, parts);
      if (!params) continue;
      if (route.method === method) return { kind: "route", route, params };
      if (!allow.includes(route.method)) allow.push(route.method);
    }
    return allow.length > 0 ? { kind: "method_not_allowed", allow } : { kind: "not_found" };
  }
}

function bind(route: Route, parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const seg = route.segments[i];
    const part = parts[i];
    if (seg === undefined || part === undefined) return undefined;
    if ("literal" in seg) {
      if (seg.literal !== part) return undefined;
    } else {
      if (part === "") return undefined;
      let decoded: string;
      try {
        decoded = decodeURIComponent(part);
      } catch {
        decoded = part;
      }
      params[seg.param] = decoded;
    }
  }
  return params;
}

/**
 * Path segments are text; the catalog's params schemas want numbers. Only plain decimal digits become numbers,
 * so "12abc", "1e3", "0x10" or " 7" stay strings and fail the schema with a 400 that names the parameter.
 */
export function coercePathParams(raw: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) out[k] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  return out;
}
