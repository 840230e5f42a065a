import type { Dialect, Sql } from "@mpkit/sql";

/** The JSON value types the compiler needs to tell apart. `scalar` = string, number, boolean or null. */
export type JsonKind = "string" | "number" | "boolean" | "null" | "array" | "object" | "scalar";

/** A column computed once per row and referenced by name in the expression (see {@link ExprDialect.withColumns}). */
export interface BoundColumn {
  readonly alias: string;
  readonly expr: Sql;
}

/**
 * Engine-specific SQL for the expression compiler. Everything the compiler emits that is not plain
 * standard SQL (`CASE`, `AND`, `=`, `coalesce`, arithmetic) goes through here, so a ClickHouse dialect —
 * including 18.16 with only `visitParam*` — can be added without touching the compiler.
 *
 * Conventions: SQL `NULL` means Mixpanel `undefined`; every method must keep `NULL` in → `NULL` out unless
 * it says otherwise. JSON values are the engine's JSON text type.
 */
export interface ExprDialect {
  /** How fragments are rendered (identifier quoting, literals, placeholders). */
  readonly sql: Dialect;
  /** A bound string/number/boolean as a typed SQL value (`VARCHAR`, `DOUBLE`, `BOOLEAN`). */
  value(v: string | number | boolean): Sql;
  /** The member `name` of a JSON object (any characters), or NULL when missing / not an object. */
  jsonMember(doc: Sql, name: string): Sql;
  /** TRUE when the JSON value has the kind, FALSE when not, NULL when `j` is NULL. */
  jsonIs(j: Sql, kind: JsonKind): Sql;
  /** String content of a JSON string. */
  jsonString(j: Sql): Sql;
  /** A JSON number as DOUBLE. */
  jsonNumber(j: Sql): Sql;
  /** A JSON boolean as BOOLEAN. */
  jsonBoolean(j: Sql): Sql;
  /** The JSON text of a value (for segment names of lists/objects). */
  jsonText(j: Sql): Sql;
  /** Number of elements of a JSON array. */
  jsonArrayLength(j: Sql): Sql;
  /** TRUE when `test(element)` is TRUE for some element of the JSON array `list`, else FALSE. */
  jsonArrayAny(list: Sql, test: (element: Sql) => Sql): Sql;
  /** A JSON document from trusted JSON text built by the compiler (list literals). */
  jsonLiteral(text: string): Sql;
  /** A DOUBLE / VARCHAR / BOOLEAN as JSON. */
  toJson(x: Sql): Sql;
  /** NULL for ±infinity and NaN, else x (evaluates x once). */
  finite(x: Sql): Sql;
  /** Remainder with the sign of the dividend; NULL for a zero divisor. */
  modulo(a: Sql, b: Sql): Sql;
  /** DOUBLE → text as JavaScript prints numbers (`42`, `1.5`, `1e-7`). */
  formatNumber(n: Sql): Sql;
  /** Epoch ms → `YYYY-MM-DDTHH:MM:SS` in the zone. */
  formatDate(ms: Sql, timezone: string): Sql;
  /** Text → epoch ms (DOUBLE) by the `datetime()` pattern, read in the zone; NULL when it does not parse. */
  parseDate(text: Sql, timezone: string): Sql;
  /** Decimal text → DOUBLE, NULL when not decimal text. */
  parseDecimal(text: Sql): Sql;
  /** Regular-expression search. */
  regexMatch(text: Sql, pattern: string, caseSensitive: boolean): Sql;
  contains(hay: Sql, needle: Sql): Sql;
  startsWith(s: Sql, prefix: Sql): Sql;
  endsWith(s: Sql, suffix: Sql): Sql;
  lower(s: Sql): Sql;
  upper(s: Sql): Sql;
  /** Characters (code points) in a string. */
  length(s: Sql): Sql;
  floor(n: Sql): Sql;
  ceil(n: Sql): Sql;
  /** Half away from zero. */
  round(n: Sql): Sql;
  /** Evaluates `value` once and hands `body` a reference to it. */
  bind(value: Sql, body: (ref: Sql) => Sql): Sql;
  /** Wraps a row-level expression so each column is computed once per row and visible by alias. */
  withColumns(columns: readonly BoundColumn[], body: Sql): Sql;
}
