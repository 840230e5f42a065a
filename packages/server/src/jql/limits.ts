import { DEFAULT_LIMITS, type JqlLimits } from "@mpkit/jql";

/** JQL limits of the server: the sandbox's, plus how many queries may run at once. */
export interface JqlServerLimits extends JqlLimits {
  /**
   * Concurrent JQL queries per project. Mixpanel allows 5 concurrent Query API queries per
   * project and answers 429 beyond (reference section 1, rate limits). @default 5
   */
  readonly maxConcurrentPerProject?: number;
  /**
   * Concurrent JQL queries on the whole server: each holds a worker with up to `memoryMb` of
   * sandbox memory, so this bounds the server's total JQL memory. @default 8
   */
  readonly maxConcurrent?: number;
}

/** Defaults: Mixpanel's 2-minute timeout and 5 concurrent queries per project. */
export const DEFAULT_JQL_SERVER_LIMITS = {
  ...DEFAULT_LIMITS,
  maxConcurrentPerProject: 5,
  maxConcurrent: 8,
} as const;

/** Every limit resolved. */
export type ResolvedJqlServerLimits = { readonly [K in keyof JqlServerLimits]-?: number };

/**
 * Fills unset (or `undefined`) fields with the defaults.
 *
 * @example
 * ```ts
 * resolveJqlServerLimits({ timeoutMs: 5_000 }).maxConcurrentPerProject; // 5
 * ```
 */
export function resolveJqlServerLimits(limits: JqlServerLimits | undefined): ResolvedJqlServerLimits {
  const out: Record<string, number> = { ...DEFAULT_JQL_SERVER_LIMITS };
  for (const [k, v] of Object.entries(limits ?? {})) if (typeof v === "number") out[k] = v;
  return out as ResolvedJqlServerLimits;
}

/**
 * Counts running queries per project and server-wide; `tryAcquire` refuses instead of queueing
 * (Mixpanel answers 429 rather than waiting).
 *
 * @example
 * ```ts
 * const slots = new JqlSlots({ maxConcurrent: 8, maxConcurrentPerProject: 5 });
 * const release = slots.tryAcquire(1);
 * if (release) try { await run(); } finally { release(); }
 * ```
 */
export class JqlSlots {
  private total = 0;
  private readonly perProject = new Map<number, number>();

  constructor(private readonly limits: { maxConcurrent: number; maxConcurrentPerProject: number }) {}

  /** Running queries of a project. */
  running(projectId: number): number {
    return this.perProject.get(projectId) ?? 0;
  }

  /** A release function, or undefined when a limit is reached. */
  tryAcquire(projectId: number): (() => void) | undefined {
    const mine = this.running(projectId);
    if (mine >= this.limits.maxConcurrentPerProject || this.total >= this.limits.maxConcurrent)
      return undefined;
    this.total++;
    this.perProject.set(projectId, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = this.running(projectId) - 1;
      if (left <= 0) this.perProject.delete(projectId);
      else this.perProject.set(projectId, left);
    };
  }
}
