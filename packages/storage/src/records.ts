/**
 * The records that storage engines hold. Every engine stores the same logical rows; how it lays them out
 * (DuckDB tables, ClickHouse MergeTree shards) is its own business.
 */

/** One event, normalized by the ingest pipeline and ready to store. */
export interface EventRecord {
  /** Event name. */
  readonly event: string;
  /** Event time, epoch milliseconds (UTC). Mixpanel keeps millisecond precision at ingestion. */
  readonly timeMs: number;
  /** The distinct id the event was sent with (after Simplified ID Merge's write-time rules). */
  readonly distinctId: string;
  /**
   * De-duplication key: equal keys are stored once. Derived from (event, distinct_id, time in seconds,
   * `$insert_id`) when the client supplied `$insert_id`, random otherwise (Mixpanel: events without an
   * `$insert_id` are not eligible for de-duplication).
   */
  readonly dedupeKey: bigint;
  /**
   * The other properties as JSON object text with keys in code-point order, without `time`,
   * `distinct_id` and `token`: export builds its lines from this text without re-parsing.
   */
  readonly propertiesJson: string;
}

/** A stored user or group profile. */
export interface ProfileRecord {
  /** `""` for user profiles; the group key (e.g. `company_id`) for group profiles. */
  readonly groupKey: string;
  /** `$distinct_id` for users, `$group_id` for groups. */
  readonly id: string;
  /** Profile properties. */
  readonly properties: Record<string, unknown>;
}

/** Identifies a profile. */
export interface ProfileKey {
  readonly groupKey: string;
  readonly id: string;
}

/** A mapping from one distinct id to the canonical id of its identity cluster. */
export interface IdentityLink {
  readonly distinctId: string;
  readonly canonicalId: string;
}

/** What raw export asks storage for. */
export interface ExportQuery {
  readonly projectId: number;
  /** Inclusive lower bound, epoch ms. */
  readonly fromMs: number;
  /** Exclusive upper bound, epoch ms. */
  readonly toMs: number;
  /** Only these event names, when given. */
  readonly events?: readonly string[] | undefined;
  /** At most this many events. */
  readonly limit?: number | undefined;
}

/** One exported event: the resolved distinct id and the stored property text. */
export interface ExportRow {
  readonly event: string;
  readonly timeMs: number;
  readonly distinctId: string;
  readonly propertiesJson: string;
}
