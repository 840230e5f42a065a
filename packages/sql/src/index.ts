export { type Dialect, type RenderedSql, render, renderInline } from "./dialect.js";
export { duckdbDialect } from "./dialects/duckdb.js";
export { type Chunk, Sql, type SqlInterpolation, type SqlValue, sql } from "./fragment.js";
