import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ListToolsRequestSchema, type ListToolsResult } from "@modelcontextprotocol/sdk/types.js";

type RawHandler = (request: unknown, extra: unknown) => Promise<unknown>;

/**
 * The SDK stamps `"$schema": "http://json-schema.org/draft-07/schema#"` on every input and output schema of
 * tools/list: ~30 tokens per tool that every agent pays for and no client needs (MCP fixes the dialect). It
 * offers no option to leave it out, so the SDK's own handler is wrapped and the key removed from its answer.
 * If a future SDK moves its handler, the registered one stays as it is (and the tools/list budget test says so).
 */
export function trimToolsList(server: McpServer): void {
  const handlers = (server.server as unknown as { _requestHandlers?: Map<string, RawHandler> })
    ._requestHandlers;
  const original = handlers?.get("tools/list");
  if (!original) return;
  server.server.setRequestHandler(ListToolsRequestSchema, async (request, extra) => {
    const result = (await original(request, extra)) as ListToolsResult;
    for (const tool of result.tools) {
      delete (tool.inputSchema as Record<string, unknown>).$schema;
      if (tool.outputSchema) delete (tool.outputSchema as Record<string, unknown>).$schema;
    }
    return result;
  });
}
