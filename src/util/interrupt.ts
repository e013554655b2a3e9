/**
 * Ctrl-C in two stages for a long run: the first SIGINT aborts `signal` (the
 * run stops at its next safe point and still writes what completed); a
 * second one exits 130 at once. `dispose()` gives SIGINT back.
 */
export interface Interrupt {
  readonly signal: AbortSignal;
  dispose(): void;
}

/** Takes SIGINT until dispose(); `message` (if any) is printed on the first Ctrl-C. */
export function interruptOnSigint(message?: string): Interrupt {
  const abort = new AbortController();
  const onSigint = (): void => {
    if (abort.signal.aborted) process.exit(130);
    abort.abort();
    if (message) console.error(message);
  };
  process.on("SIGINT", onSigint);
  return { signal: abort.signal, dispose: () => process.off("SIGINT", onSigint) };
}
