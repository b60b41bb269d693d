/** One JSON-RPC request over Streamable HTTP (stateless: no session, plain JSON answer), timed. */
export interface RpcAnswer {
  status: number;
  body: unknown;
  ms: number;
}

let nextId = 1;

export async function rpc(
  url: string,
  token: string,
  method: string,
  params: Record<string, unknown>,
): Promise<RpcAnswer> {
  const started = performance.now();
  const res = await fetch(`${url}/mcp`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2025-06-18",
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body, ms: performance.now() - started };
}

export interface ToolAnswer {
  isError: boolean;
  structured: Record<string, unknown>;
  text: string;
}

/** The result of a tools/call answer, or undefined when the answer was not one (an HTTP or JSON-RPC error). */
export function toolResult(answer: RpcAnswer): ToolAnswer | undefined {
  const result = (answer.body as { result?: Record<string, unknown> } | undefined)?.result;
  if (answer.status !== 200 || !result) return undefined;
  const content = (result.content as { type: string; text?: string }[] | undefined) ?? [];
  return {
    isError: result.isError === true,
    structured: (result.structuredContent as Record<string, unknown> | undefined) ?? {},
    text: content.map((c) => c.text ?? "").join("\n"),
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}
