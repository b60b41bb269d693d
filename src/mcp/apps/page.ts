import { readFile } from "node:fs/promises";

/**
 * The contracts view's HTML, built by scripts/build-app.mjs from apps/contracts-view/ into
 * dist/src/mcp/apps/contracts-view.html. The CLI bundle (scripts/bundle-cli.mjs) has no dist/src next to it, so
 * it replaces this constant with the page itself; undeclared, hence `typeof`, everywhere else.
 */
declare const __DIGICERT_MCP_CONTRACTS_VIEW_HTML__: string | undefined;

export const PAGE_FILE = "contracts-view.html";

let cached: Promise<string> | undefined;

/**
 * Next to this module in dist/src. Run from the TypeScript sources (the tests), this module is src/mcp/apps/page.ts
 * and the page is in the same checkout's build output, which `npm test` builds first.
 */
function pageUrl(): URL {
  const fromSource = import.meta.url.endsWith(".ts");
  return new URL(fromSource ? `../../../dist/src/mcp/apps/${PAGE_FILE}` : `./${PAGE_FILE}`, import.meta.url);
}

/** Read once per process, on the first resources/read of the view (never at start-up). */
export function contractsViewHtml(): Promise<string> {
  if (typeof __DIGICERT_MCP_CONTRACTS_VIEW_HTML__ === "string") {
    return Promise.resolve(__DIGICERT_MCP_CONTRACTS_VIEW_HTML__);
  }
  cached ??= readFile(pageUrl(), "utf8").catch((err: unknown) => {
    cached = undefined;
    throw new Error(
      `the contracts view was not built (${PAGE_FILE} next to the server's code): run \`npm run build\`; ${
        err instanceof Error ? err.message : String(err)
      }`,
    );
  });
  return cached;
}
