import { type Sql, sql } from "@mpkit/sql";
import type { ScalarLiteral } from "../ast.js";
import type { ExprDialect } from "./dialect.js";

/**
 * How a compiled sub-expression is represented in SQL. Mixpanel values are dynamically typed; SQL is not.
 * Each node therefore carries the *static* shape of what it can produce:
 * - `bool` / `num` / `str` / `date`: one SQL column of BOOLEAN / DOUBLE / VARCHAR / DOUBLE epoch ms,
 *   where SQL NULL means `undefined` (or Mixpanel `null` when `nul` says so);
 * - `json`: a JSON value of any type (properties), SQL NULL = `undefined`;
 * - `var`: a JSON part plus a date part, for unions that include dates (`if` with mixed branches);
 * - `list`: a list literal whose elements are known at compile time;
 * - `undef`: the constant `undefined`.
 * Static shapes let `properties["x"] == "a"` compile to one type test and one comparison.
 */
export type Kind = "bool" | "num" | "str" | "date" | "json" | "var" | "list" | "undef";

export interface Typed {
  readonly kind: Kind;
  readonly sql: Sql;
  /** `var` only: epoch ms when the value is a date (then `sql` is NULL). */
  readonly date?: Sql;
  /** Scalar kinds only: TRUE when the value is Mixpanel `null` (then `sql` is NULL). */
  readonly nul?: Sql;
  /** Statically known never to be `undefined` or `null`. */
  readonly nonNull?: boolean;
  /** `list` only. */
  readonly items?: readonly ScalarLiteral[];
}

export const NULL = sql.raw("NULL");
export const TRUE = sql.raw("TRUE");
export const FALSE = sql.raw("FALSE");

export const undef: Typed = { kind: "undef", sql: NULL };

export const scalar = (kind: "bool" | "num" | "str" | "date", s: Sql, extra: Partial<Typed> = {}): Typed => ({
  kind,
  sql: s,
  ...extra,
});

/** The JSON part of a `json`/`var`/`list` node. */
function jsonPart(t: Typed, d: ExprDialect): Sql | undefined {
  if (t.kind === "json" || t.kind === "var") return t.sql;
  if (t.kind === "list") return d.jsonLiteral(JSON.stringify(t.items));
  return undefined;
}

function fromJson(t: Typed, d: ExprDialect, kind: "string" | "number" | "boolean", read: (j: Sql) => Sql) {
  const j = t.kind === "json" || t.kind === "var" ? t.sql : undefined;
  if (j === undefined) return undefined;
  return d.bind(j, (r) => sql`CASE WHEN ${d.jsonIs(r, kind)} THEN ${read(r)} END`);
}

/** BOOLEAN, non-NULL only when the value is a boolean; `undefined` (TS) when it never can be. */
export function asBool(t: Typed, d: ExprDialect): Sql | undefined {
  return t.kind === "bool" ? t.sql : fromJson(t, d, "boolean", (j) => d.jsonBoolean(j));
}

export function asNum(t: Typed, d: ExprDialect): Sql | undefined {
  return t.kind === "num" ? t.sql : fromJson(t, d, "number", (j) => d.jsonNumber(j));
}

export function asStr(t: Typed, d: ExprDialect): Sql | undefined {
  return t.kind === "str" ? t.sql : fromJson(t, d, "string", (j) => d.jsonString(j));
}

export function asDate(t: Typed): Sql | undefined {
  return t.kind === "date" ? t.sql : t.kind === "var" ? t.date : undefined;
}

/** JSON array, non-NULL only when the value is a list. */
export function asList(t: Typed, d: ExprDialect): Sql | undefined {
  if (t.kind === "list") return jsonPart(t, d);
  const j = t.kind === "json" || t.kind === "var" ? t.sql : undefined;
  return j === undefined ? undefined : d.bind(j, (r) => sql`CASE WHEN ${d.jsonIs(r, "array")} THEN ${r} END`);
}

/** BOOLEAN, never NULL: the value is `undefined`. */
export function isUndef(t: Typed): Sql {
  if (t.kind === "undef") return TRUE;
  if (t.nonNull || t.kind === "list") return FALSE;
  if (t.kind === "var") return sql`(${t.sql} IS NULL AND ${t.date ?? NULL} IS NULL)`;
  if (t.nul !== undefined) return sql`(${t.sql} IS NULL AND NOT ${t.nul})`;
  return sql`(${t.sql} IS NULL)`;
}

/** BOOLEAN, never NULL: the value is Mixpanel `null`. */
export function isNull(t: Typed, d: ExprDialect): Sql | undefined {
  if (t.kind === "json" || t.kind === "var") return sql`coalesce(${d.jsonIs(t.sql, "null")}, FALSE)`;
  return t.nul;
}

/** BOOLEAN, non-NULL only when the value is a scalar that `in` accepts on its left (string, number, boolean, null). */
export function isMemberCandidate(t: Typed, d: ExprDialect): Sql | undefined {
  if (t.kind === "json" || t.kind === "var") return d.jsonIs(t.sql, "scalar");
  if (t.kind === "bool" || t.kind === "num" || t.kind === "str") {
    if (t.nonNull) return TRUE;
    return t.nul === undefined ? sql`(${t.sql} IS NOT NULL)` : sql`(${t.sql} IS NOT NULL OR ${t.nul})`;
  }
  return undefined;
}

/** Converts any node to the general `var` shape (JSON part + date part). */
export function toVar(t: Typed, d: ExprDialect): { json: Sql; date: Sql } {
  switch (t.kind) {
    case "json":
      return { json: t.sql, date: NULL };
    case "var":
      return { json: t.sql, date: t.date ?? NULL };
    case "list":
      return { json: jsonPart(t, d) as Sql, date: NULL };
    case "date":
      return { json: t.nul ? sql`CASE WHEN ${t.nul} THEN ${d.jsonLiteral("null")} END` : NULL, date: t.sql };
    case "undef":
      return { json: NULL, date: NULL };
    default: {
      const j = d.toJson(t.sql);
      return {
        json: t.nul ? sql`CASE WHEN ${t.nul} THEN ${d.jsonLiteral("null")} ELSE ${j} END` : j,
        date: NULL,
      };
    }
  }
}

/** `x ?? fallback` over several optional fragments. */
export function firstOf(parts: readonly (Sql | undefined)[]): Sql | undefined {
  const present = parts.filter((p): p is Sql => p !== undefined);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  return sql`coalesce(${sql.join(present)})`;
}

/** OR of optional BOOLEAN fragments, with NULL read as FALSE; FALSE when there are none. */
export function anyOf(parts: readonly (Sql | undefined)[]): Sql {
  const present = parts.filter((p): p is Sql => p !== undefined);
  if (present.length === 0) return FALSE;
  return sql`coalesce(${sql.join(present, " OR ")}, FALSE)`;
}
