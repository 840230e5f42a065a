import { type Sql, sql } from "@mpkit/sql";
import { DAY_MS, int } from "../buckets.js";
import type { QueryDialect } from "../dialect.js";
import type { CountType } from "../params/common.js";
import type { ProjectRef } from "../project.js";
import { EventScan } from "../scan.js";

/** The window behind `/events/names` and `/events/properties/top` (section 3.10: "the last 31 days"). */
export const RECENT_DAYS = 31;

const measure = (type: CountType): Sql => (type === "general" ? sql`count(*)` : sql`count(DISTINCT uid)`);

/**
 * Per-event volume over `[fromMs, toMs)`: columns `event`, `amount` (events or users by `type`), most
 * first, then by name. Feeds `/events/names` and `/events/top`.
 *
 * @example
 * ```ts
 * planEventVolumes(project, "general", 0, Date.now(), 255);
 * ```
 */
export function planEventVolumes(
  project: ProjectRef,
  type: CountType,
  fromMs: number,
  toMs: number,
  limit: number | undefined,
): Sql {
  const scan = new EventScan(project, type !== "general");
  const rows = scan.rows({ fromMs, toMs });
  const lim = limit === undefined ? sql.empty : sql`LIMIT ${int(limit)}`;
  return sql`SELECT event, ${measure(type)} AS amount FROM ${rows} AS r GROUP BY event ORDER BY amount DESC, event ${lim}`;
}

/**
 * Property names of an event with how many events carry each (last 31 days), most first: columns
 * `name`, `count`. Feeds `/events/properties/top` (section 3.12).
 *
 * @example
 * ```ts
 * planPropertyNames(project, "Login", Date.now(), 10, duckdbQueryDialect);
 * ```
 */
export function planPropertyNames(
  project: ProjectRef,
  event: string,
  nowMs: number,
  limit: number,
  d: QueryDialect,
): Sql {
  return sql`SELECT name, count(*) AS count FROM (
      SELECT ${d.jsonKeys(sql`e.properties`)} AS name FROM events e
      WHERE e.project_id = ${int(project.id)} AND e.event = ${event}
        AND e.time_ms >= ${int(nowMs - RECENT_DAYS * DAY_MS)} AND e.time_ms <= ${int(nowMs)})
    GROUP BY name ORDER BY count DESC, name LIMIT ${int(limit)}`;
}

/**
 * Values of one property of an event (last 31 days), as segment names, most frequent first; events
 * without the property are left out. Column `value`. Feeds `/events/properties/values` (section 3.13).
 *
 * @example
 * ```ts
 * planPropertyValues(project, "Login", "plan", Date.now(), 255);
 * ```
 */
export function planPropertyValues(
  project: ProjectRef,
  event: string,
  name: string,
  nowMs: number,
  limit: number,
): Sql {
  const scan = new EventScan(project);
  const prop = { type: "property" as const, source: "properties" as const, name, pos: 0 };
  const value = scan.segment(prop);
  const defined = scan.where({ type: "call", name: "defined", args: [prop], pos: 0 });
  const rows = scan.rows({ events: [event], fromMs: nowMs - RECENT_DAYS * DAY_MS, toMs: nowMs + 1 });
  return sql`SELECT ${value} AS value, count(*) AS n FROM ${rows} AS r WHERE ${defined}
    GROUP BY 1 ORDER BY n DESC, value LIMIT ${int(limit)}`;
}
