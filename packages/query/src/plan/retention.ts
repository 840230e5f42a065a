import { type Sql, sql } from "@mpkit/sql";
import { bucketSql, DAY_MS, int, localMsSql, utcRange } from "../buckets.js";
import type { QueryDialect } from "../dialect.js";
import type { RetentionRequest } from "../params/retention.js";
import type { ProjectRef } from "../project.js";
import { EventScan } from "../scan.js";

/**
 * Interval length in ms: `interval` × unit, with weeks of 7 days and months of 30 days (intervals are
 * rolling from each user's own birth, section 4.3; the month length is recorded in docs/compatibility.md).
 */
export function intervalMs(r: Pick<RetentionRequest, "unit" | "interval">): number {
  const unit = r.unit === "day" ? DAY_MS : r.unit === "week" ? 7 * DAY_MS : 30 * DAY_MS;
  return unit * r.interval;
}

/**
 * SQL for retention (section 4.3). Cohorts: birth = users whose first-ever `born_event` (matching
 * `born_where`) falls in the cohort bucket; compounded = users doing `event` in the bucket, born at
 * their first such event. Interval k holds returns at `birth + k·L <= t < birth + (k+1)·L`, `t > birth`.
 * Rows: `bucket`, `segment`, `k` (-1 = cohort size) and `n` users; unbounded counting gives each user
 * once at their latest interval (`k`), accumulated right to left by the shaper.
 *
 * @example
 * ```ts
 * const q = planRetention(project, request, true, duckdbQueryDialect);
 * ```
 */
export function planRetention(
  project: ProjectRef,
  r: RetentionRequest,
  segmented: boolean,
  d: QueryDialect,
): Sql {
  const { fromMs, toMs } = utcRange(project.timezone, r.fromDay, r.toDay);
  const L = intervalMs(r);
  const horizon = toMs + L * (r.intervalCount + 1);
  const bucketing = { unit: r.unit, timezone: project.timezone };
  const birth = r.retentionType === "birth";

  const bornScan = new EventScan(project, true);
  const bornWhere = bornScan.where(birth ? r.bornWhere : r.where);
  const segment = segmented && r.on !== undefined ? bornScan.segment(r.on) : sql`''`;
  const bornRows = bornScan.rows({
    events: birth ? [r.bornEvent ?? ""] : r.event === undefined ? undefined : [r.event],
    // Birth is the user's first-ever born event, so its scan has no lower bound (open question Q11).
    fromMs: birth ? undefined : fromMs,
    toMs,
  });
  const local = localMsSql(sql`t0`, project.timezone, birth ? fromMs - 366 * DAY_MS : fromMs, toMs);
  const bucket = bucketSql(local, bucketing, d);

  const retScan = new EventScan(project, true);
  const retWhere = retScan.where(r.where);
  const retRows = retScan.rows({
    events: r.event === undefined ? undefined : [r.event],
    fromMs,
    toMs: horizon,
  });

  const cohort = birth
    ? sql`born AS (SELECT uid, min(time_ms) AS t0, ${d.argMin(segment, sql`(time_ms, ${segment})`)} AS segment FROM ${bornRows} AS b
          WHERE ${bornWhere} GROUP BY uid),
        cohort ${d.materialized} (SELECT uid, t0, segment, ${bucket} AS bucket FROM born
          WHERE t0 >= ${int(fromMs)} AND t0 < ${int(toMs)})`
    : sql`tagged AS (SELECT uid, time_ms AS t0, ${segment} AS segment FROM ${bornRows} AS b WHERE ${bornWhere}),
        cohort ${d.materialized} (SELECT uid, ${bucket} AS bucket, min(t0) AS t0, ${d.argMin(sql`segment`, sql`(t0, segment)`)} AS segment
          FROM tagged GROUP BY uid, bucket)`;
  const k = d.intDiv(sql`(r.time_ms - c.t0)`, int(L));
  const returns = sql`ret AS (SELECT c.bucket, c.segment, c.uid, ${k} AS k
      FROM cohort c JOIN (SELECT uid, time_ms FROM ${retRows} AS x WHERE ${retWhere}) r
        ON r.uid = c.uid AND r.time_ms > c.t0 AND r.time_ms < c.t0 + ${int(L * (r.intervalCount + 1))})`;
  const counted = r.unbounded
    ? sql`SELECT bucket, segment, k, count(*) AS n FROM (SELECT bucket, segment, uid, max(k) AS k FROM ret GROUP BY ALL) GROUP BY ALL`
    : sql`SELECT bucket, segment, k, count(DISTINCT uid) AS n FROM ret GROUP BY ALL`;
  return sql`WITH ${cohort}, ${returns}
    SELECT bucket, segment, -1 AS k, count(*) AS n FROM cohort GROUP BY ALL
    UNION ALL ${counted}`;
}
