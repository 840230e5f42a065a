import { type Sql, sql } from "@mpkit/sql";
import type { Compiler } from "./compiler.js";
import {
  asBool,
  asDate,
  asList,
  asNum,
  asStr,
  FALSE,
  firstOf,
  isNull,
  isUndef,
  scalar,
  type Typed,
  undef,
} from "./typed.js";

/** Epoch-seconds view of a date, as `number(date)` gives in the evaluator. */
const seconds = (ms: Sql): Sql => sql`(${ms} / 1000)`;

/** Text of a scalar for `string()` and segment names; NULL for undefined, null, lists and objects. */
export function textOf(c: Compiler, a: Typed): Sql | undefined {
  const d = c.d;
  const b = asBool(a, d);
  const n = asNum(a, d);
  const dt = asDate(a);
  return firstOf([
    asStr(a, d),
    n && d.formatNumber(n),
    b && sql`CASE WHEN ${b} THEN 'true' WHEN NOT ${b} THEN 'false' END`,
    dt && d.formatDate(dt, c.ctx.timezone ?? "UTC"),
  ]);
}

/** SQL for the built-in functions other than `if`, `any`, `regex_match` and constant `datetime`. */
export function compileFunction(c: Compiler, name: string, args: readonly Typed[]): Typed {
  const d = c.d;
  const a = args[0] as Typed;
  const num = (f: (n: Sql) => Sql): Typed => {
    const n = asNum(a, d);
    return n === undefined ? undef : scalar("num", f(n));
  };
  switch (name) {
    case "defined":
      return scalar("bool", sql`(NOT ${isUndef(a)})`, { nonNull: true });
    case "boolean": {
      // [DOC-PROPS]: false, 0, "", "false", null and undefined are false; every other value is true.
      const s = asStr(a, d);
      const n = asNum(a, d);
      const b = asBool(a, d);
      const falsy = [
        isUndef(a),
        isNull(a, d),
        b && sql`(NOT ${b})`,
        n && sql`(${n} = 0)`,
        s && sql`(${s} IN ('', 'false'))`,
      ].filter((p): p is Sql => p !== undefined && p !== FALSE);
      return scalar(
        "bool",
        falsy.length === 0 ? sql.raw("TRUE") : sql`(NOT coalesce(${sql.join(falsy, " OR ")}, FALSE))`,
        {
          nonNull: true,
        },
      );
    }
    case "number": {
      const s = asStr(a, d);
      const b = asBool(a, d);
      const dt = asDate(a);
      const r = firstOf([
        asNum(a, d),
        s && d.parseDecimal(s),
        b && sql`CASE WHEN ${b} THEN 1.0 WHEN NOT ${b} THEN 0.0 END`,
        dt && seconds(dt),
      ]);
      return r === undefined ? undef : scalar("num", r);
    }
    case "string": {
      const text = textOf(c, a);
      const nul = isNull(a, d);
      const base: Typed =
        text === undefined
          ? nul
            ? scalar("str", sql.raw("CAST(NULL AS VARCHAR)"), { nul })
            : undef
          : scalar("str", text, nul ? { nul } : {});
      const fallback = args[1];
      if (fallback === undefined) return base;
      // The second argument stands in when the first has no text (undefined, null, list, object).
      const missing = text === undefined ? sql.raw("TRUE") : sql`(${text} IS NULL)`;
      return c.choose(missing, fallback, text === undefined ? undef : scalar("str", text));
    }
    case "datetime": {
      const n = asNum(a, d);
      const s = asStr(a, d);
      const r = firstOf([asDate(a), n && sql`(${n} * 1000)`, s && d.parseDate(s, c.ctx.timezone ?? "UTC")]);
      return r === undefined ? undef : scalar("date", r);
    }
    case "floor":
      return num((n) => d.floor(n));
    case "ceil":
      return num((n) => d.ceil(n));
    case "round":
      return num((n) => d.round(n));
    case "has_prefix":
    case "has_suffix": {
      const s = asStr(a, d);
      const p = asStr(args[1] as Typed, d);
      if (s === undefined || p === undefined) return undef;
      const f = name === "has_prefix" ? d.startsWith : d.endsWith;
      return scalar("bool", f(c.fold(s), c.fold(p)));
    }
    case "lower":
    case "upper": {
      const s = asStr(a, d);
      return s === undefined ? undef : scalar("str", name === "lower" ? d.lower(s) : d.upper(s));
    }
    case "len": {
      const s = asStr(a, d);
      const l = asList(a, d);
      const r = firstOf([s && d.length(s), l && d.jsonArrayLength(l)]);
      return r === undefined ? undef : scalar("num", r);
    }
    default:
      throw new Error(`no SQL for function ${name}`);
  }
}
