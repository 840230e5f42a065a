import type { Dialect } from "../dialect.js";
import type { SqlValue } from "../fragment.js";

function literal(value: SqlValue): string {
  if (value === null) return "NULL";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "bigint") return `${value}::HUGEINT`;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`cannot render non-finite number ${value}`);
    // DOUBLE keeps integer-valued and fractional numbers comparable with JSON numbers.
    return Number.isInteger(value) ? String(value) : `${value}::DOUBLE`;
  }
  if (typeof value === "string") {
    // DuckDB string literals escape only the single quote by doubling it; backslashes are plain
    // characters. NUL cannot appear in a DuckDB VARCHAR literal, so it is spelled with chr(0).
    if (value.includes("\0")) {
      return `(${value
        .split("\0")
        .map((part) => `'${part.replaceAll("'", "''")}'`)
        .join(" || chr(0) || ")})`;
    }
    return `'${value.replaceAll("'", "''")}'`;
  }
  return `[${value.map(literal).join(", ")}]`;
}

/**
 * DuckDB's spelling: double-quoted identifiers, `$n` parameters.
 *
 * @example
 * ```ts
 * render(sql`SELECT ${"x"}`, duckdbDialect).text // "SELECT $1"
 * ```
 */
export const duckdbDialect: Dialect = {
  name: "duckdb",
  escapeIdent: (name) => `"${name.replaceAll('"', '""')}"`,
  escapeLiteral: literal,
  placeholder: (index) => `$${index + 1}`,
};
