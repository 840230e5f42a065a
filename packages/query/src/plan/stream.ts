import { type Sql, sql } from "@mpkit/sql";
import { int, utcRange } from "../buckets.js";
import type { StreamRequest } from "../params/stream.js";
import type { ProjectRef } from "../project.js";
import { RESOLVED_ID } from "../scan.js";

/**
 * The activity feed of some users: their events (any id in their clusters) in time order, with the
 * resolved id. Columns `event`, `time_ms`, `uid`, `properties` (JSON text).
 *
 * @example
 * ```ts
 * planStream(project, { distinctIds: ["u1"], fromDay, toDay, limit: 1000 });
 * ```
 */
export function planStream(project: ProjectRef, r: StreamRequest): Sql {
  const { fromMs, toMs } = utcRange(project.timezone, r.fromDay, r.toDay);
  const ids = r.distinctIds.length === 0 ? sql`NULL` : sql.join(r.distinctIds.map((id) => sql`${id}`));
  // A requested id stands for its whole cluster: resolve it first, then match every event resolving there.
  const wanted = sql`SELECT DISTINCT COALESCE(c.canonical_id, w.id) AS uid
    FROM (SELECT unnest([${ids}]) AS id) w
    LEFT JOIN identities c ON c.project_id = ${int(project.id)} AND c.distinct_id = w.id`;
  return sql`SELECT e.event, e.time_ms, ${RESOLVED_ID} AS uid, CAST(e.properties AS VARCHAR) AS properties
    FROM events e LEFT JOIN identities i ON i.project_id = e.project_id AND i.distinct_id = e.distinct_id
    WHERE e.project_id = ${int(project.id)} AND e.time_ms >= ${int(fromMs)} AND e.time_ms < ${int(toMs)}
      AND ${RESOLVED_ID} IN (${wanted})
    ORDER BY e.time_ms, e.event LIMIT ${int(r.limit)}`;
}
