import type { DigiCertClient } from "../client/client.js";
import type { Logger } from "../logging.js";

import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from "../sdk/server.js";
import { AjvJsonSchemaValidator, McpServer } from "../sdk/server.js";
import { AccessPolicy } from "./access.js";
import { ConfirmationGate } from "./confirmation/gate.js";
import { ConfirmationTokens } from "./confirmation/token.js";
import { SERVER_INSTRUCTIONS } from "./instructions.js";
import { reportRefusedTools, type ToolRefusedHook } from "./refused-tools.js";
import type { ResultText } from "./render.js";
import { RepeatGuard } from "./repeat-guard.js";
import type { ToolSelection } from "./select.js";
import type { ToolCallHook } from "./tool-call.js";
import { registerOperationTools } from "./tools.js";
import { trimToolsList } from "./trim-tools-list.js";

export const DEFAULT_CONFIRMATION_TTL_MS = 5 * 60_000;

export interface ConfirmationOptions {
  /** "disabled" is an operator decision (automation); no tool argument can turn confirmation off */
  mode: "required" | "disabled";
  /** HMAC key for confirmation tokens, at least 32 bytes; random per process is fine */
  secret: string;
  /** token lifetime; default 5 minutes */
  ttlMs?: number;
  /**
   * "session" (default): a token works only in the session that got the preview, for the same caller.
   * "caller": for the same caller in any session (clients that open a session per call, e.g. the Inspector CLI);
   * needs a caller, and a `confirmationTokens` registry shared by the sessions so single use still holds.
   */
  binding?: "session" | "caller";
}

/** What `extend` gets besides the server, so added tools follow the same selection and use the same client. */
export interface ExtensionContext {
  client: DigiCertClient;
  logger: Logger;
  readOnly: boolean;
  /** what this caller may use: added tools, resources and prompts ask it as the catalog tools did */
  access: AccessPolicy;
  /** whether a tool with this name/toolset/effect is on under the configured selection (access.offersTool) */
  isToolSelected(tool: { name: string; toolset?: string; effect: "read" | "write" | "destructive" }): boolean;
}

export interface McpServerOptions extends ToolSelection {
  client: DigiCertClient;
  logger: Logger;
  version: string;
  confirmation: ConfirmationOptions;
  /** clock for token expiry (tests) */
  now?: () => number;
  /**
   * One token registry shared by every server of the process (each HTTP session and, in stateless mode, each
   * request gets its own McpServer): single use is enforced by its memory of used tokens, so it must outlive
   * any one server. Created per server when omitted (stdio, tests).
   */
  confirmationTokens?: ConfirmationTokens;
  /**
   * A second selection every tool must also pass (e.g. an HTTP token's grant), so a caller can narrow the
   * operator's selection without merging the two. Its `readOnly` adds to the operator's.
   */
  restrict?: ToolSelection;
  /** the caller's name (HTTP bearer token name): confirmation tokens are bound to it as well as the session */
  caller?: string;
  /**
   * Holds back identical repeats of creates for a few minutes; share one across the servers of a process (HTTP
   * sessions, stateless requests) so a repeat is caught whichever server gets it. Default: one per server.
   */
  repeatGuard?: RepeatGuard;
  /** told once per catalog tool call, after it ended, with safe facts only (see ToolCallRecord): audit log */
  onToolCall?: ToolCallHook;
  /** told when the caller names a catalog tool this server does not offer it (audit log) */
  onToolRefused?: ToolRefusedHook;
  /** how results show DigiCert's data in their text: readable (default) or compact JSON (see render.ts) */
  resultText?: ResultText;
  /** how often a tool call still waiting for DigiCert sends notifications/progress (default 1 s; tests) */
  progressIntervalMs?: number;
  /** registers further tools/resources (e.g. reporting) on the same server */
  extend?: (server: McpServer, context: ExtensionContext) => void;
}

export const SERVER_NAME = "digicert-partner-mcp";

/**
 * The SDK's default validator of elicitation answers (Ajv), created on its first use instead of with every
 * server: building an Ajv instance with its formats was a fifth of what creating a server cost at start-up
 * (and again for each HTTP session), and only a confirmation by elicitation ever uses it.
 */
class LazyAjvValidator implements jsonSchemaValidator {
  private ajv: AjvJsonSchemaValidator | undefined;

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    this.ajv ??= new AjvJsonSchemaValidator();
    return this.ajv.getValidator<T>(schema);
  }
}

/** Builds the MCP server (no transport): one tool per selected catalog operation, plus `extend`. */
export function createMcpServer(options: McpServerOptions): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, title: "DigiCert Partner Subscriptions", version: options.version },
    {
      capabilities: { tools: {}, logging: {} },
      instructions: SERVER_INSTRUCTIONS,
      jsonSchemaValidator: new LazyAjvValidator(),
    },
  );
  const tokens =
    options.confirmation.mode === "disabled"
      ? undefined
      : (options.confirmationTokens ??
        new ConfirmationTokens({
          secret: options.confirmation.secret,
          ttlMs: options.confirmation.ttlMs ?? DEFAULT_CONFIRMATION_TTL_MS,
          now: options.now ?? Date.now,
        }));
  const gate = new ConfirmationGate({
    server,
    client: options.client,
    tokens,
    caller: options.caller,
    sessionBound: options.confirmation.binding !== "caller" || options.caller === undefined,
  });
  const access = new AccessPolicy([options, options.restrict], options.caller);
  const operations = access.operations();
  registerOperationTools(server, operations, {
    client: options.client,
    logger: options.logger,
    gate,
    onToolCall: options.onToolCall,
    repeats: options.repeatGuard ?? new RepeatGuard(options.now),
    caller: options.caller,
    progressIntervalMs: options.progressIntervalMs,
    resultText: options.resultText,
  });
  options.extend?.(server, {
    client: options.client,
    logger: options.logger,
    readOnly: access.readOnly,
    access,
    isToolSelected: (tool) => access.offersTool(tool),
  });
  trimToolsList(server);
  if (options.onToolRefused) reportRefusedTools(server, options.onToolRefused);
  options.logger.debug(
    {
      tools: operations.length,
      readOnly: access.readOnly,
      confirmation: options.confirmation.mode,
    },
    "mcp server created",
  );
  return server;
}
