import { OPERATIONS, type Operation } from "../operations/index.js";
import { McpError } from "../sdk/server.js";
import { isToolSelected, type ToolSelection } from "./select.js";

/** What the policy needs to know of a tool: catalog operations and the tools `extend` adds alike. */
export interface ToolFacts {
  name: string;
  toolset?: string;
  effect: "read" | "write" | "destructive";
}

/** JSON-RPC code the MCP spec gives to "resource not found" (also used for one this caller may not read). */
export const RESOURCE_NOT_AVAILABLE = -32002;

/**
 * What one caller may use on one server: the operator's selection, narrowed by the HTTP token's grant. Every
 * surface asks it (catalog tools, the reporting tools, resources and their templates, completions, prompts), so
 * a token limited to `api_keys` cannot read through a resource or a prompt what its tools do not offer.
 * Resources and prompts have no selection of their own: a resource belongs to the tool that fetches the same
 * data, and a prompt to every tool it tells the agent to call.
 */
export class AccessPolicy {
  private readonly selections: readonly ToolSelection[];

  /**
   * @param selections every one must let a tool through (operator's, then the token's grant)
   * @param caller who is asking, for messages: the HTTP token's name; undefined over stdio
   */
  constructor(
    selections: readonly (ToolSelection | undefined)[],
    readonly caller?: string,
  ) {
    this.selections = selections.filter((s): s is ToolSelection => s !== undefined);
  }

  /** Everything on: what a server without a selection (tests, embedders) offers. */
  static everything(): AccessPolicy {
    return new AccessPolicy([]);
  }

  /** Only read tools exist for this caller. Reads (tools, resources, prompts) remain. */
  get readOnly(): boolean {
    return this.selections.some((s) => s.readOnly === true);
  }

  offersTool(tool: ToolFacts): boolean {
    return this.selections.every((s) => isToolSelected(s, tool));
  }

  /** The catalog operations offered as tools, in catalog order. */
  operations(all: readonly Operation[] = OPERATIONS as readonly Operation[]): Operation[] {
    return all.filter((op) => this.offersTool(op));
  }

  /** A resource exists for this caller only when the tool that owns its data does. */
  offersResourceOf(owner: ToolFacts): boolean {
    return this.offersTool(owner);
  }

  /** A prompt exists only when every tool it names does: it would otherwise send the agent to a missing tool. */
  offersPromptFor(tools: readonly ToolFacts[]): boolean {
    return tools.every((t) => this.offersTool(t));
  }

  /**
   * The error for a resource that exists on the server but not for this caller. Nothing about the data, and not
   * the URI: a resource error is not scrubbed, and the URI may hold anything an agent pasted.
   */
  notAvailable(owner: ToolFacts): McpError {
    const who = this.caller === undefined ? "with this server's tool selection" : "to this token";
    return new McpError(
      RESOURCE_NOT_AVAILABLE,
      `This resource is not available ${who}: it comes with the tool ${owner.name}, which is not offered here`,
    );
  }
}
