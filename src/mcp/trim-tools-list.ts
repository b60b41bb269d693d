import type { McpServer } from "../sdk/server.js";
import { ListToolsRequestSchema, type ListToolsResult } from "../sdk/server.js";
import { advertisedJsonOf } from "./json-schema.js";

type RawHandler = (request: unknown, extra: unknown) => Promise<unknown>;
type Json = Record<string, unknown>;

/** Argument schemas shorter than this (JSON characters) are cheaper to repeat than to point at. */
const SHARE_FROM_CHARS = 400;

/**
 * Makes tools/list cheaper for every agent without hiding anything:
 * - The SDK stamps `"$schema": "http://json-schema.org/draft-07/schema#"` on every input and output schema: ~30
 *   tokens per tool that no client needs (MCP fixes the dialect), with no option to leave it out.
 * - It also stamps `"execution": {"taskSupport": "forbidden"}` on every tool registered with registerTool: the
 *   spec's default when absent (ToolExecution.taskSupport: "forbidden", "default when absent"), so removing it
 *   tells clients the same. Any other execution setting is kept.
 * - A tool's `title` is stated in its annotations (where the connector directories look for it) and the same
 *   string again at the top level: the top-level copy is removed. Clients read the same name either way (the
 *   spec's display order is title, then annotations.title, then name), and the list stays under its budget.
 * - A large argument schema that an earlier tool of the same list already spells out (the organization object of
 *   create, replace and update) is replaced by a pointer to it. Done here, on the list actually sent, so a pointer
 *   never names a tool the client was not given. The server validates the full schema either way.
 * The SDK's own handler is wrapped; if a future SDK moves it, nothing changes (and the tools/list budget test
 * says so). When every tool carries its advertised JSON Schemas (withJsonSchema: all of ours do), the list is
 * built from them the way the SDK's handler builds it, without running each through zod's JSON Schema
 * conversion (~7 ms of every start-up's first tools/list, and of every HTTP session's).
 */
export function trimToolsList(server: McpServer): void {
  const handlers = (server.server as unknown as { _requestHandlers?: Map<string, RawHandler> })
    ._requestHandlers;
  const original = handlers?.get("tools/list");
  if (!original) return;
  server.server.setRequestHandler(ListToolsRequestSchema, async (request, extra) => {
    const result = listFromAdvertised(server) ?? ((await original(request, extra)) as ListToolsResult);
    const seen = new Map<string, { where: string; required: string }>();
    for (const tool of result.tools) {
      if (isDefaultExecution(tool.execution)) delete tool.execution;
      if (tool.title !== undefined && tool.title === tool.annotations?.title) delete tool.title;
      delete (tool.inputSchema as Json).$schema;
      if (tool.outputSchema) delete (tool.outputSchema as Json).$schema;
      const properties = tool.inputSchema.properties as Json | undefined;
      for (const [name, schema] of Object.entries(properties ?? {})) {
        if (!schema || typeof schema !== "object") continue;
        const { description, required, ...shape } = schema as Json;
        const key = JSON.stringify(shape);
        if (key.length < SHARE_FROM_CHARS) continue;
        const first = seen.get(key);
        if (!first) {
          seen.set(key, { where: `${tool.name}'s ${name}`, required: JSON.stringify(required ?? []) });
          continue;
        }
        const optional =
          JSON.stringify(required ?? []) !== first.required ? "; here every field is optional" : "";
        const pointer = `same fields as ${first.where}${optional}`;
        (properties as Json)[name] = {
          type: shape.type ?? "object",
          description: typeof description === "string" ? `${description}; ${pointer}` : pointer,
        };
      }
    }
    return result;
  });
}

function isDefaultExecution(execution: ListToolsResult["tools"][number]["execution"]): boolean {
  if (!execution) return true;
  const { taskSupport, ...rest } = execution;
  return Object.keys(rest).length === 0 && (taskSupport === undefined || taskSupport === "forbidden");
}

interface RegisteredTool {
  enabled: boolean;
  title?: string;
  description?: string;
  inputSchema?: unknown;
  outputSchema?: unknown;
  annotations?: ListToolsResult["tools"][number]["annotations"];
  execution?: ListToolsResult["tools"][number]["execution"];
  _meta?: ListToolsResult["tools"][number]["_meta"];
}

/** What the SDK's tools/list handler answers, from the schemas' advertised JSON; undefined if one has none. */
function listFromAdvertised(server: McpServer): ListToolsResult | undefined {
  const registered = (server as unknown as { _registeredTools?: Record<string, RegisteredTool> })
    ._registeredTools;
  if (!registered) return undefined;
  const tools: ListToolsResult["tools"] = [];
  for (const [name, tool] of Object.entries(registered)) {
    if (!tool.enabled) continue;
    const inputSchema = advertisedJsonOf(tool.inputSchema);
    if (!inputSchema) return undefined;
    const definition: ListToolsResult["tools"][number] = {
      name,
      title: tool.title,
      description: tool.description,
      inputSchema: inputSchema as ListToolsResult["tools"][number]["inputSchema"],
      annotations: tool.annotations,
      execution: tool.execution,
      _meta: tool._meta,
    };
    if (tool.outputSchema) {
      const outputSchema = advertisedJsonOf(tool.outputSchema);
      if (!outputSchema) return undefined;
      definition.outputSchema = outputSchema as ListToolsResult["tools"][number]["outputSchema"];
    }
    tools.push(definition);
  }
  return { tools };
}
