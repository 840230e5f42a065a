/** Resource limits of one JQL run. */
export interface JqlLimits {
  /** Wall-clock limit for the whole query, data fetching included. Mixpanel's is 2 minutes. */
  readonly timeoutMs?: number;
  /** Hard cap of the sandbox's memory (its whole WASM linear memory), in MB; at least 16. */
  readonly memoryMb?: number;
  /** Largest result, as JSON bytes. Mixpanel allows 2 GB; the default is lower. */
  readonly maxOutputBytes?: number;
  /** Events or profiles per batch handed to the sandbox. */
  readonly batchSize?: number;
}

/** Defaults: Mixpanel's 2-minute timeout; memory and output sized for a shared server. */
export const DEFAULT_LIMITS = {
  timeoutMs: 120_000,
  memoryMb: 256,
  maxOutputBytes: 64 * 1024 * 1024,
  batchSize: 5_000,
} as const;

export type ResolvedLimits = { -readonly [K in keyof JqlLimits]-?: number };

export function resolveLimits(l: JqlLimits | undefined): ResolvedLimits {
  const pick = (v: number | undefined, d: number, min: number): number => {
    if (v === undefined) return d;
    if (!Number.isFinite(v) || v < min)
      throw new RangeError(`JQL limit must be a number >= ${min}, got ${v}`);
    return Math.floor(v);
  };
  return {
    timeoutMs: pick(l?.timeoutMs, DEFAULT_LIMITS.timeoutMs, 1),
    // 16 MB is the engine's initial WASM memory: nothing smaller can even start.
    memoryMb: pick(l?.memoryMb, DEFAULT_LIMITS.memoryMb, 16),
    maxOutputBytes: pick(l?.maxOutputBytes, DEFAULT_LIMITS.maxOutputBytes, 2),
    batchSize: pick(l?.batchSize, DEFAULT_LIMITS.batchSize, 1),
  };
}
