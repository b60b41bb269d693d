import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "../../src/reporting/index.js";
import { contract, report, SEED_REPORT } from "./fixtures.js";

describe("CSV", () => {
  it("renders the seed report, one row per contract, CRLF line ends", () => {
    expect(toCsv(SEED_REPORT)).toBe(
      "account_id,acme_contract_id,product_name_id,sans,created_at,valid_till,date_canceled\r\n" +
        "1234,1,ssl_ev_basic,*.example1.com example1.com,2026-02-02T09:45:18Z,2027-02-02T09:45:18Z,\r\n" +
        "1234,2,ssl_dv_rapidssl,example2.com,2026-02-02T09:45:18Z,2027-02-02T09:45:18Z,\r\n" +
        "5678,3,ssl_basic,api.example.com www.example.com,2026-03-15T14:30:00Z,2027-03-15T14:30:00Z,\r\n",
    );
  });

  it("quotes per RFC 4180", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("line\nbreak")).toBe('"line\nbreak"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(42)).toBe("42");
  });

  it("neutralises formula injection in every text cell", () => {
    for (const bad of ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]) {
      expect(csvCell(bad).replace(/^"/, "").startsWith("'")).toBe(true);
    }
    const hostile = report([
      contract({ acme_contract_id: 9, product_name_id: "=cmd|' /C calc'!A0", sans: ["@evil.example.com"] }),
    ]);
    const row = toCsv(hostile).split("\r\n")[1];
    expect(row).toBe("1,9,'=cmd|' /C calc'!A0,'@evil.example.com,2026-01-01T00:00:00Z,2027-01-01T00:00:00Z,");
  });

  it("writes date_canceled when set", () => {
    const csv = toCsv(report([contract({ acme_contract_id: 5, date_canceled: "2026-02-01T00:00:00Z" })]));
    expect(csv.split("\r\n")[1]?.endsWith(",2026-02-01T00:00:00Z")).toBe(true);
  });
});
