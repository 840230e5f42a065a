import { duckdbExprDialect, ExprCompiler } from "@mpkit/expr";
import { type Sql, sql } from "@mpkit/sql";
import { DAY_MS, int } from "../buckets.js";
import { parseExpression } from "../params/common.js";
import type { ProjectRef } from "../project.js";
import type { CohortDefinition } from "../reports/types.js";
import { EventScan } from "../scan.js";

/**
 * A profile filter over the `profiles` table: `properties["x"]` reads the profile (section 2.2).
 *
 * @example
 * ```ts
 * const { rows, where } = profileFilter(project, "", parse('properties["plan"] == "pro"'));
 * ```
 */
export function profileRows(
  project: ProjectRef,
  groupKey: string,
  build: (c: ExprCompiler) => Sql,
): { rows: Sql; where: Sql } {
  const c = new ExprCompiler({
    dialect: duckdbExprDialect,
    properties: sql.raw("p.properties"),
    distinctId: sql.raw("p.id"),
    timezone: project.timezone,
  });
  const where = build(c);
  const cols = [
    sql`p.id AS id`,
    sql`p.properties AS properties`,
    ...c.columns.map((b) => sql`${b.expr} AS ${sql.ident(b.alias)}`),
  ];
  return {
    rows: sql`(SELECT ${sql.join(cols)} FROM profiles p WHERE p.project_id = ${int(project.id)} AND p.group_key = ${groupKey})`,
    where,
  };
}

/**
 * SQL for a cohort's members (one column `uid`): users meeting every behavioural rule ("did X at least N
 * times in the last D days", counted up to `nowMs` by resolved identity) and, with a `selector`, whose
 * profile matches it. A cohort with neither is every user profile.
 *
 * @example
 * ```ts
 * const q = sql`SELECT count(*) FROM (${planCohortMembers(project, def, Date.now())})`;
 * ```
 */
export function planCohortMembers(project: ProjectRef, def: CohortDefinition, nowMs: number): Sql {
  const sets: Sql[] = [];
  for (const [i, b] of (def.behaviors ?? []).entries()) {
    const scan = new EventScan(project, true);
    const where = scan.where(
      b.selector === undefined ? undefined : parseExpression(`behaviors[${i}].selector`, b.selector),
    );
    const rows = scan.rows({ events: [b.event], fromMs: nowMs - b.days * DAY_MS, toMs: nowMs + 1 });
    const max = b.max === undefined ? sql.empty : sql`AND count(*) <= ${int(b.max)}`;
    sets.push(
      sql`SELECT uid FROM ${rows} AS r WHERE ${where} GROUP BY uid HAVING count(*) >= ${int(b.min ?? 1)} ${max}`,
    );
  }
  if (def.selector !== undefined || sets.length === 0) {
    const expr = def.selector === undefined ? undefined : parseExpression("selector", def.selector);
    const { rows, where } = profileRows(project, "", (c) => (expr === undefined ? sql`TRUE` : c.where(expr)));
    sets.push(sql`SELECT id AS uid FROM ${rows} AS p WHERE ${where}`);
  }
  return sql.join(
    sets.map((s) => sql`(${s})`),
    " INTERSECT ",
  );
}
