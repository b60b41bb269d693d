import { describe, expect, it } from "vitest";
import { onceShown, pickPaths, secretPaths } from "../../src/mcp/secrets.js";
import { getOperation } from "../../src/operations/index.js";

// Once-shown secrets are found wherever DigiCert puts them: by field name or by form, string or nested, one or
// a list; values that only describe a key (last4, hint, ids, dates, names, URLs, domains) are not taken for one.

const HMAC = "_bb97A55ngL-WJn5Td9ahuQcsDakvU_cWA26ahckct_bErshC1VJZiybSuu";
const KEY = "sbx_iNY52roO3NFh0uzX0mefF8KpJ30eAUCUB6QlAyUv";

describe("secretPaths", () => {
  it("finds secrets by name and by form, at any depth and in lists", () => {
    const data = {
      id: 6001,
      name: "Production key",
      api_key_last4: "AyUv",
      kid_hint: "ab12",
      created_at: "2026-12-02T07:54:00Z",
      acme_directory_url: "https://acme.example/v2/acme/directory/1Enlbtk8A4hKlpOID8Vuk",
      sans: ["www.example-with-a-long-name.com"],
      serial_number: "0a1b2c3d4e5f6a7b8c9d0e1f",
      credentials: { partner_api_key: { secret: "short1" } },
      eab_set: [{ key_id: 4821, hmac: HMAC }],
      value: KEY,
    };
    expect(secretPaths(data).sort()).toEqual([
      "credentials.partner_api_key.secret",
      "eab_set[0].hmac",
      "value",
    ]);
  });

  it("takes a whole string answer of secret form for a secret", () => {
    expect(secretPaths(KEY)).toEqual(["(answer)"]);
    expect(secretPaths("created")).toEqual([]);
  });

  it("pickPaths keeps only the values at the given paths", () => {
    expect(pickPaths({ a: { b: [{ c: "x" }] }, d: 1 }, ["a.b[0].c"])).toEqual({ "a.b[0].c": "x" });
  });
});

describe("onceShown", () => {
  const create = getOperation("create_api_key");

  it("notes where the secret is, for operations that carry one", () => {
    expect(onceShown(create, { key: KEY }).note).toMatch(/^Shown once: the new API key \(in key\)/);
    expect(onceShown(getOperation("list_api_keys"), { key: KEY })).toEqual({});
  });

  it("says plainly when the answer holds nothing like it, and that the call must not be repeated", () => {
    const missing = onceShown(create, { id: 1, name: "k", status: "active" }).missing;
    expect(missing).toMatch(/cannot be shown here.*Do not repeat this call/);
    expect(onceShown(create, undefined).missing).toBeDefined();
  });

  it("keeps a text answer, which may hold the secret", () => {
    expect(onceShown(create, { text: `key: ${KEY}` }).note).toMatch(/answer was not JSON/);
  });
});
