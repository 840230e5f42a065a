import type { Expr } from "@mpkit/expr";
import { type Sql, sql } from "@mpkit/sql";
import { bucketSql, int, localMsSql, utcRange } from "../buckets.js";
import type { QueryDialect } from "../dialect.js";
import type { FunnelRequest } from "../params/funnels.js";
import type { ProjectRef } from "../project.js";
import { EventScan } from "../scan.js";

/**
 * Whether step `k` must come strictly after step `k-1`. A step whose event already appeared earlier in
 * the funnel could otherwise reuse the very event that matched an earlier step; other steps may share
 * the previous step's millisecond (decision recorded in docs/compatibility.md).
 */
export function strictAfter(events: readonly string[], k: number): boolean {
  return events.slice(0, k).includes(events[k] ?? "");
}

/**
 * SQL for a funnel (section 4.2, join/CTE form): for each bucket, each user enters once at their first
 * step-0 event in the bucket (once per segment with `on`); step k is the earliest matching event after
 * step k-1 and before entry + window, searched past `to_date`. Rows: `bucket`, `segment`, `step`, `n`
 * (users), `dt` (sum of ms from the previous step) and `dt0` (sum of ms from entry).
 *
 * @example
 * ```ts
 * const q = planFunnel(project, request, undefined, duckdbQueryDialect);
 * ```
 */
export function planFunnel(
  project: ProjectRef,
  f: FunnelRequest,
  on: Expr | undefined,
  d: QueryDialect,
): Sql {
  const scan = new EventScan(project, true);
  const global = scan.where(f.where);
  const stepConds = f.steps.map((s) => sql`(event = ${s.event} AND ${scan.where(s.where)})`);
  const segment = on === undefined ? sql`''` : scan.segment(on);
  const { fromMs, toMs } = utcRange(project.timezone, f.fromDay, f.toDay);
  const names = [...new Set(f.steps.map((s) => s.event))];
  const rows = scan.rows({ events: names, fromMs, toMs: toMs + f.windowMs });
  const bucket = bucketSql(localMsSql(sql`time_ms`, project.timezone, fromMs, toMs), f.bucketing, d);
  const flags = stepConds.map((c, i) => sql`${c} AS ${sql.ident(`s${i}`)}`);
  const ctes: Sql[] = [
    sql`ev ${d.materialized} (SELECT uid, time_ms, ${flags.length > 0 ? sql.join(flags) : sql`TRUE AS s0`},
      CASE WHEN time_ms < ${int(toMs)} THEN ${bucket} END AS bucket, ${segment} AS segment
      FROM ${rows} AS r WHERE ${global} AND (${sql.join(stepConds, " OR ")}))`,
    sql`f0 AS (SELECT bucket, segment, uid, min(time_ms) AS t0, min(time_ms) AS t_0
      FROM ev WHERE s0 AND bucket IS NOT NULL GROUP BY bucket, segment, uid)`,
  ];
  const events = f.steps.map((s) => s.event);
  for (let k = 1; k < f.steps.length; k++) {
    const prev = sql.ident(`f${k - 1}`);
    const tPrev = sql.ident(`t_${k - 1}`);
    const cmp = strictAfter(events, k) ? sql`>` : sql`>=`;
    ctes.push(sql`${sql.ident(`f${k}`)} AS (SELECT p.bucket, p.segment, p.uid, p.t0, p.${tPrev}, min(ev.time_ms) AS ${sql.ident(`t_${k}`)}
      FROM ${prev} p JOIN ev ON ev.uid = p.uid AND ev.${sql.ident(`s${k}`)} AND ev.time_ms ${cmp} p.${tPrev}
        AND ev.time_ms < p.t0 + ${int(f.windowMs)}
      GROUP BY p.bucket, p.segment, p.uid, p.t0, p.${tPrev})`);
  }
  const parts = f.steps.map((_, k) => {
    const t = sql.ident(`t_${k}`);
    const tPrev = sql.ident(`t_${Math.max(0, k - 1)}`);
    return sql`SELECT bucket, segment, ${int(k)} AS step, count(*) AS n,
      sum(${t} - ${tPrev}) AS dt, sum(${t} - t0) AS dt0 FROM ${sql.ident(`f${k}`)} GROUP BY bucket, segment`;
  });
  return sql`WITH ${sql.join(ctes, ", ")} ${sql.join(parts, " UNION ALL ")}`;
}
