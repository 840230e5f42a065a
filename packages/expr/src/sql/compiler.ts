import { type Sql, sql } from "@mpkit/sql";
import type { Expr, ScalarLiteral } from "../ast.js";
import { ExprError } from "../errors.js";
import { DISTINCT_ID_NAME, TIME_NAMES } from "../evaluate.js";
import { compileRegex, type ExprOptions, toDate } from "../values.js";
import type { BoundColumn, ExprDialect } from "./dialect.js";
import { compileFunction } from "./functions.js";
import {
  anyOf,
  asBool,
  asDate,
  asList,
  asNum,
  asStr,
  FALSE,
  firstOf,
  isMemberCandidate,
  isNull,
  isUndef,
  NULL,
  scalar,
  type Typed,
  toVar,
  undef,
} from "./typed.js";

/**
 * Where the compiled expression reads its inputs. Mirrors the evaluator's `Scope`.
 *
 * @example
 * ```ts
 * const ctx: CompileContext = {
 *   dialect: duckdbExprDialect,
 *   properties: sql.ident("properties"),
 *   time: sql.ident("time_ms"),
 *   distinctId: sql.ident("distinct_id"),
 *   timezone: "UTC",
 * };
 * ```
 */
export interface CompileContext extends ExprOptions {
  readonly dialect: ExprDialect;
  /** The JSON column read by `properties["x"]` (and `event["x"]`): event or profile properties. */
  readonly properties: Sql;
  /** The profile JSON column read by `user["x"]`; when absent, `user["x"]` is undefined. */
  readonly user?: Sql;
  /** Event time in epoch ms (BIGINT); when present, `properties["time"]`, `["$time"]` and `event["$time"]` read it. */
  readonly time?: Sql;
  /** Resolved distinct id (VARCHAR); when present, `properties["distinct_id"]` reads it. */
  readonly distinctId?: Sql;
}

/** Compiler state for one expression: the property extractions shared by every use. */
export class Compiler {
  readonly columns: BoundColumn[] = [];
  private readonly byKey = new Map<string, Sql>();
  readonly d: ExprDialect;

  constructor(readonly ctx: CompileContext) {
    this.d = ctx.dialect;
  }

  /**
   * Each input (a property extracted from JSON, the time column, ...) is computed once per row however
   * often the expression uses it, and the expression reads it by alias. Reading every input by alias also
   * keeps outer columns out of lambdas, which DuckDB cannot resolve inside a correlated subquery.
   */
  private bound(key: string, make: () => Sql): Sql {
    let ref = this.byKey.get(key);
    if (ref === undefined) {
      const alias = `__mpx_p${this.columns.length}`;
      this.columns.push({ alias, expr: make() });
      ref = sql.ident(alias);
      this.byKey.set(key, ref);
    }
    return ref;
  }

  private member(doc: Sql, source: string, name: string): Sql {
    return this.bound(`${source}\u0000${name}`, () => this.d.jsonMember(doc, name));
  }

  /** Wraps a row-level result so that the shared extractions are in scope. */
  finish(body: Sql): Sql {
    return this.d.withColumns(this.columns, body);
  }

  literal(v: ScalarLiteral | undefined | readonly ScalarLiteral[]): Typed {
    const d = this.d;
    if (v === undefined) return undef;
    if (v === null) return { kind: "json", sql: d.jsonLiteral("null"), nonNull: false };
    if (Array.isArray(v)) return { kind: "list", sql: NULL, items: v, nonNull: true };
    if (typeof v === "string") return scalar("str", d.value(v), { nonNull: true });
    if (typeof v === "number") return scalar("num", d.value(v), { nonNull: true });
    return scalar("bool", d.value(v as boolean), { nonNull: true });
  }

