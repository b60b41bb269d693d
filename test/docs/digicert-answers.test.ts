import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OPERATIONS } from "../../src/operations/index.js";

// docs/digicert-answers.md says, per operation, what DigiCert documents and what the code relies on: every
// catalog operation has its row, and the four that carry a once-shown secret are named as such.
const doc = readFileSync(new URL("../../docs/digicert-answers.md", import.meta.url), "utf8");

describe("docs/digicert-answers.md", () => {
  it("has a row for every catalog operation", () => {
    for (const op of OPERATIONS) expect(doc, op.name).toMatch(new RegExp(`\\| [^|]*\`${op.name}\``));
  });

  it("says 'secrets searched' for exactly the operations that carry a once-shown secret", () => {
    const rows = doc.split("\n").filter((l) => l.includes("secrets searched"));
    const named = rows.map((l) => /`([a-z_]+)`/.exec(l)?.[1]).sort();
    expect(named).toEqual(
      OPERATIONS.filter((op) => op.shownOnce)
        .map((op) => op.name)
        .sort(),
    );
  });
});
