/**
 * Benchmark: a three-predicate `where` over N synthetic events, compiled by @mpkit/expr vs the same
 * predicate hand-written in DuckDB SQL, measured in one run on one connection (median of several runs).
 *
 * Run: `npx tsx -e 'import("./bench/expr-where.ts").then(m => m.run({ events: 1_000_000 })).then(r => console.log(r.lines.join("\n")))'`
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { render, sql } from "@mpkit/sql";
import { compileWhere, duckdbExprDialect } from "../packages/expr/src/index.js";
import { SYNTHETIC_PROPERTIES_SQL } from "./support/data.js";

export interface BenchResult {
  name: string;
  lines: string[];
}

const EXPRESSION =
  'properties["$os"] == "iOS" and properties["price"] > 50 and properties["plan"] in ["pro", "team"]';

// What an engineer would write by hand for the same filter (no type checks: the data's types are known).
const HAND_WRITTEN = `json_extract_string(properties, '$."$os"') = 'iOS'
  AND CAST(json_extract_string(properties, '$.price') AS DOUBLE) > 50
  AND json_extract_string(properties, '$.plan') IN ('pro', 'team')`;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

export async function run(opts: { events: number }): Promise<BenchResult> {
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  const t0 = performance.now();
  // ~130-byte property objects, mixed types, generated inside DuckDB.
  await conn.run(`CREATE TABLE ev AS SELECT
      'event_' || (i % 8) AS event,
      1704067200000 + i * 700 AS time_ms,
      'user_' || (i % 500000) AS distinct_id,
      ${SYNTHETIC_PROPERTIES_SQL} AS properties
    FROM range(${Math.floor(opts.events)}) t(i)`);
  const load = performance.now() - t0;
  const avgBytes = (
    await conn.runAndReadAll("SELECT avg(length(CAST(properties AS VARCHAR))) FROM ev")
  ).getRowsJS()[0]?.[0];

  const ctx = {
    dialect: duckdbExprDialect,
    properties: sql.ident("properties"),
    time: sql.ident("time_ms"),
    timezone: "UTC",
  };
  const compiled = render(
    sql`SELECT count(*) FROM ev WHERE ${compileWhere(EXPRESSION, ctx)}`,
    duckdbExprDialect.sql,
  );
  const hand = `SELECT count(*) FROM ev WHERE ${HAND_WRITTEN}`;

  const time = async (text: string, params: unknown[] = []): Promise<{ ms: number; count: number }> => {
    const start = performance.now();
    const reader = await conn.runAndReadAll(text, params as never);
    return { ms: performance.now() - start, count: Number(reader.getRowsJS()[0]?.[0]) };
  };
  await time(hand); // warm-up
  await time(compiled.text, compiled.params);
  const ours: number[] = [];
  const theirs: number[] = [];
  let counts = { ours: 0, hand: 0 };
  for (let i = 0; i < 5; i++) {
    const a = await time(compiled.text, compiled.params);
    const b = await time(hand);
    ours.push(a.ms);
    theirs.push(b.ms);
    counts = { ours: a.count, hand: b.count };
  }
  conn.closeSync();
  instance.closeSync();
  const ratio = median(ours) / median(theirs);
  return {
    name: "expr-where",
    lines: [
      `events: ${opts.events.toLocaleString("en-US")} (load ${load.toFixed(0)} ms, avg properties ${Number(avgBytes).toFixed(0)} bytes)`,
      `expression: ${EXPRESSION}`,
      `matching rows: compiled ${counts.ours}, hand-written ${counts.hand}${counts.ours === counts.hand ? "" : "  MISMATCH"}`,
      `compiled by @mpkit/expr: median ${median(ours).toFixed(0)} ms (runs ${ours.map((x) => x.toFixed(0)).join(", ")})`,
      `hand-written DuckDB SQL: median ${median(theirs).toFixed(0)} ms (runs ${theirs.map((x) => x.toFixed(0)).join(", ")})`,
      `ratio ours/hand-written: ${ratio.toFixed(2)}x (target <= 1.30x)`,
    ],
  };
}
