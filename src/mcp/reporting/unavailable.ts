import {
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  McpError,
  type McpServer,
  ReadResourceRequestSchema,
  type ReadResourceResult,
} from "../../sdk/server.js";
import type { AccessPolicy, ToolFacts } from "../access.js";

type RawHandler = (request: unknown, extra: unknown) => Promise<unknown>;

/** Resources this server has but does not offer this caller: which URIs, and the tool they come with. */
export interface UnavailableResources {
  matches(uri: string): boolean;
  owner: ToolFacts;
}

/**
 * A caller whose access leaves out a resource's tool gets a clear "not available to this token" instead of the
 * SDK's "not found" when it reads the resource anyway (a URI from another session, the docs, a prompt). The
 * resources themselves are simply not registered, so they are neither listed nor completed and nothing is
 * fetched; this only words the refusal. It wraps the SDK's resources/read handler (as trim-tools-list.ts wraps
 * tools/list); when no resource at all is offered, it serves empty lists so the refusal can still be said.
 * Must run after every resource is registered, before connect().
 */
export function refuseUnavailableResources(
  server: McpServer,
  access: AccessPolicy,
  unavailable: UnavailableResources[],
): void {
  if (unavailable.length === 0) return;
  const handlers = (server.server as unknown as { _requestHandlers?: Map<string, RawHandler> })
    ._requestHandlers;
  const original = handlers?.get("resources/read");
  if (!original) {
    server.server.registerCapabilities({ resources: {} });
    server.server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: [] }));
    server.server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
      resourceTemplates: [],
    }));
  }
  server.server.setRequestHandler(ReadResourceRequestSchema, async (request, extra) => {
    const uri = request.params.uri;
    const refused = unavailable.find((u) => u.matches(uri));
    if (refused) throw access.notAvailable(refused.owner);
    if (original) return (await original(request, extra)) as ReadResourceResult;
    // what the SDK answers for a URI nothing serves, without echoing it
    throw new McpError(ErrorCode.InvalidParams, "Resource not found");
  });
}
