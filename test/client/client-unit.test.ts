import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { DigiCertClient } from "../../src/client/client.js";
import { createLogger } from "../../src/logging.js";
import { failure } from "../helpers/failure.js";
import { drop, empty, fakeUpstream, hang, json } from "./fake-upstream.js";

const PARENT = "parent-key-0123456789abcdef";
const SUB = "sub-key-0123456789abcdef";
const DEV = "devkey-0123456789abcdef";
const contract = {
  acme_contract_id: 7,
  account_id: 2,
  product_name_id: "ssl_dv_rapidssl",
  created_at: "2026-01-01T00:00:00Z",
  sans: ["example.com"],
  valid_till: "2027-01-01T00:00:00Z",
  organization: null,
  is_organization_validated: false,
  auto_renew: false,
  date_canceled: null,
};

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.map((c) => c()));
  closers = [];
});

async function setup(
  replies: Parameters<typeof fakeUpstream>[0],
  extra: Partial<ConstructorParameters<typeof DigiCertClient>[0]> = {},
) {
  const upstream = await fakeUpstream(replies);
  const client = new DigiCertClient({
    baseUrl: upstream.url,
    credentials: {
      parentKey: PARENT,
      subaccountKey: SUB,
      devkey: DEV,
      subaccountKeys: { "42": "sub42-key-abcdef0123" },
    },
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...extra,
  });
  closers.push(upstream.close, () => client.close());
  return { upstream, client };
}

describe("key selection", () => {
  it("sends the subaccount key to /acme and the parent key to reporting", async () => {
    const { upstream, client } = await setup([json(200, contract), json(200, { accounts: [] })]);
    await client.call("get_acme_contract", { acme_contract_id: 7 });
    await client.call("get_account_reporting", {});
    expect(upstream.seen[0]?.headers["x-partner-apikey"]).toBe(SUB);
    expect(upstream.seen[0]?.url).toBe("/partner-subscription/api/v1/acme/7");
    expect(upstream.seen[1]?.headers["x-partner-apikey"]).toBe(PARENT);
  });

  it("picks a subaccount key by account_id and sends both headers to the finance link", async () => {
    const { upstream, client } = await setup([json(200, contract), empty(204)]);
    await client.call("get_acme_contract", { acme_contract_id: 7, account_id: 42 });
    await client.call("link_billing_account", {});
    expect(upstream.seen[0]?.headers["x-partner-apikey"]).toBe("sub42-key-abcdef0123");
    expect(upstream.seen[1]?.headers["x-partner-apikey"]).toBe(PARENT);
    expect(upstream.seen[1]?.headers["x-dc-devkey"]).toBe(DEV);
  });

  it("sends only X-DC-DEVKEY to CertCentral, under /services/v2", async () => {
    const { upstream, client } = await setup([json(200, {})]);
    await client.call("get_subaccount_cost_report", { subaccount_id: 9 });
    expect(upstream.seen[0]?.url).toBe("/services/v2/account/subaccount/9/report");
    expect(upstream.seen[0]?.headers["x-dc-devkey"]).toBe(DEV);
    expect(upstream.seen[0]?.headers["x-partner-apikey"]).toBeUndefined();
  });

  it("fails before any request when the needed key is not configured, saying which to set", async () => {
    const upstream = await fakeUpstream([json(200, {})]);
    const client = new DigiCertClient({ baseUrl: upstream.url, credentials: { parentKey: PARENT } });
    closers.push(upstream.close, () => client.close());
    const err = await failure(client.call("get_acme_contract", { acme_contract_id: 1 }));
    expect(err.kind).toBe("config");
    expect(err.message).toContain("DIGICERT_SUBACCOUNT_API_KEY");
    const other = await failure(client.call("get_acme_contract", { acme_contract_id: 1, account_id: 5 }));
    expect(other.message).toContain("subaccount 5");
    const dev = await failure(client.call("get_subaccount_cost_report", { subaccount_id: 1 }));
    expect(dev.message).toContain("DIGICERT_DEVKEY");
    expect(upstream.seen).toHaveLength(0);
  });
});