  compile(e: Expr, vars: ReadonlyMap<string, Typed>): Typed {
    const d = this.d;
    switch (e.type) {
      case "literal":
        return this.literal(e.value);
      case "variable": {
        const v = vars.get(e.name);
        if (v === undefined) throw new ExprError(`unknown name '${e.name}'`, e.pos);
        return v;
      }
      case "property": {
        const ctx = this.ctx;
        if (e.source === "user") {
          return ctx.user === undefined
            ? undef
            : { kind: "json", sql: this.member(ctx.user, "user", e.name) };
        }
        const { time, distinctId } = ctx;
        if (time !== undefined && TIME_NAMES.has(e.name)) {
          return scalar(
            "date",
            this.bound("time", () => sql`CAST(${time} AS DOUBLE)`),
          );
        }
        if (distinctId !== undefined && e.name === DISTINCT_ID_NAME) {
          return scalar(
            "str",
            this.bound("distinct_id", () => distinctId),
          );
        }
        return { kind: "json", sql: this.member(ctx.properties, "properties", e.name) };
      }
      case "unary": {
        const a = this.compile(e.arg, vars);
        if (e.op === "-") {
          const n = asNum(a, d);
          return n === undefined ? undef : scalar("num", sql`(- ${n})`);
        }
        const b = asBool(a, d);
        const u = isUndef(a);
        return scalar(
          "bool",
          b === undefined
            ? sql`CASE WHEN ${u} THEN TRUE END`
            : sql`CASE WHEN ${u} THEN TRUE ELSE NOT ${b} END`,
        );
      }
      case "binary":
        return this.binary(e.op, this.compile(e.left, vars), this.compile(e.right, vars));
      case "call":
        if (e.name === "regex_match") {
          const re = compileRegex((e.args[1] as { value: string }).value);
          const s = asStr(this.compile(e.args[0] as Expr, vars), d);
          return s === undefined ? undef : scalar("bool", d.regexMatch(s, re.body, re.caseSensitive));
        }
        if (e.name === "datetime" && e.args[0]?.type === "literal") {
          // Constant dates are computed here, by the same code the evaluator runs.
          const v = e.args[0].value;
          const date = toDate(Array.isArray(v) ? undefined : (v as ScalarLiteral | undefined), this.ctx);
          return date === undefined ? undef : scalar("date", d.value(date.ms), { nonNull: true });
        }
        if (e.name === "if") {
          const [c, a, b] = e.args.map((x) => this.compile(x, vars)) as [Typed, Typed, Typed];
          return this.choose(sql`coalesce(${asBool(c, d) ?? FALSE}, FALSE)`, a, b);
        }
        return compileFunction(
          this,
          e.name,
          e.args.map((x) => this.compile(x, vars)),
        );
      case "any": {
        const list = asList(this.compile(e.list, vars), d);
        if (list === undefined) return undef;
        return scalar(
          "bool",
          d.bind(list, (l) => {
            const body = d.jsonArrayAny(l, (element) => {
              const inner = new Map(vars);
              inner.set(e.variable, { kind: "json", sql: element, nonNull: false });
              return sql`(${asBool(this.compile(e.predicate, inner), d) ?? FALSE} IS TRUE)`;
            });
            return sql`CASE WHEN ${l} IS NOT NULL THEN ${body} END`;
          }),
        );
      }
    }
  }

  /** `if`: keeps a static shape when both branches share one, else falls back to the general `var` shape. */
  choose(cond: Sql, a: Typed, b: Typed): Typed {
    const d = this.d;
    if (
      a.kind === b.kind &&
      (a.kind === "bool" || a.kind === "num" || a.kind === "str" || a.kind === "date")
    ) {
      const nul =
        a.nul === undefined && b.nul === undefined
          ? undefined
          : sql`CASE WHEN ${cond} THEN ${a.nul ?? FALSE} ELSE ${b.nul ?? FALSE} END`;
      return scalar(a.kind, sql`CASE WHEN ${cond} THEN ${a.sql} ELSE ${b.sql} END`, {
        ...(nul ? { nul } : {}),
        nonNull: a.nonNull === true && b.nonNull === true,
      });
    }
    if (a.kind === "undef" && b.kind === "undef") return undef;
    const x = toVar(a, d);
    const y = toVar(b, d);
    return {
      kind: "var",
      sql: sql`CASE WHEN ${cond} THEN ${x.json} ELSE ${y.json} END`,
      date: sql`CASE WHEN ${cond} THEN ${x.date} ELSE ${y.date} END`,
    };
  }

  /** Folds case when the case-insensitive switch is on. */
  fold(s: Sql): Sql {
    return this.ctx.caseInsensitive ? this.d.lower(s) : s;
  }

  /** `==`: BOOLEAN, never NULL. */
  equals(a: Typed, b: Typed): Sql {
    const d = this.d;
    const pair = (x: Sql | undefined, y: Sql | undefined, f: (x: Sql, y: Sql) => Sql) =>
      x !== undefined && y !== undefined ? f(x, y) : undefined;
    const eq = (x: Sql, y: Sql) => sql`(${x} = ${y})`;
    const parts = [
      pair(asStr(a, d), asStr(b, d), (x, y) => eq(this.fold(x), this.fold(y))),
      pair(asNum(a, d), asNum(b, d), eq),
      pair(asBool(a, d), asBool(b, d), eq),
      pair(asDate(a), asDate(b), eq),
      pair(isNull(a, d), isNull(b, d), (x, y) => sql`(${x} AND ${y})`),
    ];
    const ua = isUndef(a);
    const ub = isUndef(b);
    if (ua !== FALSE && ub !== FALSE) parts.push(sql`(${ua} AND ${ub})`);
    return anyOf(parts);
  }

