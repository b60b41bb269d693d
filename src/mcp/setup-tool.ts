import type { Credentials } from "../client/credentials.js";
import type { Logger } from "../logging.js";
import type { McpServer } from "../sdk/server.js";
import { defineTool, registerComputedTools } from "./define-tool.js";
import type { ExtensionContext } from "./server.js";

export interface SetupCheckDeps {
  /** the key profile of this server's client: only its keys are checked */
  profile: string;
  credentials: Credentials;
  baseUrl: string;
  version: string;
  isToolSelected: ExtensionContext["isToolSelected"];
  /** the client's scrub, as for every other tool result */
  scrub: <T>(value: T) => T;
  logger: Logger;
}

/**
 * `doctor` as a read-only tool, for users who never open a terminal: the same GET-only checks of this server's
 * key profile, the readable report as text and the report as data. Offered only where the selection (toolset
 * `account`, read-only policy, an HTTP token's grant) allows a read tool of that toolset.
 */
export const checkSetup = defineTool({
  name: "check_setup",
  title: "Check setup",
  description: "Read-only check of the DigiCert setup: each key's account and kind, and the answers' shapes.",
  toolset: "account",
  effect: "read",
  idempotent: true,
  input: {},
  async run(_args, deps: SetupCheckDeps) {
    // loaded on first use: the doctor pulls in undici, which a server's start-up does not need
    const { renderReport, runDoctor } = await import("../doctor/index.js");
    const report = await runDoctor({
      baseUrl: deps.baseUrl,
      profiles: [{ name: deps.profile, credentials: deps.credentials }],
      version: deps.version,
    });
    return {
      content: [{ type: "text", text: renderReport(report) }],
      structuredContent: report as unknown as Record<string, unknown>,
    };
  },
});

export function registerSetupCheck(server: McpServer, deps: SetupCheckDeps): void {
  registerComputedTools(server, [checkSetup], deps, {
    offersTool: deps.isToolSelected,
    scrub: deps.scrub,
    logger: deps.logger,
  });
}