describe("input validation", () => {
  it("rejects bad input with the field and rule, sending nothing", async () => {
    const { upstream, client } = await setup([empty(204)]);
    const err = await failure(
      client.call("add_sans", { acme_contract_id: 7, sans: ["ok.example.com", "bad host"] }),
    );
    expect(err.kind).toBe("validation");
    expect(err.message).toContain("sans.1");
    const unknown = await failure(
      client.call("add_sans", { acme_contract_id: 7, sans: ["a.example.com"], extra: 1 }),
    );
    expect(unknown.message).toMatch(/extra/);
    const traversal = await failure(
      client.call("get_acme_contract", { acme_contract_id: "../account/reporting" }),
    );
    expect(traversal.message).toContain("acme_contract_id");
    expect(upstream.seen).toHaveLength(0);
  });

  it("sends normalised SANs in the DELETE body", async () => {
    const { upstream, client } = await setup([empty(204)]);
    await client.call("remove_sans", { acme_contract_id: 7, sans: ["WWW.Example.com", "www.example.com."] });
    expect(upstream.seen[0]?.method).toBe("DELETE");
    expect(JSON.parse(upstream.seen[0]?.body ?? "")).toEqual({ sans: ["www.example.com"] });
  });
});

describe("404 hints", () => {
  it("says the id may be wrong when DigiCert itself answers 404", async () => {
    const { client } = await setup([json(404, { errors: [{ code: "not_found", message: "Not found" }] })]);
    const err = await failure(client.call("get_acme_contract", { acme_contract_id: 7 }));
    expect(err.hint).toContain("check the id");
    // the Partner API's error shape is undocumented: any JSON error reads as an API's answer
    const { client: other } = await setup([json(404, { message: "URL query parameter not found" })]);
    const plain = await failure(other.call("get_acme_contract", { acme_contract_id: 7 }));
    expect(plain.hint).toContain("check the id");
  });

  it("points at the path or DIGICERT_BASE_URL when the 404 is not DigiCert's error envelope", async () => {
    const { client } = await setup([
      (_req, res) => {
        res.writeHead(404, { "content-type": "text/html" });
        res.end("<html><body>Not Found</body></html>");
      },
    ]);
    const err = await failure(client.call("get_acme_contract", { acme_contract_id: 7 }));
    expect(err.hint).toContain("DIGICERT_BASE_URL");
    expect(err.hint).not.toContain("check the id");
  });
});

