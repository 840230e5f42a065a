/**
 * Combines the caller's `AbortSignal` with a per-attempt timeout. Aborts caused by the timer are told
 * apart from the caller's own abort, so the first becomes a retryable `TimeoutError` and the second
 * stops everything at once.
 */
export interface AttemptSignal {
  readonly signal: AbortSignal;
  /** True when the timer, not the caller, aborted. */
  timedOut(): boolean;
  /** Stops the timer and detaches from the caller's signal (call once the body is consumed). */
  clear(): void;
  /** Stops only the timer: a streamed body stays cancellable through the caller's signal. */
  stopTimer(): void;
}

/** @internal */
export function attemptSignal(timeoutMs: number | undefined, outer: AbortSignal | undefined): AttemptSignal {
  const controller = new AbortController();
  let fired = false;
  const onOuterAbort = (): void => controller.abort(outer?.reason);
  if (outer?.aborted) controller.abort(outer.reason);
  else outer?.addEventListener("abort", onOuterAbort, { once: true });
  const timer =
    timeoutMs !== undefined && timeoutMs > 0 && Number.isFinite(timeoutMs)
      ? setTimeout(() => {
          fired = true;
          controller.abort(new DOMException("timeout", "TimeoutError"));
        }, timeoutMs)
      : undefined;
  return {
    signal: controller.signal,
    timedOut: () => fired,
    clear() {
      if (timer !== undefined) clearTimeout(timer);
      outer?.removeEventListener("abort", onOuterAbort);
    },
    stopTimer() {
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}

/** Sleeps `ms`, rejecting with the signal's reason if it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
