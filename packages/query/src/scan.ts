import { duckdbExprDialect, type Expr, ExprCompiler, ExprError } from "@mpkit/expr";
import { type Sql, sql } from "@mpkit/sql";
import { int } from "./buckets.js";
import { badRequest } from "./errors.js";
import type { ProjectRef } from "./project.js";

/**
 * Resolved identity: the canonical id of the event's cluster, or the id as sent. Joining at read time
 * makes merges retroactive, as Mixpanel's are (mixpanel-read-side.md 4.1).
 */
export const RESOLVED_ID = sql.raw("COALESCE(i.canonical_id, e.distinct_id)");

const IDENTITY_JOIN = sql.raw(
  "LEFT JOIN identities i ON i.project_id = e.project_id AND i.distinct_id = e.distinct_id",
);

/** Which stored events a scan reads. */
export interface ScanFilter {
  /** Event names; `undefined` reads every event. */
  readonly events?: readonly string[] | undefined;
  readonly fromMs?: number | undefined;
  readonly toMs?: number | undefined;
}

/**
 * One pass over the events table with expressions compiled against it. Expressions (`where`, `on`,
 * per-step filters) share one {@link ExprCompiler}, so each property is extracted from the JSON once
 * per row; {@link rows} projects those extractions in an inner `SELECT` and every compiled expression
 * reads them by alias in the outer query.
 *
 * @example
 * ```ts
 * const scan = new EventScan(project);
 * const where = scan.where(parse('properties["plan"] == "pro"'));
 * const q = sql`SELECT count(*) FROM ${scan.rows({ events: ["Signed Up"] })} WHERE ${where}`;
 * ```
 */
export class EventScan {
  private readonly compiler: ExprCompiler;
  private usesId = false;

  constructor(
    readonly project: ProjectRef,
    /** Join identities even when no expression reads the id (unique counts, funnels, retention). */
    private readonly resolveIds = false,
  ) {
    this.compiler = new ExprCompiler({
      dialect: duckdbExprDialect,
      properties: sql.raw("e.properties"),
      time: sql.raw("e.time_ms"),
      distinctId: RESOLVED_ID,
      timezone: project.timezone,
    });
  }

  /** A predicate that is TRUE exactly when the expression is `true` (section 2.4 "Filter result"). */
  where(expr: Expr | undefined): Sql {
    if (expr === undefined) return sql.raw("TRUE");
    return this.guard(() => this.compiler.where(expr));
  }

  /** The segment name of an `on` expression (VARCHAR, never NULL; `"undefined"` when missing). */
  segment(expr: Expr): Sql {
    return this.guard(() => this.compiler.segment(expr));
  }

  private guard(make: () => Sql): Sql {
    try {
      const out = make();
      if (this.compiler.columns.some((c) => JSON.stringify(c.expr.chunks).includes("canonical_id"))) {
        this.usesId = true;
      }
      return out;
    } catch (error) {
      if (error instanceof ExprError) throw badRequest(error.message);
      throw error;
    }
  }

  /**
   * A parenthesised subquery of the matching rows with columns `time_ms`, `event`, `uid` (resolved id)
   * and the compiled expressions' inputs. Call after compiling every expression.
   */
  rows(filter: ScanFilter, extra: readonly Sql[] = []): Sql {
    const conds = [sql`e.project_id = ${int(this.project.id)}`];
    if (filter.events !== undefined) {
      conds.push(
        filter.events.length === 0
          ? sql`FALSE`
          : sql`e.event IN (${sql.join(filter.events.map((n) => sql`${n}`))})`,
      );
    }
    if (filter.fromMs !== undefined) conds.push(sql`e.time_ms >= ${int(filter.fromMs)}`);
    if (filter.toMs !== undefined) conds.push(sql`e.time_ms < ${int(filter.toMs)}`);
    const join = this.resolveIds || this.usesId;
    const cols = [
      sql`e.time_ms AS time_ms`,
      sql`e.event AS event`,
      join ? sql`${RESOLVED_ID} AS uid` : sql`e.distinct_id AS uid`,
      ...this.compiler.columns.map((c) => sql`${c.expr} AS ${sql.ident(c.alias)}`),
      ...extra,
    ];
    return sql`(SELECT ${sql.join(cols)} FROM events e ${join ? IDENTITY_JOIN : sql.empty}
      WHERE ${sql.join(conds, " AND ")})`;
  }
}
