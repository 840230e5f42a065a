/**
 * The host-side data interface. The sandbox never sees a source: the host (Node main thread) pulls
 * batches from it and feeds their JSON to the sandbox. Selectors are the source's job because a
 * SQL-backed source compiles them into its WHERE clause (reference section 2: segmentation
 * expressions), which is where the speed of JQL comes from.
 */

/** An event as the source returns it. `time` is real epoch milliseconds (UTC); the runtime shifts it. */
export interface JqlEvent {
  readonly name: string;
  /** The resolved identity (after identity merge). Undefined when the event had none. */
  readonly distinct_id?: string | undefined;
  /** Epoch milliseconds, UTC. JQL scripts see it shifted into the project time zone. */
  readonly time: number;
  /** Defaults to 1 (no sampling). */
  readonly sampling_factor?: number | undefined;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** A user profile as the source returns it. Times are real epoch milliseconds (UTC). */
export interface JqlUser {
  readonly distinct_id: string;
  /** Last profile update, epoch ms UTC. */
  readonly time?: number | undefined;
  /** Last `$set`, epoch ms UTC. */
  readonly last_seen?: number | undefined;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** One entry of `Events({event_selectors})`: an event is kept if it matches ANY entry. */
export interface JqlEventSelector {
  /** Event name; absent means any event. */
  readonly event?: string | undefined;
  /** Segmentation expression over `properties[...]`; absent means no condition. */
  readonly selector?: string | undefined;
  readonly label?: string | undefined;
}

/** What `Events({...})` asks of the source. */
export interface JqlEventQuery {
  /** Inclusive project-time dates as the script wrote them, `YYYY-MM-DD`. */
  readonly fromDate: string;
  readonly toDate: string;
  /** The same range as epoch ms UTC: `fromMs <= time < toMs` (from_date 00:00 to the day after to_date, in `timezone`). */
  readonly fromMs: number;
  readonly toMs: number;
  /** IANA time zone of the project. */
  readonly timezone: string;
  /** Empty means every event. Otherwise keep an event when it matches any entry. */
  readonly selectors: readonly JqlEventSelector[];
  /**
   * Convenience for pushdown: the event names any selector restricts to, or `null` when some
   * selector accepts every name. A source may filter by these names first, then apply selectors.
   */
  readonly eventNames: readonly string[] | null;
}

/** What `People({user_selectors})` asks of the source: keep a profile when it matches any selector; none means all. */
export interface JqlPeopleQuery {
  readonly selectors: readonly { readonly selector: string }[];
}

/** A `join()` tuple, as matched against `join` selectors (which see both `properties[...]` and `user[...]`). */
export interface JqlJoinTuple {
  readonly distinct_id?: string | undefined;
  readonly event?: JqlEvent | undefined;
  readonly user?: JqlUser | undefined;
}

/** How a group-by key or reducer accessor is written, for a source that wants to compute it in SQL. */
export type JqlAccessorPlan =
  | { readonly kind: "identity" }
  | { readonly kind: "path"; readonly path: string }
  | { readonly kind: "function" }
  | { readonly kind: "to_number"; readonly of: JqlAccessorPlan }
  | { readonly kind: "to_string"; readonly of: JqlAccessorPlan }
  | { readonly kind: "to_boolean"; readonly of: JqlAccessorPlan }
  | { readonly kind: "numeric_bucket"; readonly of: JqlAccessorPlan; readonly buckets: unknown }
  | { readonly kind: "slice"; readonly of: JqlAccessorPlan; readonly start: number; readonly limit?: number }
  | { readonly kind: "multiple_keys"; readonly keys: readonly JqlAccessorPlan[] };

/** A reducer in the plan: a built-in `mixpanel.reducer.*` with its arguments, or user code. */
export type JqlReducerPlan =
  | {
      readonly kind: "builtin";
      readonly name: string;
      readonly accessor?: JqlAccessorPlan;
      /** Other arguments, e.g. the percentiles of `numeric_percentiles`, the n of `top`, count's options. */
      readonly args?: readonly unknown[];
    }
  | { readonly kind: "function" };

/** The parameters of a `groupBy` or `groupByUser` stage. */
export interface JqlGroupStagePlan {
  readonly keys: readonly JqlAccessorPlan[];
  readonly reducers: readonly JqlReducerPlan[];
  /** True when the script passed a list of reducers (the value is then a list). */
  readonly list: boolean;
}

/** One transformation of the chain, in order. */
export type JqlStagePlan =
  | { readonly op: "filter" | "map" | "flatten" }
  | { readonly op: "sortAsc" | "sortDesc"; readonly accessor: JqlAccessorPlan }
  | { readonly op: "reduce"; readonly reducers: readonly JqlReducerPlan[]; readonly list: boolean }
  | (JqlGroupStagePlan & { readonly op: "groupBy" })
  | (JqlGroupStagePlan & { readonly op: "groupByUser" })
  | { readonly op: "applyGroupLimits"; readonly limits: readonly number[]; readonly global?: number };

/** Where the chain's data comes from, as the script asked. */
export type JqlSourcePlan =
  | { readonly kind: "events"; readonly events: JqlEventQuery }
  | { readonly kind: "people"; readonly people: JqlPeopleQuery }
  | {
      readonly kind: "join";
      readonly events: JqlEventQuery;
      readonly people: JqlPeopleQuery;
      readonly type: "full" | "left" | "right" | "inner";
      readonly selectors: readonly JqlEventSelector[];
    };

/** The whole query as `main()` built it. Computed inside the sandbox before any data is read. */
export interface JqlPlan {
  readonly source: JqlSourcePlan;
  readonly stages: readonly JqlStagePlan[];
}

/** A `groupBy` output row: `{key: [...], value}`. */
export interface JqlGroupRow {
  readonly key: readonly unknown[];
  readonly value: unknown;
}

/**
 * A request to compute the leading `groupBy` of a chain in the source (e.g. in SQL). Only made
 * when every key and reducer is declarative (no user functions). Event times in `keys` (path
 * `time`) are project-time milliseconds, as the script sees them.
 */
export interface JqlAggregateRequest {
  readonly source: JqlSourcePlan & { readonly kind: "events" | "people" };
  readonly stage: JqlGroupStagePlan & { readonly op: "groupBy" };
  readonly timezone: string;
}

/**
 * The data the JQL runtime reads. Implemented by the storage layer; `createMemorySource` is an
 * in-memory implementation for tests and demos.
 *
 * @example
 * ```ts
 * const source: JqlDataSource = {
 *   async *events(q) { yield await db.events(q.fromMs, q.toMs, q.selectors); },
 *   async *people(q) { yield await db.people(q.selectors); },
 * };
 * ```
 */
export interface JqlDataSource {
  /**
   * Events in the range that match the selectors, in ascending `time` order (so `groupByUser`
   * sees each user's events in temporal order, as JQL guarantees), in batches of any size.
   */
  events(query: JqlEventQuery): AsyncIterable<readonly JqlEvent[]>;
  /** Profiles matching the selectors, in batches of any size. */
  people(query: JqlPeopleQuery): AsyncIterable<readonly JqlUser[]>;
  /**
   * Evaluates one `join()` selector on a tuple. Required only when a script passes join
   * selectors; without it such a script fails with a JqlRuntimeError.
   */
  matchJoinSelector?(selector: string, tuple: JqlJoinTuple): boolean;
  /**
   * Optional pushdown: compute a leading `groupBy` and return its rows (any order), or `null` to
   * decline (the sandbox then computes it from `events()`/`people()`).
   */
  aggregate?(request: JqlAggregateRequest): Promise<readonly JqlGroupRow[] | null>;
}
