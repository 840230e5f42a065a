import { type Sql, sql } from "@mpkit/sql";
import { int } from "../buckets.js";
import type { EngageRequest } from "../params/engage.js";
import type { ProjectRef } from "../project.js";
import { profileRows } from "./cohorts.js";

/**
 * SQL for one `/engage` page: columns `id`, `properties` (JSON text, `{}` for cohort members without a
 * profile) and `total` (all matches, section 3.14: clients page with `ceil(total / page_size)`), ordered
 * by id so pages are stable.
 *
 * @example
 * ```ts
 * const q = planEngage(project, request, undefined);
 * ```
 */
export function planEngage(project: ProjectRef, r: EngageRequest, members: Sql | undefined): Sql {
  const { rows, where } = profileRows(project, r.groupKey, (c) =>
    r.where === undefined ? sql`TRUE` : c.where(r.where),
  );
  const conds = [where];
  if (r.distinctIds !== undefined) {
    conds.push(
      r.distinctIds.length === 0
        ? sql`FALSE`
        : sql`p.id IN (${sql.join(r.distinctIds.map((id) => sql`${id}`))})`,
    );
  }
  const memberIds =
    r.distinctIds === undefined
      ? sql`TRUE`
      : r.distinctIds.length === 0
        ? sql`FALSE`
        : sql`m.uid IN (${sql.join(r.distinctIds.map((id) => sql`${id}`))})`;
  let source = sql`SELECT p.id, p.properties FROM ${rows} AS p WHERE ${sql.join(conds, " AND ")}`;
  if (members !== undefined) {
    source = r.includeAllUsers
      ? // Cohort members without a profile still count (include_all_users, section 3.14); the where then
        // sees an empty profile.
        sql`SELECT m.uid AS id, coalesce(p.properties, '{}'::JSON) AS properties
          FROM (${members}) m LEFT JOIN ${rows} AS p ON p.id = m.uid
          WHERE ${sql.join(conds, " AND ")} OR (p.id IS NULL AND ${r.where === undefined ? memberIds : sql`FALSE`})`
      : sql`${source} AND p.id IN (${members})`;
  }
  return sql`SELECT id, CAST(properties AS VARCHAR) AS properties, count(*) OVER () AS total
    FROM (${source}) s ORDER BY id LIMIT ${int(r.pageSize)} OFFSET ${int(r.page * r.pageSize)}`;
}
