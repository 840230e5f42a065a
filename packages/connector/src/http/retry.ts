import { MixpanelHttpError, NetworkError, RateLimitError, TimeoutError } from "../errors.js";

/** Retry policy; every field documents its default. */
export interface RetryOptions {
  /**
   * Retries after the first attempt (so `maxRetries: 3` means up to 4 attempts).
   * @default 3
   */
  maxRetries?: number;
  /**
   * Delay before the first retry. Mixpanel's import guide advises starting at 2 s and doubling
   * (docs: reference/import-events, "rate limits").
   * @default 2000
   */
  initialDelayMs?: number;
  /**
   * Upper bound for one backoff delay (Mixpanel's guide: 60 s).
   * @default 60000
   */
  maxDelayMs?: number;
  /** @default 2 */
  backoffFactor?: number;
  /**
   * Randomise each delay to between 50% and 100% of its value, so many clients hitting one 429 do not
   * retry in lockstep (stripe-node's jitter).
   * @default true
   */
  jitter?: boolean;
  /**
   * `"transient"` retries only 429, 5xx, network errors and timeouts. `"all"` retries every error,
   * including 4xx (useful against flaky proxies; Mixpanel itself advises never retrying a 400).
   * @default "transient"
   */
  retryOn?: "transient" | "all";
  /**
   * Honour `Retry-After` on 429/503 instead of the computed backoff, up to this many ms; longer
   * waits make the error surface at once so the caller can decide.
   * @default 300000
   */
  maxRetryAfterMs?: number;
}

/** Retry options with every default applied. */
export type ResolvedRetryOptions = Required<RetryOptions>;

export const defaultRetryOptions: ResolvedRetryOptions = {
  maxRetries: 3,
  initialDelayMs: 2000,
  maxDelayMs: 60_000,
  backoffFactor: 2,
  jitter: true,
  retryOn: "transient",
  maxRetryAfterMs: 300_000,
};

/** Merges partial retry options over the defaults (`false`/`0` disables retries). */
export function resolveRetryOptions(
  ...layers: (RetryOptions | number | false | undefined)[]
): ResolvedRetryOptions {
  let resolved = { ...defaultRetryOptions };
  for (const layer of layers) {
    if (layer === undefined) continue;
    if (layer === false) resolved = { ...resolved, maxRetries: 0 };
    else if (typeof layer === "number") resolved = { ...resolved, maxRetries: layer };
    else
      for (const [key, value] of Object.entries(layer))
        if (value !== undefined) Object.assign(resolved, { [key]: value });
  }
  return resolved;
}

/**
 * Pure retry decision (stripe's `_shouldRetry`). `idempotent` is false for calls that Mixpanel would
 * apply twice (creating an annotation, `$add` on a profile); those are retried only on 429, which
 * Mixpanel answers before doing any work.
 * @example
 * shouldRetry(new ServerError("x", { status: 503, body: "" }), 0, defaultRetryOptions, true); // true
 */
export function shouldRetry(
  error: unknown,
  attempt: number,
  options: ResolvedRetryOptions,
  idempotent: boolean,
): boolean {
  if (attempt >= options.maxRetries) return false;
  if (error instanceof RateLimitError) return true;
  if (!idempotent) return false;
  if (options.retryOn === "all") return error instanceof MixpanelHttpError || isTransportError(error);
  if (error instanceof MixpanelHttpError) return error.status >= 500;
  return isTransportError(error);
}

function isTransportError(error: unknown): boolean {
  return error instanceof NetworkError || error instanceof TimeoutError;
}

/**
 * Delay before retry number `attempt + 1`: `Retry-After` when the server sent one, otherwise capped
 * exponential backoff with optional 50–100% jitter. Returns `undefined` when `Retry-After` asks for
 * longer than `maxRetryAfterMs` (the caller then stops retrying).
 */
export function retryDelay(
  error: unknown,
  attempt: number,
  options: ResolvedRetryOptions,
  random: () => number = Math.random,
): number | undefined {
  if (error instanceof RateLimitError && error.retryAfterMs !== undefined) {
    return error.retryAfterMs > options.maxRetryAfterMs ? undefined : error.retryAfterMs;
  }
  const base = Math.min(options.maxDelayMs, options.initialDelayMs * options.backoffFactor ** attempt);
  return options.jitter ? Math.round(base * (0.5 + random() * 0.5)) : base;
}
