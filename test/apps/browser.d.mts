import type { BrowserContext } from "playwright-core";

/** Debian's chromium package; .ci/run installs it (no browser is downloaded). */
export const CHROMIUM: string;
export const hasChromium: boolean;
/** What hosts apply to a view that declares no CSP domains: nothing from any origin, no network. */
export const APP_CSP: string;

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}
/** System Chromium with a fresh profile, nothing fetched in the background; bounded start. */
export function launchBrowser(): Promise<Browser>;
/** The test host's script, bundled for the browser from test/apps/host/host.ts. */
export function hostScript(): Promise<string>;

export interface HostServer {
  url: string;
  close(): Promise<void>;
}
/** Loopback server for the host page ("/", "/host.js") and the view ("/app.html", under APP_CSP). */
export function startHostServer(appHtml: string, script: string): Promise<HostServer>;
