import { type Sql, sql } from "@mpkit/sql";
import { bucketKey, bucketRange } from "../buckets.js";
import type { Params } from "../params/common.js";
import { type NumericRequest, parseNumeric, parseSegmentation } from "../params/segmentation.js";
import { planCounts, planNumericValues } from "../plan/segmentation.js";
import { resultsCsv, segmentationCsv } from "../shape/csv.js";
import { computedAt, num } from "../shape/numbers.js";
import { shapeCounts } from "../shape/segmentation.js";
import { paramContext, type QueryResult, type RunContext } from "./context.js";

/** `/segmentation` (section 3.1). */
export async function runSegmentation(r: RunContext, p: Params): Promise<QueryResult> {
  const q = parseSegmentation(p, paramContext(r));
  const rows = await r.storage.query(
    planCounts(r.project, { ...q, limit: q.on === undefined ? undefined : q.limit }, r.dialect),
  );
  const body = shapeCounts(rows, { ...q, always: q.on === undefined ? q.events : [] });
  return q.format === "csv" ? { csv: segmentationCsv(body) } : { json: body };
}

const thousands = new Intl.NumberFormat("en-US", { maximumFractionDigits: 6 });

/**
 * Bucket width for `/segmentation/numeric` (open question Q4): the smallest of 1, 2, 5 × 10^k giving at
 * most 10 buckets over [min, max] (recorded in docs/compatibility.md).
 */
export function numericWidth(min: number, max: number): number {
  const span = max - min;
  if (span <= 0) return 1;
  // Values near ±1.8e308 overflow the span to Infinity: start from the values' magnitude instead, and
  // never return a width that is not finite (it would reach SQL as a literal).
  const scale = Number.isFinite(span) ? span : Math.max(Math.abs(min), Math.abs(max));
  for (let e = Math.floor(Math.log10(scale / 10)) - 1; e <= 308; e++) {
    for (const m of [1, 2, 5]) {
      const w = m * 10 ** e;
      if (!Number.isFinite(w)) break;
      if (Math.floor(max / w) - Math.floor(min / w) + 1 <= 10) return Number(w.toPrecision(12));
    }
  }
  return 1e308;
}

/** `/segmentation/numeric` (section 3.2): range labels such as `"2,000 - 2,100"`. */
export async function runNumeric(r: RunContext, p: Params): Promise<QueryResult> {
  const q = parseNumeric(p, paramContext(r));
  const values = planNumericValues(r.project, q, r.dialect, q.type !== "general");
  const [range] = await r.storage.query(sqlRange(values));
  const min = range?.["lo"] === null || range === undefined ? undefined : num(range["lo"]);
  const max = range === undefined || range["hi"] === null ? undefined : num(range["hi"]);
  let rows: Record<string, unknown>[] = [];
  let width = 1;
  if (min !== undefined && max !== undefined) {
    width = numericWidth(min, max);
    rows = await r.storage.query(numericGroups(values, width));
  }
  const labeled = rows.map((row) => {
    const lo = num(row["segment"]) * width;
    return { ...row, segment: `${thousands.format(lo)} - ${thousands.format(lo + width)}` };
  });
  const body = shapeCounts(labeled, q);
  return q.format === "csv" ? { csv: segmentationCsv(body) } : { json: body };
}

function sqlRange(values: Sql): Sql {
  return sql`SELECT min(value) AS lo, max(value) AS hi FROM (${values}) v`;
}

function numericGroups(values: Sql, width: number): Sql {
  return sql`SELECT bucket, CAST(floor(value / ${sql.literal(width)}) AS BIGINT) AS segment, count(*) AS total,
      count(DISTINCT uid) AS users
    FROM (${values}) v WHERE value IS NOT NULL GROUP BY ALL ORDER BY segment`;
}

/**
 * `/segmentation/sum` and `/segmentation/average` (section 3.3): a non-numeric `on` counts as 0 in a
 * sum and is left out of an average; a bucket with nothing to average is 0.
 */
export async function runSumOrAverage(
  r: RunContext,
  p: Params,
  kind: "sum" | "average",
): Promise<QueryResult> {
  const q: NumericRequest = parseNumeric(p, paramContext(r));
  const values = planNumericValues(r.project, q, r.dialect, false);
  const rows = await r.storage.query(
    sql`SELECT bucket, sum(coalesce(value, 0)) AS s, avg(value) AS a FROM (${values}) v GROUP BY bucket`,
  );
  const byBucket = new Map(rows.map((row) => [num(row["bucket"]), row]));
  const results: Record<string, number> = {};
  for (const id of bucketRange(q.bucketing, q.fromDay, q.toDay)) {
    const row = byBucket.get(id);
    const v = row === undefined ? 0 : kind === "sum" ? num(row["s"]) : row["a"] === null ? 0 : num(row["a"]);
    results[bucketKey(id, q.bucketing)] = v;
  }
  if (q.format === "csv") return { csv: resultsCsv(results) };
  return { json: { status: "ok", computed_at: computedAt(r.nowMs), results } };
}
