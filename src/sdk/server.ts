/**
 * The MCP SDK (v1 line) as this project uses it: the server, its registration helpers, protocol types and
 * validators. src/sdk/ is the only folder that imports the SDK (Biome refuses it elsewhere), so the move to the
 * SDK's next major line (`@modelcontextprotocol/server` / `client` 2.x) starts as a change of these files;
 * docs/architecture.md lists what else that move changes. Transports and the client are separate files so that
 * stdio start-up never loads the HTTP transport.
 */
export { completable } from "@modelcontextprotocol/sdk/server/completable.js";
export { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
export type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
export type { Variables } from "@modelcontextprotocol/sdk/shared/uriTemplate.js";
export {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  type GetPromptResult,
  isInitializeRequest,
  type JSONRPCMessage,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  type ListToolsResult,
  McpError,
  ReadResourceRequestSchema,
  type ReadResourceResult,
  type ResourceLink,
  type ServerNotification,
  type ServerRequest,
  SubscribeRequestSchema,
  type ToolAnnotations,
  UnsubscribeRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
export type {
  JsonSchemaType,
  JsonSchemaValidator,
  jsonSchemaValidator,
} from "@modelcontextprotocol/sdk/validation";
export { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
