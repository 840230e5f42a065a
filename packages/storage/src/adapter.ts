import type { Sql } from "@mpkit/sql";
import type { EventBatch } from "./event-batch.js";
import type {
  EventRecord,
  ExportQuery,
  ExportRow,
  IdentityLink,
  ProfileKey,
  ProfileRecord,
} from "./records.js";

/**
 * Operations that run inside one write transaction. The server's writer groups concurrent requests
 * into one transaction (group commit), so a `200` is only sent after the transaction commits.
 */
export interface WriteTransaction {
  /**
   * Stores a packed batch of events; duplicates by {@link EventRecord.dedupeKey} (in the batch or
   * already stored) are skipped. This is the ingestion path: one bulk statement per batch.
   */
  insertEventBatch(projectId: number, batch: EventBatch): Promise<{ inserted: number }>;
  /** Same as `insertEventBatch(projectId, packEvents(events))`, for callers holding records. */
  insertEvents(projectId: number, events: readonly EventRecord[]): Promise<{ inserted: number }>;
  /** Reads profiles by key (missing ones are absent from the result). */
  getProfiles(projectId: number, keys: readonly ProfileKey[]): Promise<ProfileRecord[]>;
  /** Creates or replaces profiles. */
  putProfiles(projectId: number, profiles: readonly ProfileRecord[]): Promise<void>;
  /** Deletes profiles. */
  deleteProfiles(projectId: number, keys: readonly ProfileKey[]): Promise<void>;
  /** Canonical ids for the given distinct ids (ids without a mapping are absent). */
  getCanonicalIds(projectId: number, distinctIds: readonly string[]): Promise<Map<string, string>>;
  /** Every distinct id whose canonical id is one of `canonicalIds`. */
  getClusterMembers(projectId: number, canonicalIds: readonly string[]): Promise<IdentityLink[]>;
  /** Creates or replaces identity mappings. */
  putIdentityLinks(projectId: number, links: readonly IdentityLink[]): Promise<void>;
}

/**
 * SQL expressions for an event row's columns, handed to filter compilers (the expression language) so
 * they never need to know an engine's table layout.
 */
export interface EventColumns {
  /** Event name (VARCHAR). */
  readonly event: Sql;
  /** Event time in epoch milliseconds (BIGINT). */
  readonly timeMs: Sql;
  /** Resolved (canonical) distinct id (VARCHAR). */
  readonly distinctId: Sql;
  /** The properties object (JSON). */
  readonly properties: Sql;
}

/**
 * The narrow interface every storage engine implements (DuckDB embedded; ClickHouse for clusters).
 * One contract test suite (`@mpkit/storage/testing`) runs against every adapter.
 */
export interface StorageAdapter {
  /** Engine name, e.g. `duckdb`. */
  readonly engine: string;
  /** Creates or upgrades the schema. Idempotent. */
  migrate(): Promise<void>;
  /** Runs `work` in one durable transaction: when it resolves, everything it wrote is committed. */
  transaction<T>(work: (tx: WriteTransaction) => Promise<T>): Promise<T>;
  /** Streams events for raw export, in time order, with distinct ids resolved to canonical ids. */
  exportEvents(query: ExportQuery, where?: (columns: EventColumns) => Sql): AsyncIterable<ExportRow[]>;
  /**
   * Raw export's fast path: streams UTF-8 JSONL in Mixpanel's export line layout,
   * `{"event":…,"properties":{"time":…,"distinct_id":…,<stored properties>}}`, one line per event, each
   * ending in `\n` (a chunk holds whole lines), with `time` in seconds (or milliseconds with
   * `timeInMs`). Engines build the bytes where it is cheapest (DuckDB: in SQL); the contract suite checks
   * every engine renders the same lines.
   */
  exportLines(
    query: ExportQuery,
    where?: (columns: EventColumns) => Sql,
    options?: { readonly timeInMs?: boolean },
  ): AsyncIterable<Uint8Array>;
  /** Runs a read query and returns all rows as plain objects. */
  query(statement: Sql): Promise<Record<string, unknown>[]>;
  /** Streams a read query in chunks of rows. */
  stream(statement: Sql): AsyncIterable<Record<string, unknown>[]>;
  /** Flushes and releases the engine. */
  close(): Promise<void>;
}
