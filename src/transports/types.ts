import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Logger } from "../logging.js";

/** What a transport needs: a fresh, unconnected McpServer per connection (or per session / request). */
export interface TransportDeps {
  createServer: () => McpServer;
  logger: Logger;
  /** reported by /healthz */
  version: string;
}

/** A running transport. `close()` is idempotent; `closed` settles once everything is shut. */
export interface RunningTransport {
  close(): Promise<void>;
  closed: Promise<void>;
}
