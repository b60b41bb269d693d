import type { IncomingMessage } from "node:http";
import type { HttpConfig } from "../../config/index.js";
import type { Logger } from "../../logging.js";
import type { KnownToken } from "../auth.js";
import type { OAuthResourceServer } from "../oauth/index.js";
import type { RateLimits } from "../rate-limit.js";
import type { RefusedRequest, TransportDeps } from "../types.js";
import type { SessionTable } from "./sessions.js";
import type { StatelessServers } from "./stateless.js";

/** What the steps of serving a request share: configuration, dependencies and the server's changing state. */
export interface HttpContext {
  readonly config: HttpConfig;
  readonly deps: TransportDeps;
  readonly logger: Logger;
  readonly oauth: OAuthResourceServer | undefined;
  readonly limiter: RateLimits;
  readonly sessions: SessionTable;
  /** idle servers for stateless requests (--stateless) */
  readonly statelessServers: StatelessServers;
  /** the static tokens requests authenticate against (replaced when the tokens file is reloaded) */
  known: KnownToken[];
  shuttingDown: boolean;
  /** set once listening (the defaults name the port) */
  allowedHosts: string[];
  allowedOrigins: Set<string>;
}

/** Tells the transport's owner (the audit log) of a request refused at the edge; never fails the answer. */
export function refuse(
  ctx: HttpContext,
  req: IncomingMessage,
  reason: RefusedRequest["reason"],
  token: string | null,
  status: number,
): void {
  try {
    ctx.deps.onRefused?.({ reason, token, remote: req.socket.remoteAddress ?? null, status });
  } catch (err) {
    // the answer goes out anyway; a failing audit sink must not turn a 401 into a 500
    ctx.logger.error(
      { err: err instanceof Error ? err.message : String(err) },
      "could not record a refused request",
    );
  }
}
