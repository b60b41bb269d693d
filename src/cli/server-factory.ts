import type { AuditLog } from "../audit/log.js";
import { DEFAULT_PROFILE } from "../config/index.js";
import type { Logger } from "../logging.js";
import {
  type ConfirmationOptions,
  type ConfirmationTokens,
  createMcpServer,
  RepeatGuard,
  type ToolSelection,
} from "../mcp/index.js";
import { registerReporting } from "../mcp/reporting/index.js";
import { registerSetupCheck } from "../mcp/setup-tool.js";
import { observeMcpServer, type ServerObserver } from "../mcp/telemetry.js";
import type { McpServer } from "../sdk/server.js";
import type { Principal, ServerContext } from "../transports/types.js";
import type { ProfileRuntime } from "./profiles.js";

export interface ServerFactoryOptions {
  profiles: ReadonlyMap<string, ProfileRuntime>;
  logger: Logger;
  version: string;
  confirmation: ConfirmationOptions;
  /** one registry for the process (see createMcpServer) */
  confirmationTokens: ConfirmationTokens | undefined;
  audit: AuditLog | undefined;
  transport: "stdio" | "http";
  /** how tool results show the data in their text (default readable) */
  resultText?: "readable" | "json";
}

/**
 * What confirmation tokens are bound to besides the session: the token's name, or for an OAuth caller the
 * issuer, subject and client, so a preview made by one person (or one of their clients) works for no other.
 */
function confirmationBinding(principal: Principal): string {
  const id = principal.identity;
  return id ? JSON.stringify([principal.name, id.issuer, id.subject, id.clientId ?? null]) : principal.name;
}

export type ServerFactory = (selection: ToolSelection, context?: ServerContext) => McpServer;

/**
 * Builds the server for one connection (stdio), session or stateless request: the operator's selection,
 * narrowed by the HTTP token's grant, on the client of the token's key profile, reporting each call to the
 * audit log under the token's name.
 */
export function serverFactory(options: ServerFactoryOptions): ServerFactory {
  const { logger, audit } = options;
  // one for the process: a repeated create is caught in whichever session or stateless request it arrives
  const repeatGuard = new RepeatGuard();
  return (selection, context) => {
    const principal = context?.principal;
    const grant = principal?.grant;
    const profile = options.profiles.get(grant?.profile ?? DEFAULT_PROFILE);
    // loadConfig refuses a token whose profile is not configured; this guards the wiring
    if (!profile) throw new Error(`no key profile ${JSON.stringify(grant?.profile)}`);
    const caller = {
      token: principal?.name ?? null,
      profile: profile.name,
      transport: options.transport,
      ...(principal?.identity && {
        subject: principal.identity.subject,
        clientId: principal.identity.clientId ?? null,
      }),
    };
    // OpenTelemetry (a no-op until the operator registers an SDK) sees every request; told DigiCert's answer here
    let observer: ServerObserver | undefined;
    const server = createMcpServer({
      client: profile.client,
      logger,
      version: options.version,
      readOnly: selection.readOnly,
      toolsets: selection.toolsets,
      tools: selection.tools,
      excludeTools: selection.excludeTools,
      restrict: grant && {
        readOnly: grant.readOnly,
        toolsets: grant.toolsets,
        tools: grant.tools,
        excludeTools: grant.excludeTools,
      },
      confirmation: options.confirmation,
      confirmationTokens: options.confirmationTokens,
      resultText: options.resultText,
      caller: principal && confirmationBinding(principal),
      repeatGuard,
      onToolCall: (call) => {
        observer?.onToolCall(call);
        audit?.record(call, caller);
      },
      onToolRefused: audit
        ? (tool) =>
            audit.refused({
              reason: "tool_not_offered",
              token: caller.token,
              transport: caller.transport,
              remote: null,
              tool,
              status: null,
            })
        : undefined,
      extend: (server, extension) => {
        registerReporting(server, {
          client: profile.client,
          logger,
          store: profile.store,
          hasDevkey: Boolean(profile.credentials.devkey),
          access: extension.access,
          // stateless HTTP has no stream to deliver resource updates on
          subscriptions: !context?.stateless,
        });
        registerSetupCheck(server, {
          profile: profile.name,
          credentials: profile.credentials,
          baseUrl: profile.client.baseUrl,
          version: options.version,
          isToolSelected: extension.isToolSelected,
          scrub: (value) => profile.client.scrub(value),
          logger,
        });
      },
    });
    observer = observeMcpServer(server);
    return server;
  };
}
