import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { TokenGrant } from "../config/index.js";
import type { Logger } from "../logging.js";

/** Who an HTTP request authenticated as: the token's name and what it may do (never the token itself). */
export interface Principal {
  name: string;
  grant: TokenGrant;
}

/** What the transport knows when it asks for a server; absent over stdio. */
export interface ServerContext {
  principal: Principal;
}

/** What a transport needs: a fresh, unconnected McpServer per connection (or per session / request). */
export interface TransportDeps {
  /** over HTTP, called with the caller's principal so the server can be built for that token's grant */
  createServer: (context?: ServerContext) => McpServer;
  logger: Logger;
  /** reported by /healthz */
  version: string;
}

/** A running transport. `close()` is idempotent; `closed` settles once everything is shut. */
export interface RunningTransport {
  close(): Promise<void>;
  closed: Promise<void>;
}
