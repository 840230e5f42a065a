import { type Sql, sql } from "@mpkit/sql";

/**
 * The few engine-specific SQL pieces the query planner needs. Everything else the planner emits is
 * plain SQL (`CASE`, `GROUP BY`, joins, `count(DISTINCT ...)`), so a ClickHouse dialect only has to
 * provide these.
 */
export interface QueryDialect {
  /** Integer division rounding toward negative infinity, for non-negative BIGINT operands. */
  intDiv(a: Sql, b: Sql): Sql;
  /** `year * 12 + month - 1` of an epoch-ms wall-clock value. */
  monthIndex(localMs: Sql): Sql;
  /** The keyword that keeps a CTE computed once however often it is referenced. */
  readonly materialized: Sql;
  /** One row per top-level key of a JSON object column (a table function body for a lateral join). */
  jsonKeys(doc: Sql): Sql;
  /** Number of days in the month with the given `monthIndex`. */
  daysInMonth(monthIndex: Sql): Sql;
  /** The value of `x` on the row with the smallest `by` (an aggregate). */
  argMin(x: Sql, by: Sql): Sql;
}

/**
 * DuckDB's spellings.
 *
 * @example
 * ```ts
 * sql`SELECT ${duckdbQueryDialect.intDiv(sql`time_ms`, sql`86400000`)} FROM events`;
 * ```
 */
export const duckdbQueryDialect: QueryDialect = {
  intDiv: (a, b) => sql`(${a} // ${b})`,
  monthIndex: (localMs) =>
    sql`(year(make_timestamp(CAST(${localMs} AS BIGINT) * 1000)) * 12 + month(make_timestamp(CAST(${localMs} AS BIGINT) * 1000)) - 1)`,
  materialized: sql.raw("AS MATERIALIZED"),
  jsonKeys: (doc) => sql`unnest(json_keys(${doc}))`,
  daysInMonth: (m) =>
    sql`day(last_day(make_date(CAST(${m} // 12 AS INTEGER), CAST(${m} % 12 + 1 AS INTEGER), 1)))`,
  argMin: (x, by) => sql`arg_min(${x}, ${by})`,
};
