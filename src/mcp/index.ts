export { annotationsFor } from "./annotations.js";
export type { ConfirmedBy } from "./confirmation/gate.js";
export { ConfirmationTokens } from "./confirmation/token.js";
export { SERVER_INSTRUCTIONS } from "./instructions.js";
export { REPEAT_WINDOW_MS, RepeatGuard } from "./repeat-guard.js";
export {
  isToolSelected,
  selectOperations,
  TOOLSETS,
  type ToolSelection,
  unknownSelectionNames,
} from "./select.js";
export {
  type ConfirmationOptions,
  createMcpServer,
  DEFAULT_CONFIRMATION_TTL_MS,
  type ExtensionContext,
  type McpServerOptions,
  SERVER_NAME,
} from "./server.js";
export { type ToolCallHook, type ToolCallRecord, targetsOf } from "./tool-call.js";
export { toolInputSchema, toolOutputSchema } from "./tool-schemas.js";
