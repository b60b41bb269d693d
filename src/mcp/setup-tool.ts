import { z } from "zod";
import type { Credentials } from "../client/credentials.js";
import type { CallToolResult, McpServer } from "../sdk/server.js";
import { annotationsFor } from "./annotations.js";
import { withJsonSchema } from "./json-schema.js";
import type { ExtensionContext } from "./server.js";

export const CHECK_SETUP = {
  name: "check_setup",
  toolset: "account",
  effect: "read",
} as const satisfies Parameters<ExtensionContext["isToolSelected"]>[0];

export interface SetupCheckDeps {
  /** the key profile of this server's client: only its keys are checked */
  profile: string;
  credentials: Credentials;
  baseUrl: string;
  version: string;
  isToolSelected: ExtensionContext["isToolSelected"];
  /** the client's scrub, as for every other tool result */
  scrub: <T>(value: T) => T;
}

/**
 * `doctor` as a read-only tool, for users who never open a terminal: the same GET-only checks of this server's
 * key profile, the readable report as text and the report as data. Registered only where the selection (toolset
 * `account`, read-only policy, an HTTP token's grant) allows a read tool of that toolset.
 */
export function registerSetupCheck(server: McpServer, deps: SetupCheckDeps): void {
  if (!deps.isToolSelected(CHECK_SETUP)) return;
  server.registerTool(
    CHECK_SETUP.name,
    {
      title: "Check setup",
      description:
        "Read-only check of the DigiCert setup: each key's account and kind, and the answers' shapes.",
      // advertised as the SDK converts it, so tools/list can skip the conversion (trim-tools-list.ts)
      inputSchema: withJsonSchema(z.strictObject({}), {
        type: "object",
        properties: {},
        additionalProperties: false,
      }),
      annotations: annotationsFor({ effect: "read", idempotent: true, title: "Check setup" }),
    },
    async (): Promise<CallToolResult> => {
      try {
        // loaded on first use: the doctor pulls in undici, which a server's start-up does not need
        const { renderReport, runDoctor } = await import("../doctor/index.js");
        const report = await runDoctor({
          baseUrl: deps.baseUrl,
          profiles: [{ name: deps.profile, credentials: deps.credentials }],
          version: deps.version,
        });
        return deps.scrub({
          content: [{ type: "text", text: renderReport(report) }],
          structuredContent: report as unknown as Record<string, unknown>,
        });
      } catch (err) {
        const text = `check_setup failed: ${err instanceof Error ? err.message : String(err)}`;
        return deps.scrub({ content: [{ type: "text", text }], isError: true });
      }
    },
  );
}
