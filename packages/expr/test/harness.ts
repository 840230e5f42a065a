import { DuckDBInstance } from "@duckdb/node-api";
import { render, type Sql, sql } from "@mpkit/sql";
import { type CompileContext, duckdbExprDialect } from "../src/index.js";

/** One stored event, as the storage contract lays it out. */
export interface Row {
  readonly id: number;
  readonly event: string;
  readonly timeMs: number;
  readonly distinctId: string;
  readonly properties: Record<string, unknown>;
  readonly user?: Record<string, unknown>;
}

/** An in-memory DuckDB holding rows in an `ev` table (plus a profile JSON column `user_props`). */
export async function openDb(rows: readonly Row[]) {
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  await conn.run(
    "CREATE TABLE ev (id INTEGER, event VARCHAR, time_ms BIGINT, distinct_id VARCHAR, properties JSON, user_props JSON)",
  );
  const appender = await conn.createAppender("ev");
  for (const r of rows) {
    appender.appendInteger(r.id);
    appender.appendVarchar(r.event);
    appender.appendBigInt(BigInt(r.timeMs));
    appender.appendVarchar(r.distinctId);
    appender.appendVarchar(JSON.stringify(r.properties));
    if (r.user === undefined) appender.appendNull();
    else appender.appendVarchar(JSON.stringify(r.user));
    appender.endRow();
  }
  appender.closeSync();
  return {
    async query(statement: Sql): Promise<unknown[][]> {
      const { text, params } = render(statement, duckdbExprDialect.sql);
      const reader = await conn.runAndReadAll(text, params as never);
      return reader.getRowsJS() as unknown[][];
    },
    close(): void {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

export function context(extra: Partial<CompileContext> = {}): CompileContext {
  return {
    dialect: duckdbExprDialect,
    properties: sql.ident("properties"),
    user: sql.ident("user_props"),
    time: sql.ident("time_ms"),
    distinctId: sql.ident("distinct_id"),
    timezone: "UTC",
    ...extra,
  };
}

export const scopeOf = (r: Row) => ({
  properties: r.properties,
  ...(r.user ? { user: r.user } : {}),
  timeMs: r.timeMs,
  distinctId: r.distinctId,
});
