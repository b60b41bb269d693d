import { afterAll, beforeAll, beforeEach } from "vitest";
import { type Sandbox, type SandboxOptions, startSandbox } from "../../sandbox/index.js";
import { API_PREFIX } from "../../src/operations/index.js";

export const NOW = Date.parse("2026-03-01T12:00:00Z");
export const P = API_PREFIX.partner;
export const CC = API_PREFIX.certcentral;

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON fields and assert on them
  json: any;
}

export interface CallOptions {
  key?: string;
  devkey?: string;
  body?: unknown;
  /** sent as-is instead of JSON.stringify(body) */
  raw?: string;
  headers?: Record<string, string>;
}

export async function call(base: string, method: string, path: string, o: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.key !== undefined) headers["X-PARTNER-APIKEY"] = o.key;
  if (o.devkey !== undefined) headers["X-DC-DEVKEY"] = o.devkey;
  let body: string | undefined;
  if (o.raw !== undefined) body = o.raw;
  else if (o.body !== undefined) body = JSON.stringify(o.body);
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** One sandbox per test file, reset before each test so tests do not see each other's writes. */
export function useSandbox(options: SandboxOptions = {}) {
  const ctx = {} as { sb: Sandbox; call: (method: string, path: string, o?: CallOptions) => Promise<Reply> };
  beforeAll(async () => {
    ctx.sb = await startSandbox({ now: () => NOW, ...options });
    ctx.call = (method, path, o) => call(ctx.sb.url, method, path, o);
  });
  beforeEach(() => ctx.sb.reset());
  afterAll(async () => {
    await ctx.sb?.close();
  });
  return ctx;
}

export function errorCode(reply: Reply): string | undefined {
  return reply.json?.errors?.[0]?.code;
}

export const DV_BODY = {
  product_name_id: "ssl_dv_rapidssl",
  sans: ["new.example.net", "www.new.example.net"],
};

export const CONTACT = {
  first_name: "Ann",
  last_name: "Smith",
  email: "ann.smith@example.net",
  telephone: "+1-555-0123",
};

export const ORG = {
  name: "New Org Inc.",
  address: "1 Elm Street",
  city: "Boston",
  state: "MA",
  zip: "02108",
  country: "us",
  telephone: "+1-555-0124",
  organization_contact: CONTACT,
};
