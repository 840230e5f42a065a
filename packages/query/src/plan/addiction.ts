import { type Sql, sql } from "@mpkit/sql";
import { bucketSql, DAY_MS, int, localMsSql, utcRange } from "../buckets.js";
import type { QueryDialect } from "../dialect.js";
import type { AddictionRequest } from "../params/retention.js";
import type { ProjectRef } from "../project.js";
import { EventScan } from "../scan.js";

/**
 * SQL for frequency (section 4.4): per `unit` bucket and user, the number of distinct `addiction_unit`
 * slots (local hours or days) with the event. Rows: `bucket`, `segment`, `slots`, `n` users.
 *
 * @example
 * ```ts
 * const q = planAddiction(project, request, false, duckdbQueryDialect);
 * ```
 */
export function planAddiction(
  project: ProjectRef,
  a: AddictionRequest,
  segmented: boolean,
  d: QueryDialect,
): Sql {
  const scan = new EventScan(project, true);
  const where = scan.where(a.where);
  const segment = segmented && a.on !== undefined ? scan.segment(a.on) : sql`''`;
  const { fromMs, toMs } = utcRange(project.timezone, a.fromDay, a.toDay);
  const rows = scan.rows({ events: a.event === undefined ? undefined : [a.event], fromMs, toMs });
  const local = localMsSql(sql`time_ms`, project.timezone, fromMs, toMs);
  const bucket = bucketSql(local, { unit: a.unit, timezone: project.timezone }, d);
  const slot = d.intDiv(local, int(a.addictionUnit === "hour" ? 3_600_000 : DAY_MS));
  return sql`SELECT bucket, segment, slots, count(*) AS n FROM (
      SELECT ${bucket} AS bucket, ${segment} AS segment, uid, count(DISTINCT ${slot}) AS slots
      FROM ${rows} AS r WHERE ${where} GROUP BY ALL)
    GROUP BY ALL`;
}
