import type { CallProgress } from "../client/client.js";
import type { RequestHandlerExtra, ServerNotification, ServerRequest } from "../sdk/server.js";

type Extra = Pick<RequestHandlerExtra<ServerRequest, ServerNotification>, "_meta" | "sendNotification">;

/** An answer this large takes noticeable time to parse and page: said when it arrives. */
const LARGE_ANSWER_BYTES = 256 * 1024;

/** How often a call still waiting for DigiCert says so. */
export const HEARTBEAT_MS = 1_000;

/**
 * notifications/progress for one request, or nothing when the client sent no progress token (the spec: only a
 * request that carries `_meta.progressToken` gets progress). The progress value only grows, as the spec
 * requires; a send that fails is ignored (the call itself goes on).
 */
export interface Progress {
  /** one step done; `total` when the number of steps is known */
  step(message: string, total?: number): void;
  /** a DigiCert call's own events (a retry waiting, the answer arriving), in words */
  client(event: CallProgress): void;
  /** says "still waiting" every intervalMs until the returned stop is called */
  heartbeat(what: string, intervalMs?: number): () => void;
}

export function progressFor(extra: Extra): Progress | undefined {
  const token = extra._meta?.progressToken;
  if (token === undefined) return undefined;
  let progress = 0;
  let total: number | undefined;
  // A step moves to the next whole number; anything between steps (a heartbeat, a retry) moves halfway to it,
  // so the value grows with every notification without passing the step still to come.
  const send = (message: string, step: boolean) => {
    const next = Math.floor(progress) + 1;
    progress = step || total === undefined ? next : progress + (next - progress) / 2;
    const params = { progressToken: token, progress, ...(total === undefined ? {} : { total }), message };
    extra.sendNotification({ method: "notifications/progress", params }).catch(() => {
      // the client went away or the transport closed: the result still goes out (or fails) on its own
    });
  };
  return {
    step(message, steps) {
      if (steps !== undefined) total = steps;
      send(message, true);
    },
    client(event) {
      if (event.kind === "wait") {
        const why =
          event.reason === "retry-after"
            ? `DigiCert answered ${event.status ?? 429} with Retry-After`
            : `attempt ${event.attempt} failed transiently`;
        send(`${why}: waiting ${seconds(event.ms)} before retrying`, false);
      } else if (event.bytes >= LARGE_ANSWER_BYTES) {
        send(`received ${Math.round(event.bytes / 1024)} KiB from DigiCert; reading it`, false);
      }
    },
    heartbeat(what, intervalMs = HEARTBEAT_MS) {
      const started = Date.now();
      const timer = setInterval(
        () => send(`${what}: ${seconds(Date.now() - started)} so far`, false),
        intervalMs,
      );
      timer.unref?.();
      return () => clearInterval(timer);
    },
  };
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
