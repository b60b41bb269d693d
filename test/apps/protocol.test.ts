import {
  RESOURCE_MIME_TYPE as EXT_APPS_MIME_TYPE,
  RESOURCE_URI_META_KEY as EXT_APPS_URI_KEY,
  getToolUiResourceUri,
} from "@modelcontextprotocol/ext-apps/app-bridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../sandbox/index.js";
import { CONTRACTS_VIEW_URI, RESOURCE_MIME_TYPE, RESOURCE_URI_META_KEY } from "../../src/mcp/apps/ui.js";
import { ensureBuilt } from "../cli/child.js";
import { APP_CSP } from "./browser.mjs";
import { type StdioServer, startStdioServer } from "./server.js";

// The contracts view's protocol parts, over stdio against the built server: what a host with the MCP Apps
// extension reads (the tool's _meta, the resource and its MIME type) and what one without it shows (text).

let sandbox: Sandbox;
let server: StdioServer;

beforeAll(async () => {
  await ensureBuilt();
  sandbox = await startSandbox({ generate: { subaccounts: 12, contractsPerSubaccount: 15 } });
  server = await startStdioServer(sandbox);
}, 180_000);

afterAll(async () => {
  await server?.close();
  await sandbox?.close();
});

describe("contracts view over stdio", { timeout: 60_000 }, () => {
  it("spells the extension's constants as @modelcontextprotocol/ext-apps does", () => {
    expect(RESOURCE_MIME_TYPE).toBe(EXT_APPS_MIME_TYPE);
    expect(RESOURCE_URI_META_KEY).toBe(EXT_APPS_URI_KEY);
  });

  it("view_contracts names its ui:// resource in _meta, in both forms hosts read", async () => {
    const { tools } = await server.client.listTools();
    const tool = tools.find((t) => t.name === "view_contracts");
    expect(tool).toBeDefined();
    expect(tool?._meta).toEqual({
      ui: { resourceUri: CONTRACTS_VIEW_URI },
      [EXT_APPS_URI_KEY]: CONTRACTS_VIEW_URI,
    });
    expect(getToolUiResourceUri(tool ?? {})).toBe(CONTRACTS_VIEW_URI);
    expect(CONTRACTS_VIEW_URI).toMatch(/^ui:\/\//);
    expect(tool?.annotations?.readOnlyHint).toBe(true);
  });

  it("serves the view as text/html;profile=mcp-app: one self-contained document, no external origin", async () => {
    const { resources } = await server.client.listResources();
    expect(resources.find((r) => r.uri === CONTRACTS_VIEW_URI)?.mimeType).toBe(EXT_APPS_MIME_TYPE);
    const read = await server.client.readResource({ uri: CONTRACTS_VIEW_URI });
    expect(read.contents).toHaveLength(1);
    const content = read.contents[0] as { uri: string; mimeType?: string; text?: string };
    expect(content.uri).toBe(CONTRACTS_VIEW_URI);
    expect(content.mimeType).toBe(EXT_APPS_MIME_TYPE);
    const html = content.text ?? "";
    expect(html).toMatch(/^<!doctype html>/i);
    // everything inline: no element loads anything (scripts, styles, fonts, images, frames)
    expect(html).not.toMatch(/<(?:script|link|img|iframe|source|video|audio)\b[^>]*\b(?:src|href)\s*=/i);
    expect(html).not.toMatch(/@import|@font-face|url\(\s*["']?(?:https?:)?\/\//i);
    // and declares no CSP exception: the host's default (APP_CSP in the browser test) applies
    expect(read._meta).toBeUndefined();
    expect(APP_CSP).toContain("connect-src 'none'");
  });

  it("returns text and structured content a host without the extension can show", async () => {
    const result = await server.client.callTool({ name: "view_contracts", arguments: {} });
    expect(result.isError).toBeFalsy();
    const structured = result.structuredContent as {
      totals: { contracts: number; subaccounts: number };
      expiring: {
        within_30_days: number;
        within_90_days: number;
        by_week: { from_day: number; to_day: number; contracts: number }[];
      };
      subaccounts: { top: { account_id: number; contracts: number }[]; other: { subaccounts: number } };
    };
    // 12 generated subaccounts × 15 contracts, plus the seed's
    expect(structured.totals.contracts).toBeGreaterThanOrEqual(180);
    expect(structured.expiring.by_week).toHaveLength(13);
    expect(structured.expiring.by_week.reduce((n, b) => n + b.contracts, 0)).toBe(
      structured.expiring.within_90_days,
    );
    expect(structured.subaccounts.top).toHaveLength(10);
    expect(structured.subaccounts.other.subaccounts).toBe(structured.totals.subaccounts - 10);
    const text = (result.content as { type: string; text: string }[])[0]?.text ?? "";
    expect(text).toContain(`${structured.totals.contracts.toLocaleString("en-US")} contracts in`);
    expect(text).toContain(`${structured.expiring.within_30_days.toLocaleString("en-US")} within 30 days`);
    expect(text).toContain("By week: 0–7 d:");
    expect(text).toContain("list_expiring_contracts");
    // a few lines, whatever the size of the report
    expect(text.split("\n").length).toBeLessThanOrEqual(6);
  });

  it("the view is left out with the tool when the selection excludes it", async () => {
    const narrowed = await startStdioServer(sandbox, { DIGICERT_EXCLUDE_TOOLS: "view_contracts" });
    try {
      const { tools } = await narrowed.client.listTools();
      expect(tools.map((t) => t.name)).not.toContain("view_contracts");
      const { resources } = await narrowed.client.listResources();
      expect(resources.map((r) => r.uri)).not.toContain(CONTRACTS_VIEW_URI);
    } finally {
      await narrowed.close();
    }
  });
});
