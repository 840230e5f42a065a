import type { Expr } from "@mpkit/expr";
import { type Sql, sql } from "@mpkit/sql";
import { type Bucketing, bucketSql, int, localMsSql, utcRange } from "../buckets.js";
import type { QueryDialect } from "../dialect.js";
import type { CountType } from "../params/common.js";
import type { ProjectRef } from "../project.js";
import { EventScan } from "../scan.js";

/** What to count: a segmentation-style query over one or more events. */
export interface CountQuery {
  readonly events: readonly string[];
  readonly fromDay: number;
  readonly toDay: number;
  readonly bucketing: Bucketing;
  readonly type: CountType;
  /** Breakdown; when absent, the segment is the event name (section 3.8: `/events` keys by event). */
  readonly on?: Expr | undefined;
  readonly where?: Expr | undefined;
  /** Top segments to keep; `undefined` keeps all. */
  readonly limit?: number | undefined;
}

/**
 * SQL for event counts per (bucket, segment): columns `bucket` (bucket id), `segment` (text), `total`
 * (events) and, unless `type` is general, `users` (distinct resolved ids, section 4.1). With `limit`,
 * only the top segments by volume survive (section 4.5), ranked by the measured value then name.
 *
 * @example
 * ```ts
 * const q = planCounts(project, { events: ["Login"], fromDay, toDay, bucketing, type: "unique" }, duckdbQueryDialect);
 * ```
 */
export function planCounts(project: ProjectRef, q: CountQuery, d: QueryDialect): Sql {
  const unique = q.type !== "general";
  const scan = new EventScan(project, unique);
  const where = scan.where(q.where);
  // One event without `on`: the segment is a constant, so the grouping is on the bucket alone.
  const segment =
    q.on !== undefined ? scan.segment(q.on) : q.events.length === 1 ? sql`${q.events[0] ?? ""}` : sql`event`;
  const { fromMs, toMs } = utcRange(project.timezone, q.fromDay, q.toDay);
  const rows = scan.rows({ events: q.events, fromMs, toMs });
  const bucket = bucketSql(localMsSql(sql`time_ms`, project.timezone, fromMs, toMs), q.bucketing, d);
  // `unique` needs only the distinct count; `average` needs both.
  const measures =
    q.type === "general"
      ? sql`count(*) AS total`
      : q.type === "unique"
        ? sql`0 AS total, count(DISTINCT uid) AS users`
        : sql`count(*) AS total, count(DISTINCT uid) AS users`;
  const grouped = sql`SELECT ${bucket} AS bucket, ${segment} AS segment, ${measures}
    FROM ${rows} AS r WHERE ${where} GROUP BY ALL`;
  if (q.limit === undefined) return grouped;
  const rank = q.type === "unique" ? sql`sum(users)` : sql`sum(total)`;
  return sql`WITH g AS (${grouped}),
    top AS (SELECT segment FROM g GROUP BY segment ORDER BY ${rank} DESC, segment LIMIT ${int(q.limit)})
    SELECT g.* FROM g WHERE segment IN (SELECT segment FROM top)`;
}

/**
 * SQL for the numeric value of `on` per event, with the event's bucket: columns `bucket`, `value`
 * (DOUBLE, NULL when `number(on)` is undefined) and `uid`. Feeds `/segmentation/numeric`, `/sum`, `/average`.
 */
export function planNumericValues(
  project: ProjectRef,
  q: {
    fromDay: number;
    toDay: number;
    event: string;
    bucketing: Bucketing;
    on: Expr;
    where?: Expr | undefined;
  },
  d: QueryDialect,
  resolveIds: boolean,
): Sql {
  const scan = new EventScan(project, resolveIds);
  const where = scan.where(q.where);
  // The compiler gives `on` as segment text; `number(on)` prints a number or "undefined".
  const text = scan.segment({ type: "call", name: "number", args: [q.on], pos: 0 });
  const { fromMs, toMs } = utcRange(project.timezone, q.fromDay, q.toDay);
  const rows = scan.rows({ events: [q.event], fromMs, toMs });
  const bucket = bucketSql(localMsSql(sql`time_ms`, project.timezone, fromMs, toMs), q.bucketing, d);
  return sql`SELECT ${bucket} AS bucket, TRY_CAST(${text} AS DOUBLE) AS value, uid FROM ${rows} AS r WHERE ${where}`;
}
