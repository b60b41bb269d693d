import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { OPERATIONS } from "../../src/operations/index.js";
import { operationsMarkdown } from "../../src/operations/markdown.js";

const readmePath = resolve(import.meta.dirname, "../../README.md");
const START =
  "<!-- tools-table:start (generated from src/operations; see test/docs/readme-tools-table.test.ts) -->";
const END = "<!-- tools-table:end -->";
const normalise = (table: string) =>
  table
    .split("\n")
    .map((line) =>
      line
        .split("|")
        .map((cell) => cell.trim().replace(/^-+$/, "-"))
        .join("|"),
    )
    .join("\n")
    .trim();

describe("README tools table", () => {
  it("lists every catalog operation exactly as the catalog declares it", () => {
    const table = operationsMarkdown();
    for (const op of OPERATIONS) expect(table).toContain(`\`${op.name}\``);
    expect(table).toContain("`DELETE /acme/{acme_contract_id}` | subaccount | destructive | always |");

    const readme = readFileSync(readmePath, "utf8");
    const a = readme.indexOf(START);
    const b = readme.indexOf(END);
    expect(a, "README.md lacks the tools table markers").toBeGreaterThan(-1);
    const current = readme.slice(a + START.length, b).trim();
    // To refresh after changing the catalog: UPDATE_README=1 npx vitest run test/docs/readme-tools-table.test.ts
    if (process.env.UPDATE_README === "1" && normalise(current) !== normalise(table)) {
      writeFileSync(readmePath, `${readme.slice(0, a + START.length)}\n${table}\n${readme.slice(b)}`);
      return;
    }
    expect(normalise(current)).toBe(normalise(table));
  });
});
