import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, requireBuilt } from "../packaging/helpers.js";

// The contracts view bundles ext-apps, the SDK's protocol code and zod into one page that hosts receive alone:
// their licences ask for the notice in every copy, so the page carries them (scripts/build-app.mjs).
describe("contracts view page", () => {
  it("carries the licence of every package bundled into it, in one comment after the doctype", () => {
    requireBuilt();
    const html = readFileSync(join(ROOT, "dist/src/mcp/apps/contracts-view.html"), "utf8");
    expect(html.startsWith("<!doctype html>\n<!--\nThird-party software bundled into this page:")).toBe(true);
    const comment = html.slice(html.indexOf("<!--") + 4, html.indexOf("-->"));
    for (const pkg of ["@modelcontextprotocol/ext-apps", "@modelcontextprotocol/sdk", "zod"]) {
      const version = JSON.parse(
        readFileSync(join(ROOT, "node_modules", pkg, "package.json"), "utf8"),
      ).version;
      expect(comment, pkg).toContain(`${pkg} ${version} (`);
    }
    expect(comment).toMatch(/Permission is hereby granted|Apache License/);
    // "--" would end the comment early in some parsers, and the rest of the notice would become page text
    expect(comment).not.toContain("--");
  });
});
