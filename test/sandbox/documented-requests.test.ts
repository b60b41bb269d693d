import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { DEMO, DEMO_KEYS } from "../../sandbox/index.js";
import { P, useSandbox } from "./helpers.js";

// DigiCert's documented request bodies (shared/spec/examples/requests.json), sent raw over HTTP: the sandbox
// accepts each one, whatever the client's schemas say. Its ids are DigiCert's example ids, mapped to demo ids.
const requests: Record<string, unknown> = JSON.parse(
  readFileSync(new URL("../fixtures/documented-requests.json", import.meta.url), "utf8"),
);

const ctx = useSandbox();
const K = DEMO_KEYS;
let contract: number;

beforeEach(async () => {
  ctx.sb.reset();
  // a fresh DV contract of subaccount 1001 stands for DigiCert's example contract 12345
  const created = await ctx.call("POST", `${P}/acme`, {
    key: K.subFull,
    body: { product_name_id: "ssl_dv_rapidssl", sans: ["old.example.com", "www.example.com"] },
  });
  contract = created.json.acme_contract_id;
});

/** method, path and key of each documented request, by its label's operation */
function target(label: string): { method: string; path: string; key: string } {
  const [, method, path] = /\((GET|POST|PUT|PATCH|DELETE) ([^)]+)\)/.exec(label) ?? [];
  const op = label.split(/[ ,]/)[0];
  const key = op === "create_api_key" || op === "create_subaccount" ? K.parent : K.subFull;
  if (!method || !path) {
    // "regenerate_acme_credentials, zero-downtime rotation": same call as the default one
    return { method: "POST", path: `/acme/${contract}/credentials/regenerate`, key };
  }
  const mapped = path
    .replace("/api-key/account/67891", `/api-key/account/${DEMO.subEmpty}`)
    .replace("/api-key/12345", `/api-key/${DEMO.apiKeys.subFull}`)
    .replace("/acme/12345", `/acme/${contract}`);
  // "PUT or PATCH /acme/12345": PUT here; PATCH is the same body
  return { method, path: mapped.replace(/^or PATCH /, ""), key };
}

describe("DigiCert's documented requests, raw, against the sandbox", () => {
  it.each(Object.entries(requests))("%s", async (label, body) => {
    const { method, path, key } = target(label);
    const reply = await ctx.call(method, `${P}${path}`, { key, body });
    expect(reply.status, `${label}: ${reply.text}`).toBeGreaterThanOrEqual(200);
    expect(reply.status, `${label}: ${reply.text}`).toBeLessThan(300);
  });
});
