import { type DuckDBValue, listValue } from "@duckdb/node-api";
import { duckdbDialect, render, type Sql, type SqlValue } from "@mpkit/sql";

function toDuckDb(value: SqlValue): DuckDBValue {
  if (Array.isArray(value)) return listValue(value.map(toDuckDb));
  return value as DuckDBValue;
}

/** Renders a fragment into DuckDB text and driver values. */
export function prepare(statement: Sql): { text: string; values: DuckDBValue[] } {
  const { text, params } = render(statement, duckdbDialect);
  return { text, values: params.map(toDuckDb) };
}
