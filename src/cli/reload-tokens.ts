import type { Logger } from "../logging.js";
import type { TokensReplaced } from "../transports/http.js";

/**
 * Reloads the tokens file on SIGHUP, so an operator can add, narrow or revoke a token without a restart (and
 * without dropping every other client's session). Reloads run one at a time. A file that fails the start-up
 * checks is refused and the tokens in force stay as they were: a typo must not lock everyone out, nor let a
 * revoked token back in. Returns a function that stops listening.
 */
export function onReloadSignal(reload: () => Promise<TokensReplaced>, logger: Logger): () => void {
  let queue: Promise<void> = Promise.resolve();
  const handler = (): void => {
    queue = queue.then(async () => {
      try {
        const changes = await reload();
        logger.info(changes, "tokens file reloaded");
      } catch (err) {
        // ConfigError messages name the entry and field, never a value (config/tokens-file.ts)
        const why = err instanceof Error ? err.message : String(err);
        logger.error({ why }, "tokens file NOT reloaded: the tokens in force are unchanged");
      }
    });
  };
  process.on("SIGHUP", handler);
  return () => {
    process.off("SIGHUP", handler);
  };
}
