import type { ServerResponse } from "node:http";
import type { Logger } from "../../logging.js";
import type { StreamableHTTPServerTransport } from "../../sdk/http.js";
import type { McpServer } from "../../sdk/server.js";
import type { KnownToken } from "../auth.js";

export interface Session {
  id: string;
  server: McpServer;
  transport: StreamableHTTPServerTransport;
  /** the token that created the session: only that token may use it (re-pointed when the file is reloaded) */
  caller: KnownToken;
  lastSeen: number;
  /** requests (including open SSE streams) currently being served */
  inflight: number;
}

/**
 * The open sessions of a stateful server, and the ones being initialized (counted against the caps like open
 * ones), by token name.
 */
export class SessionTable {
  private readonly open = new Map<string, Session>();
  private pendingTotal = 0;
  private readonly pendingOf = new Map<string, number>();

  constructor(private readonly logger: Logger) {}

  get size(): number {
    return this.open.size;
  }

  /** open and being initialized */
  get total(): number {
    return this.open.size + this.pendingTotal;
  }

  get(id: string): Session | undefined {
    return this.open.get(id);
  }

  all(): Session[] {
    return [...this.open.values()];
  }

  add(session: Session): void {
    this.open.set(session.id, session);
  }

  /** A session of `name` starts initializing; `release` when it is open or failed. */
  reserve(name: string): () => void {
    this.pendingTotal++;
    this.pendingOf.set(name, (this.pendingOf.get(name) ?? 0) + 1);
    return () => {
      this.pendingTotal--;
      const pending = (this.pendingOf.get(name) ?? 1) - 1;
      if (pending > 0) this.pendingOf.set(name, pending);
      else this.pendingOf.delete(name);
    };
  }

  /** sessions of a token, open or being initialized */
  countOf(name: string): number {
    let n = this.pendingOf.get(name) ?? 0;
    for (const s of this.open.values()) if (s.caller.name === name) n++;
    return n;
  }

  /** the token's least recently used session with no request in flight */
  oldestIdleOf(name: string): Session | undefined {
    let oldest: Session | undefined;
    for (const s of this.open.values()) {
      if (s.caller.name !== name || s.inflight > 0) continue;
      if (!oldest || s.lastSeen < oldest.lastSeen) oldest = s;
    }
    return oldest;
  }

  async close(session: Session, why: string): Promise<void> {
    if (!this.open.delete(session.id)) return;
    this.logger.debug({ session: session.id.slice(0, 8), why }, "closing MCP session");
    try {
      await session.transport.close();
      await session.server.close();
    } catch (err) {
      this.logger.debug({ err }, "error while closing an MCP session");
    }
  }

  /** Counts a request (or SSE stream) as in flight on the session until its response closes. */
  track(res: ServerResponse, session: Session): void {
    session.inflight++;
    session.lastSeen = Date.now();
    res.once("close", () => {
      session.inflight--;
      session.lastSeen = Date.now();
    });
  }

  /** Closes every session idle (nothing in flight) for longer than `idleMs`. */
  closeIdle(idleMs: number): void {
    const now = Date.now();
    for (const session of this.open.values()) {
      if (session.inflight === 0 && now - session.lastSeen > idleMs) void this.close(session, "idle");
    }
  }

  /** Expires idle sessions every so often (half the idle time, within 250 ms – 60 s); returns the stop. */
  sweepIdle(idleMs: number): () => void {
    const every = Math.max(250, Math.min(idleMs / 2, 60_000));
    const sweeper = setInterval(() => this.closeIdle(idleMs), every);
    sweeper.unref();
    return () => clearInterval(sweeper);
  }
}
