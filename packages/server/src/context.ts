import type { QueryEngine } from "@mpkit/query";
import type { StorageAdapter } from "@mpkit/storage";
import type { Tenants } from "./config/tenants.js";
import type { QueryLimiter, QueryServerLimits } from "./http/rate-limit.js";
import type { ImportNormalizer } from "./ingest/normalizer.js";
import type { JqlServerLimits } from "./jql/limits.js";
import type { WhereCompiler } from "./where.js";
import type { Writer } from "./write/writer.js";

/** Everything a request handler needs, built once in `createServer` and passed down. */
export interface ServerContext {
  readonly tenants: Tenants;
  readonly storage: StorageAdapter;
  readonly writer: Writer;
  /** Decodes and validates `/import` bodies, on worker threads when configured. */
  readonly importNormalizer: ImportNormalizer;
  readonly where: WhereCompiler;
  /** The Query API engine (plans, runs and shapes queries; holds the saved reports). */
  readonly queryEngine: QueryEngine;
  /**
   * Per-project query quota, shared by the Query API and JQL: Mixpanel counts both against the same
   * 60-per-hour, 5-at-once budget (mixpanel-read-side.md 1, "Rate limits").
   */
  readonly queryLimiter: QueryLimiter;
  /** Current time, epoch ms (injectable for tests). */
  readonly now: () => number;
  readonly limits: ServerLimits;
}

/** Request limits, Mixpanel's by default. */
export interface ServerLimits {
  /** Records per `/track`, `/import`, `/engage`, `/groups` request. @default 2000 */
  readonly maxRecords: number;
  /** Uncompressed body bytes. Mixpanel documents 10 MB for `/import`. @default 10485760 */
  readonly maxBodyBytes: number;
  /** JQL sandbox and concurrency limits; unset fields take the defaults in `jql/limits.ts`. */
  readonly jql?: JqlServerLimits;
  /** Query API rate limits, concurrency cap and time limit (all off by default), see `http/rate-limit.ts`. */
  readonly query?: QueryServerLimits;
}

export const defaultLimits: ServerLimits = { maxRecords: 2000, maxBodyBytes: 10 * 1024 * 1024 };
