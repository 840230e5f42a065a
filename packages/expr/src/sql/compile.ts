import { type Sql, sql } from "@mpkit/sql";
import type { Expr } from "../ast.js";
import { parse } from "../parser.js";
import { type CompileContext, Compiler } from "./compiler.js";
import type { BoundColumn } from "./dialect.js";
import { textOf } from "./functions.js";
import { asBool, firstOf, isNull } from "./typed.js";

export type { CompileContext } from "./compiler.js";

const toTree = (e: Expr | string): Expr => (typeof e === "string" ? parse(e) : e);

/**
 * Compiles several expressions over the same rows so that they share one extraction per property.
 * `where()`/`segment()` return expressions over the aliases in {@link columns}; either project those
 * columns in an inner `SELECT` yourself, or wrap each expression with {@link wrap}.
 *
 * @example
 * ```ts
 * const c = new ExprCompiler(ctx);
 * const where = c.where('properties["plan"] == "pro"');
 * const seg = c.segment('properties["$os"]');
 * const cols = sql.join(c.columns.map((b) => sql`${b.expr} AS ${sql.ident(b.alias)}`));
 * const q = sql`SELECT ${seg} AS segment, count(*) FROM (SELECT *, ${cols} FROM events) WHERE ${where} GROUP BY 1`;
 * ```
 */
export class ExprCompiler {
  private readonly c: Compiler;

  constructor(ctx: CompileContext) {
    this.c = new Compiler(ctx);
  }

  /** The per-row inputs the compiled expressions read, by alias. */
  get columns(): readonly BoundColumn[] {
    return this.c.columns;
  }

  /** BOOLEAN, TRUE exactly when the expression is `true` (false and undefined drop the row, section 2.4). */
  where(expr: Expr | string): Sql {
    const t = this.c.compile(toTree(expr), new Map());
    const b = asBool(t, this.c.d);
    return b === undefined ? sql.raw("FALSE") : sql`(${b} IS TRUE)`;
  }

  /** VARCHAR, never NULL: the segment name of the value, equal to `segmentName()` of the evaluated value. */
  segment(expr: Expr | string): Sql {
    const c = this.c;
    const d = c.d;
    const t = c.compile(toTree(expr), new Map());
    if (t.kind === "list") return d.value(JSON.stringify(t.items));
    // Undefined has no text and no JSON; null prints as "null" (JSON text of a JSON null, or `nul`).
    const nul = t.kind === "json" || t.kind === "var" ? undefined : isNull(t, d);
    return firstOf([
      textOf(c, t),
      t.kind === "json" || t.kind === "var" ? d.jsonText(t.sql) : undefined,
      nul && sql`CASE WHEN ${nul} THEN 'null' END`,
      sql.raw("'undefined'"),
    ]) as Sql;
  }

  /** Makes an expression from this compiler self-contained (computes {@link columns} in a subquery). */
  wrap(body: Sql): Sql {
    return this.c.finish(body);
  }
}

/**
 * Compiles a `where` expression to a self-contained SQL predicate that is TRUE exactly when the expression
 * evaluates to `true` (false and undefined both drop the row, mixpanel-read-side.md 2.4). Never NULL.
 *
 * @example
 * ```ts
 * const where = compileWhere('properties["$os"] == "iOS"', {
 *   dialect: duckdbExprDialect, properties: sql.ident("properties"), time: sql.ident("time_ms"),
 * });
 * const q = sql`SELECT count(*) FROM events WHERE ${where}`;
 * ```
 * @throws {ExprError} when the text does not parse.
 */
export function compileWhere(expr: Expr | string, ctx: CompileContext): Sql {
  const c = new ExprCompiler(ctx);
  return c.wrap(c.where(expr));
}

/**
 * Compiles an `on` expression to a self-contained VARCHAR grouping key whose text is the segment name
 * Mixpanel returns (`"US"`, `"true"`, `"42"`, `"undefined"`, section 3.1). Never NULL.
 *
 * @example
 * ```ts
 * const key = compileSegment('properties["plan"]', ctx);
 * const q = sql`SELECT ${key} AS segment, count(*) FROM events GROUP BY segment`;
 * ```
 */
export function compileSegment(expr: Expr | string, ctx: CompileContext): Sql {
  const c = new ExprCompiler(ctx);
  return c.wrap(c.segment(expr));
}