  private order(op: string, a: Typed, b: Typed): Typed {
    const d = this.d;
    const o = sql.raw(op);
    const cmp = (x: Sql | undefined, y: Sql | undefined) => (x && y ? sql`(${x} ${o} ${y})` : undefined);
    const sa = asStr(a, d);
    const sb = asStr(b, d);
    const r = firstOf([
      cmp(asNum(a, d), asNum(b, d)),
      sa && sb ? cmp(this.fold(sa), this.fold(sb)) : undefined,
      cmp(asDate(a), asDate(b)),
    ]);
    return r === undefined ? undef : scalar("bool", r);
  }

  private arith(op: "+" | "-" | "*" | "/" | "%", a: Typed, b: Typed): Typed {
    const d = this.d;
    const x = asNum(a, d);
    const y = asNum(b, d);
    let n: Sql | undefined;
    if (x && y) {
      if (op === "%") n = d.modulo(x, y);
      else if (op === "/") n = d.finite(sql`(${x} / nullif(${y}, 0))`);
      else n = d.finite(sql`(${x} ${sql.raw(op)} ${y})`);
    }
    const sx = op === "+" ? asStr(a, d) : undefined;
    const sy = op === "+" ? asStr(b, d) : undefined;
    const s = sx && sy ? sql`(${sx} || ${sy})` : undefined;
    if (n && s) return { kind: "json", sql: sql`coalesce(${d.toJson(n)}, ${d.toJson(s)})` };
    if (n) return scalar("num", n);
    if (s) return scalar("str", s);
    return undef;
  }

  private member_in(a: Typed, b: Typed): Typed {
    const d = this.d;
    const sa = asStr(a, d);
    const sb = asStr(b, d);
    const substring = sa && sb ? d.contains(this.fold(sb), this.fold(sa)) : undefined;
    const candidate = isMemberCandidate(a, d);
    let membership: Sql | undefined;
    if (candidate !== undefined && b.kind === "list") {
      const items = b.items ?? [];
      const strings = items.filter((i): i is string => typeof i === "string");
      const numbers = items.filter((i): i is number => typeof i === "number");
      const bools = items.filter((i): i is boolean => typeof i === "boolean");
      const inList = (x: Sql | undefined, vals: readonly (string | number | boolean)[], f = (s: Sql) => s) =>
        x && vals.length > 0 ? sql`(${f(x)} IN (${sql.join(vals.map((v) => f(d.value(v))))}))` : undefined;
      const parts = [
        inList(asStr(a, d), strings, (s) => this.fold(s)),
        inList(asNum(a, d), numbers),
        inList(asBool(a, d), bools),
        items.includes(null) ? isNull(a, d) : undefined,
      ];
      membership = sql`CASE WHEN ${candidate} THEN ${anyOf(parts)} END`;
    } else if (candidate !== undefined) {
      const list = asList(b, d);
      if (list) {
        membership = d.bind(
          list,
          (l) =>
            sql`CASE WHEN ${candidate} AND ${l} IS NOT NULL THEN ${d.jsonArrayAny(l, (el) => this.equals(a, { kind: "json", sql: el }))} END`,
        );
      }
    }
    const r = firstOf([substring, membership]);
    return r === undefined ? undef : scalar("bool", r);
  }

  private binary(op: string, a: Typed, b: Typed): Typed {
    const d = this.d;
    switch (op) {
      case "and":
      case "or": {
        const x = sql`coalesce(${asBool(a, d) ?? FALSE}, FALSE)`;
        const y = sql`coalesce(${asBool(b, d) ?? FALSE}, FALSE)`;
        return scalar("bool", sql`(${x} ${sql.raw(op === "and" ? "AND" : "OR")} ${y})`, { nonNull: true });
      }
      case "==":
        return scalar("bool", this.equals(a, b), { nonNull: true });
      case "!=":
        return scalar("bool", sql`(NOT ${this.equals(a, b)})`, { nonNull: true });
      case ">":
      case ">=":
      case "<":
      case "<=":
        return this.order(op, a, b);
      case "in":
        return this.member_in(a, b);
      case "+":
      case "-":
      case "*":
      case "/":
      case "%":
        return this.arith(op, a, b);
      default:
        throw new ExprError(`unknown operator ${op}`, 0);
    }
  }
}
