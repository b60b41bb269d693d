import type { RecordResult } from "../../reporting/index.js";
import type { McpServer } from "../../sdk/server.js";
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from "../../sdk/server.js";
import { type ReportingContext, reasonOf } from "./context.js";
import { followsLatest } from "./uris.js";

const MIN_POLL_MS = 60_000;

/**
 * resources/subscribe for this server. McpServer (SDK 1.32) registers list/read/templates but not subscribe,
 * so the capability and both handlers are added on the underlying Server; this must run before connect().
 * When a snapshot is recorded (by any session sharing the store) with new content, subscribers of URIs that
 * follow the latest snapshot get notifications/resources/updated and every client gets list_changed.
 * While someone is subscribed, `latest` is refetched every maxAgeMs (at least a minute) so they hear of
 * changes without asking.
 */
export function registerReportingSubscriptions(server: McpServer, ctx: ReportingContext): void {
  const subscribed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  const stopPolling = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  const poll = () => {
    if (!server.isConnected()) {
      stopPolling();
      return;
    }
    ctx
      .latest()
      .catch((err: unknown) => ctx.deps.logger.debug({ err: reasonOf(err) }, "reporting poll failed"));
  };
  const updatePolling = () => {
    const wanted = ctx.deps.pollWhileSubscribed !== false && [...subscribed].some(followsLatest);
    if (wanted && !timer) {
      timer = setInterval(poll, Math.max(ctx.maxAgeMs, MIN_POLL_MS));
      // never the reason the process stays alive
      timer.unref();
    } else if (!wanted) stopPolling();
  };

  server.server.registerCapabilities({ resources: { subscribe: true, listChanged: true } });
  server.server.setRequestHandler(SubscribeRequestSchema, async (request) => {
    subscribed.add(request.params.uri);
    updatePolling();
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
    subscribed.delete(request.params.uri);
    updatePolling();
    return {};
  });

  const onRecord = (event: RecordResult) => {
    if (!event.created || !server.isConnected()) return;
    server.sendResourceListChanged();
    for (const uri of subscribed) {
      if (!followsLatest(uri)) continue;
      server.server
        .sendResourceUpdated({ uri })
        .catch((err: unknown) => ctx.deps.logger.debug({ err: reasonOf(err) }, "resource update not sent"));
    }
  };
  const unsubscribe = ctx.store.onRecord(onRecord);

  // One store serves every session of an HTTP server; drop this session's listener and timer when it closes.
  const previousOnClose = server.server.onclose;
  server.server.onclose = () => {
    unsubscribe();
    stopPolling();
    subscribed.clear();
    previousOnClose?.();
  };
}
