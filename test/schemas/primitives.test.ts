import { describe, expect, it } from "vitest";
import {
  dnsName,
  email,
  emailList,
  normaliseDnsName,
  parseTimestamp,
  sanList,
  timestamp,
} from "../../src/schemas/primitives.js";

describe("SANs (DNS names)", () => {
  it.each([
    ["example.com", "example.com"],
    ["WWW.Example.COM", "www.example.com"],
    ["example.com.", "example.com"],
    ["*.example.com", "*.example.com"],
    ["bücher.example", "xn--bcher-kva.example"],
    ["*.Bücher.de", "*.xn--bcher-kva.de"],
    ["a-b.c-d.example", "a-b.c-d.example"],
  ])("accepts %s as %s", (input, expected) => {
    expect(dnsName.parse(input)).toBe(expected);
  });

  it.each([
    ["", "empty"],
    ["localhost", "two labels"],
    ["*.*.example.com", "wildcard"],
    ["www.*.example.com", "wildcard"],
    ["a*.example.com", "wildcard"],
    ["*example.com", "wildcard"],
    ["-a.example.com", "invalid label"],
    ["a-.example.com", "invalid label"],
    ["a_b.example.com", "only letters"],
    ["exa mple.com", "only letters"],
    ["../etc/passwd", ""],
    ["example.com/evil", "only letters"],
    ["192.168.0.1", "IP"],
    [`${"a".repeat(64)}.com`, "invalid label"],
    [`${"abcdefghi.".repeat(26)}com`, "253"],
    ["exa\u0000mple.com", ""],
  ])("rejects %j (%s)", (input, why) => {
    const result = normaliseDnsName(input);
    expect(result.ok).toBe(false);
    if (!result.ok && why) expect(result.reason).toMatch(new RegExp(why, "i"));
  });

  it("de-duplicates a SAN list after normalisation and caps it at 250", () => {
    expect(sanList.parse(["Example.com", "example.com.", "www.example.com"])).toEqual([
      "example.com",
      "www.example.com",
    ]);
    expect(sanList.safeParse([]).success).toBe(false);
    const many = Array.from({ length: 251 }, (_, i) => `h${i}.example.com`);
    expect(sanList.safeParse(many).success).toBe(false);
    expect(sanList.safeParse(many.slice(0, 250)).success).toBe(true);
  });

  it("names the offending SAN in the error", () => {
    const result = sanList.safeParse(["ok.example.com", "bad..example.com"]);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain("bad..example.com");
    expect(result.error?.issues[0]?.path).toEqual([1]);
  });
});

describe("emails", () => {
  it("accepts and trims valid addresses, rejects others", () => {
    expect(email.parse(" security@example.com ")).toBe("security@example.com");
    for (const bad of ["nope", "a@", "@b.com", "a b@c.com", "a@b", `${"x".repeat(250)}@example.com`]) {
      expect(email.safeParse(bad).success, bad).toBe(false);
    }
  });
  it("de-duplicates case-insensitively", () => {
    expect(emailList.parse(["A@example.com", "a@example.com", "b@example.com"])).toEqual([
      "A@example.com",
      "b@example.com",
    ]);
  });
});

describe("timestamps", () => {
  it("accepts ISO 8601 and the credential listing quirk", () => {
    for (const ok of [
      "2026-02-02T09:45:18Z",
      "2026-06-01 14:00:00",
      "2026-02-02",
      "2026-02-02T09:45:18.123+02:00",
    ]) {
      expect(timestamp.safeParse(ok).success, ok).toBe(true);
    }
    expect(timestamp.safeParse("yesterday").success).toBe(false);
  });
  it("parses zone-less values as UTC", () => {
    expect(parseTimestamp("2026-06-01 14:00:00")).toBe(Date.UTC(2026, 5, 1, 14));
    expect(parseTimestamp("2026-06-01T14:00:00Z")).toBe(Date.UTC(2026, 5, 1, 14));
  });
});

describe("telephone numbers", () => {
  it("accepts common written forms and rejects text", async () => {
    const { telephone } = await import("../../src/schemas/primitives.js");
    for (const ok of ["+1-555-0100", "(555) 010-0199", "+44 20 7946 0958", "555.010.0199"]) {
      expect(telephone.safeParse(ok).success, ok).toBe(true);
    }
    for (const bad of ["call me", "", "+", "12", "555-0100\nBcc: x@y.z"]) {
      expect(telephone.safeParse(bad).success, bad).toBe(false);
    }
  });
});
