import { ApiError } from "./errors.js";

/** Per-project Query API limits; each is off when undefined (Mixpanel's are 60 per hour and 5 at once). */
export interface QueryLimitOptions {
  readonly perHour?: number | undefined;
  readonly concurrent?: number | undefined;
}

/** Query API limits in `ServerLimits.query`; each is off when absent (Mixpanel: 60 per hour, 5 at once). */
export interface QueryServerLimits {
  /** Queries per project per rolling hour. */
  readonly perHour?: number | undefined;
  /** Queries per project running at once. */
  readonly concurrent?: number | undefined;
  /** Time limit in ms; past it the client gets Mixpanel's `Timeout Error.` */
  readonly timeoutMs?: number | undefined;
}

const HOUR_MS = 3_600_000;

/**
 * Mixpanel's Query API rate limits, per project: a rolling hour of started queries and a cap on queries
 * running at once. Over either, a 429 with Mixpanel's real message (mixpanel-read-side.md 7 "Real 429
 * bodies") and a `Retry-After` header in seconds.
 *
 * @example
 * ```ts
 * const limiter = new QueryLimiter({ perHour: 60, concurrent: 5 });
 * const release = limiter.acquire(project.id, request, Date.now());
 * try { ... } finally { release(); }
 * ```
 */
export class QueryLimiter {
  private readonly started = new Map<number, number[]>();
  private readonly running = new Map<number, number>();

  constructor(private readonly options: QueryLimitOptions) {}

  /** Counts a query in, or throws the 429; call the returned function when the query ends. */
  acquire(projectId: number, request: string, nowMs: number): () => void {
    const { perHour, concurrent } = this.options;
    const times = (this.started.get(projectId) ?? []).filter((t) => t > nowMs - HOUR_MS);
    this.started.set(projectId, times);
    const running = this.running.get(projectId) ?? 0;
    const overHour = perHour !== undefined && times.length >= perHour;
    const overConcurrent = concurrent !== undefined && running >= concurrent;
    if (overHour || overConcurrent) {
      const retry = overHour ? Math.max(1, Math.ceil(((times[0] ?? nowMs) + HOUR_MS - nowMs) / 1000)) : 1;
      const error =
        `Query rate limit exceeded for project_id: ${projectId}. ${running}/${concurrent ?? "unlimited"} queries running concurrently` +
        ` and ${times.length + 1}/${perHour ?? "unlimited"} queries running in the last hour. For more information, please consult our` +
        " documentation at https://help.mixpanel.com/hc/en-us/articles/115004602563-Rate-Limits-for-Export-API-Endpoints";
      throw new ApiError(429, { request, error }, { "retry-after": String(retry) });
    }
    times.push(nowMs);
    this.running.set(projectId, running + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running.set(projectId, (this.running.get(projectId) ?? 1) - 1);
    };
  }
}
