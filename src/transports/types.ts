import type { TokenGrant } from "../config/index.js";
import type { Logger } from "../logging.js";
import type { McpServer } from "../sdk/server.js";
import type { RateLimits } from "./rate-limit.js";

/** Who an HTTP request authenticated as: the token's name and what it may do (never the token itself). */
export interface Principal {
  name: string;
  grant: TokenGrant;
  /** set for an OAuth access token: whom the authorization server says it was issued to */
  identity?: OAuthIdentity;
}

/** The caller an OAuth access token names (claims only; the token itself is never kept). */
export interface OAuthIdentity {
  issuer: string;
  subject: string;
  /** the OAuth client (claude.ai, an IDE…) the token was issued to; undefined when the token does not say */
  clientId: string | undefined;
}

/** What the transport knows when it asks for a server; absent over stdio. */
export interface ServerContext {
  principal: Principal;
  /** a server for one stateless request: nothing can be sent to the client after the answer */
  stateless?: boolean;
}

/** What a transport needs: a fresh, unconnected McpServer per connection (or per session / request). */
export interface TransportDeps {
  /** over HTTP, called with the caller's principal so the server can be built for that token's grant */
  createServer: (context?: ServerContext) => McpServer;
  logger: Logger;
  /** reported by /healthz */
  version: string;
  /** per-token rate limits shared by replicas (DATABASE_URL); default: this process's own buckets */
  rateLimits?: RateLimits;
  /** more facts for /healthz (e.g. whether the database answers); must not throw */
  health?: () => Promise<Record<string, unknown>>;
  /** told of every /mcp request refused before reaching MCP (the CLI writes it to the audit log) */
  onRefused?: (refusal: RefusedRequest) => void;
}

/** A /mcp request turned away at the HTTP edge. Names and addresses only: never a token. */
export interface RefusedRequest {
  reason:
    | "unauthorized"
    | "insufficient_scope"
    | "host_not_allowed"
    | "origin_not_allowed"
    | "rate_limited"
    | "body_too_large"
    | "batch_refused"
    | "session_limit";
  /** the token's name once it authenticated (429, 413); null before (401, 403) */
  token: string | null;
  /** the socket's peer address (a reverse proxy's, behind one) */
  remote: string | null;
  status: number;
}

/** A running transport. `close()` is idempotent; `closed` settles once everything is shut. */
export interface RunningTransport {
  close(): Promise<void>;
  closed: Promise<void>;
  /**
   * Writes a start-up log line when it no longer delays the client's first answer (stdio: see serveStdio);
   * absent: write it now. Lines keep their order, and all are written before any shutdown line.
   */
  startupLog?(write: () => void): void;
  /** writes the start-up lines still waiting, at once (before a shutdown line) */
  flushStartupLog?(): void;
}