describe("retries", () => {
  it("retries a GET through 503, 502 and a dropped connection", async () => {
    const { upstream, client } = await setup([json(503, {}), json(502, {}), drop, json(200, contract)]);
    const result = await client.call("get_acme_contract", { acme_contract_id: 7 });
    expect(result.attempts).toBe(4);
    expect(upstream.seen).toHaveLength(4);
  });

  it("honours Retry-After on 429", async () => {
    const { upstream, client } = await setup([json(429, {}, { "retry-after": "1" }), json(200, contract)]);
    const started = Date.now();
    await client.call("get_acme_contract", { acme_contract_id: 7 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(upstream.seen).toHaveLength(2);
  });

  it("does not wait for a Retry-After beyond its budget", async () => {
    const { upstream, client } = await setup([json(429, {}, { "retry-after": "3600" }), json(200, contract)]);
    const err = await failure(client.call("get_acme_contract", { acme_contract_id: 7 }));
    expect(err.status).toBe(429);
    expect(err.hint).toContain("3600");
    expect(upstream.seen).toHaveLength(1);
  });

  // Without reading Retry-After a 503 is retried after a backoff of at most maxDelayMs (5 ms here): a single
  // request seen shows the header was read and judged, without measuring time.
  it("reads Retry-After on 503 too, and does not wait for one beyond its budget", async () => {
    const { upstream, client } = await setup([json(503, {}, { "retry-after": "3600" }), json(200, contract)]);
    const err = await failure(client.call("get_acme_contract", { acme_contract_id: 7 }));
    expect(err.status).toBe(503);
    expect(upstream.seen).toHaveLength(1);
  });

  it("retries a 503 after a Retry-After within budget and deadline", async () => {
    const { upstream, client } = await setup([json(503, {}, { "retry-after": "0" }), json(200, contract)]);
    const result = await client.call("get_acme_contract", { acme_contract_id: 7 });
    expect(result.attempts).toBe(2);
    expect(upstream.seen).toHaveLength(2);
  });

  it("does not wait for a Retry-After that ends past the call's deadline", async () => {
    const { upstream, client } = await setup([json(503, {}, { "retry-after": "2" }), json(200, contract)], {
      timeouts: { totalMs: 1_000 },
    });
    const err = await failure(client.call("get_acme_contract", { acme_contract_id: 7 }));
    expect(err.kind).toBe("http");
    expect(err.status).toBe(503);
    expect(upstream.seen).toHaveLength(1);
  });

  it("gives up after the retry budget with a clear error", async () => {
    const { upstream, client } = await setup([
      json(503, { errors: [{ code: "unavailable", message: "down" }] }),
    ]);
    const err = await failure(client.call("get_acme_contract", { acme_contract_id: 7 }));
    expect(err.status).toBe(503);
    expect(err.attempts).toBe(4);
    expect(err.message).toContain("down");
    expect(upstream.seen).toHaveLength(4);
  });

  it("never repeats a create that got a 503, and says the outcome is unknown", async () => {
    const { upstream, client } = await setup([json(503, {}), json(201, {})]);
    const err = await failure(
      client.call("create_acme_contract", { product_name_id: "ssl_dv_rapidssl", sans: ["example.com"] }),
    );
    expect(upstream.seen).toHaveLength(1);
    expect(err.outcomeUnknown).toBe(true);
    expect(err.message).toMatch(/may or may not/);
  });

  it("never repeats a create whose connection dropped", async () => {
    const { upstream, client } = await setup([drop, json(201, {})]);
    const err = await failure(client.call("regenerate_acme_credentials", { acme_contract_id: 7 }));
    expect(err.kind).toBe("network");
    expect(err.outcomeUnknown).toBe(true);
    expect(upstream.seen).toHaveLength(1);
  });

  it("does not retry a 400", async () => {
    const { upstream, client } = await setup([
      json(400, { errors: [{ code: "invalid_request", message: "no" }] }),
    ]);
    const err = await failure(client.call("get_acme_contract", { acme_contract_id: 7 }));
    expect(err.code).toBe("invalid_request");
    expect(upstream.seen).toHaveLength(1);
  });
});

describe("timeouts and cancellation", () => {
  it("times out a hanging call", async () => {
    const { client } = await setup([hang], { timeouts: { totalMs: 300 }, retry: { retries: 0 } });
    const err = await failure(client.call("get_acme_contract", { acme_contract_id: 7 }));
    expect(err.kind).toBe("timeout");
  });

  it("aborts when the caller cancels", async () => {
    const { upstream, client } = await setup([hang]);
    const controller = new AbortController();
    const pending = client.call(
      "cancel_acme_contract",
      { acme_contract_id: 7 },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 100);
    const err = await failure(pending);
    expect(err.kind).toBe("aborted");
    expect(err.outcomeUnknown).toBe(true);
    expect(upstream.seen).toHaveLength(1);
  });
});

describe("errors and secrets", () => {
  it("maps 403 to a hint about the key scope", async () => {
    const { client } = await setup([
      json(403, { errors: [{ code: "access_denied", message: "Forbidden" }] }),
    ]);
    const err = await failure(client.call("get_account_reporting", {}));
    expect(err.status).toBe(403);
    expect(err.hint).toContain("parent-account key");
  });

  it("reads other error body shapes", async () => {
    const { client } = await setup([
      json(400, { error: { code: "x", message: "shape two" } }),
      (_r, res) => res.writeHead(400).end("plain text"),
    ]);
    expect((await failure(client.call("get_account_reporting", {}))).apiMessage).toBe("shape two");
    expect((await failure(client.call("get_account_reporting", {}))).apiMessage).toBe("plain text");
  });

  it("scrubs a key that the upstream echoes back, in errors and logs", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const logger = createLogger({ level: "trace", secrets: [PARENT, SUB, DEV], destination: sink });
    const { client } = await setup(
      [json(401, { errors: [{ code: "unauthorized", message: `bad key ${PARENT}` }] })],
      {
        logger,
      },
    );
    const err = await failure(client.call("get_account_reporting", {}));
    logger.error({ err: err.message, headers: { "x-partner-apikey": PARENT } }, `failed with ${SUB}`);
    await new Promise((r) => setTimeout(r, 50));
    const everything = `${err.message} ${JSON.stringify(err.toJSON())} ${lines.join("")}`;
    expect(everything).toContain("REDACTED");
    for (const secret of [PARENT, SUB, DEV]) expect(everything).not.toContain(secret);
    expect(lines.length).toBeGreaterThan(0);
  });

  it("returns an answer of an unexpected shape as sent, naming the paths that differ (never values)", async () => {
    const body = { acme_contract_id: "not a number", renamed_sans: ["a.example"] };
    const { client } = await setup([json(200, body)]);
    const result = await client.call("get_acme_contract", { acme_contract_id: 7 });
    expect(result.status).toBe(200);
    expect(result.data).toEqual(body);
    expect(result.drift?.paths).toEqual(
      expect.arrayContaining([
        "acme_contract_id: not a number",
        "sans: missing",
        "renamed_sans: not expected",
      ]),
    );
    expect(JSON.stringify(result.drift)).not.toContain("a.example");
  });

  it("callStrict refuses an answer that lacks the documented form, with a clear error", async () => {
    const { client } = await setup([json(200, { accounts: "none" })]);
    const err = await failure(client.callStrict("get_account_reporting", {}));
    expect(err.kind).toBe("response");
    expect(err.message).toContain("accounts: not an array");
  });
});
