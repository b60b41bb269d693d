import { z } from "zod";
import type { Logger } from "../logging.js";
import type { CallToolResult, McpServer } from "../sdk/server.js";
import type { ToolFacts } from "./access.js";
import { annotationsFor } from "./annotations.js";
import type { ToolExtra } from "./confirmation/gate.js";
import { computedToolError } from "./errors.js";
import { compactInputJsonSchema, compactOutputJsonSchema, withJsonSchema } from "./json-schema.js";
import { schemaJsonText } from "./precomputed-schemas.js";

type Shape = z.ZodRawShape;
type AnyObject = z.ZodObject<Shape>;

interface ToolSpec<Ctx, I extends Shape, O extends Shape> extends ToolFacts {
  title: string;
  description: string;
  toolset: string;
  /**
   * Computed tools read DigiCert and write at most this server's own store (reporting snapshots): "read" under
   * the one rule of annotationsFor. A write would need the catalog's confirmation gate and audit record.
   */
  effect: "read";
  idempotent: boolean;
  /** fields of the arguments (a strict object: unknown fields are refused) */
  input: I;
  /** fields of `structuredContent`; tools/list shows only the top level (nested objects read "object") */
  output?: O;
  _meta?: Record<string, unknown>;
  /** the work: returns the result, throws on failure (registerComputedTools words and scrubs it) */
  run(args: z.output<z.ZodObject<I>>, ctx: Ctx, extra: ToolExtra): Promise<CallToolResult>;
}

/** A tool computed by this server (reporting, the contracts view, check_setup), declared once with defineTool. */
export interface ComputedTool<Ctx> extends ToolFacts {
  readonly title: string;
  readonly description: string;
  readonly toolset: string;
  readonly effect: "read";
  readonly idempotent: boolean;
  readonly _meta?: Record<string, unknown>;
  /** zod schemas (with their advertised JSON Schema), built on first use and then kept for the process */
  schemas(): { input: AnyObject; output?: AnyObject };
  /** the same, built afresh: for collectSchemaJson (precomputed schemas) */
  buildSchemas(): { input: AnyObject; output?: AnyObject };
  run(args: Record<string, unknown>, ctx: Ctx, extra: ToolExtra): Promise<CallToolResult>;
}

/**
 * Declares a computed tool: its facts, schemas and handler in one place. The schemas are built once per
 * process, on the first server that registers the tool, not per server (stateless HTTP builds one per request);
 * their JSON Schemas come from the build's precomputed file (`<name>:input`, `<name>:output`).
 */
export function defineTool<Ctx, I extends Shape, O extends Shape = Shape>(
  spec: ToolSpec<Ctx, I, O>,
): ComputedTool<Ctx> {
  const { input, output, run, ...facts } = spec;
  const buildSchemas = () => {
    const inputSchema = z.strictObject(input);
    const built: { input: AnyObject; output?: AnyObject } = {
      input: withJsonSchema(
        inputSchema,
        schemaJsonText(`${spec.name}:input`, () => compactInputJsonSchema(inputSchema)),
      ) as unknown as AnyObject,
    };
    if (output) {
      const outputSchema = z.object(output);
      built.output = withJsonSchema(
        outputSchema,
        schemaJsonText(`${spec.name}:output`, () => compactOutputJsonSchema(outputSchema, 1)),
      ) as unknown as AnyObject;
    }
    return built;
  };
  let schemas: ReturnType<typeof buildSchemas> | undefined;
  return {
    ...facts,
    schemas: () => {
      schemas ??= buildSchemas();
      return schemas;
    },
    buildSchemas,
    run: run as ComputedTool<Ctx>["run"],
  };
}

/** What registerComputedTools wraps every call with, the same as the catalog tools' (tools.ts). */
export interface ComputedToolDeps {
  /** the access policy (or ExtensionContext.isToolSelected): a tool not offered is not registered at all */
  offersTool(tool: ToolFacts): boolean;
  /** the client's scrub: every result and error passes through it, like the catalog tools' */
  scrub<T>(value: T): T;
  logger: Logger;
}

/**
 * The one registration of computed tools, with the same wrapping for all: the access policy, annotations from
 * annotationsFor, the tool error shape of errors.ts (any failure, never a protocol error), the client's scrub
 * of every result and error (an error may echo an argument, and an agent may have pasted a key into one), and
 * a debug log line of duration and outcome. Not told to `onToolCall`: its record is a DigiCert operation's
 * (targets, HTTP status; telemetry reads it as one), and the audit log keeps only writes, which these are not.
 */
export function registerComputedTools<Ctx>(
  server: McpServer,
  tools: readonly ComputedTool<Ctx>[],
  ctx: Ctx,
  deps: ComputedToolDeps,
): void {
  for (const tool of tools) {
    if (!deps.offersTool(tool)) continue;
    const { input, output } = tool.schemas();
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: input,
        ...(output && { outputSchema: output }),
        annotations: annotationsFor(tool),
        ...(tool._meta && { _meta: tool._meta }),
      },
      async (args: Record<string, unknown>, extra: ToolExtra) => {
        const started = performance.now();
        let outcome = "ok";
        try {
          const result = await tool.run(args, ctx, extra);
          if (result.isError) outcome = "error";
          return deps.scrub(result);
        } catch (err) {
          const failure = computedToolError(tool.name, err);
          outcome = `error:${failure.kind}`;
          // where it failed, not the message: it may quote an argument (a pasted key, a domain); the agent has it
          if (failure.kind === "internal")
            deps.logger.warn({ tool: tool.name, ...failedAt(err) }, "tool failed");
          return deps.scrub(failure.result);
        } finally {
          const ms = Math.round(performance.now() - started);
          // never the arguments or the result, as for catalog tools
          deps.logger.debug({ tool: tool.name, ms, outcome }, "tool call");
        }
      },
    );
  }
}

/** An error's name and the first frame of its stack (file and line), without its message. */
function failedAt(err: unknown): { error: string; at?: string } {
  if (!(err instanceof Error)) return { error: typeof err };
  const frame = err.stack?.split("\n").find((line) => line.trimStart().startsWith("at "));
  return { error: err.name, ...(frame && { at: frame.trim().slice(3) }) };
}
