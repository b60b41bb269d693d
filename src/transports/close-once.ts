import type { RunningTransport } from "./types.js";

/**
 * `close()` runs `shutdown` once however often and from wherever it is called (signal, stdin end, EPIPE, the
 * protocol layer); `closed` settles when it has finished.
 */
export function closeOnce(shutdown: () => Promise<void>): RunningTransport {
  let closing: Promise<void> | undefined;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => {
    resolveClosed = r;
  });
  const close = (): Promise<void> => {
    closing ??= shutdown().finally(resolveClosed);
    return closing;
  };
  return { close, closed };
}
