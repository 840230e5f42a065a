import { bucketKey, bucketRange, dayOfMonthIndex, utcRange } from "../buckets.js";
import type { AddictionRequest, RetentionRequest } from "../params/retention.js";
import { intervalMs } from "../plan/retention.js";
import { num } from "./numbers.js";

/** One retention cohort (section 3.6). */
export interface RetentionCohort {
  counts: number[];
  first: number;
}

/** First local day of a bucket id. */
function bucketStartDay(id: number, unit: "day" | "week" | "month"): number {
  return unit === "month" ? dayOfMonthIndex(id) : id;
}

/**
 * The `/retention` response: top level keyed by cohort date (no `data` wrapper). `counts` has
 * `interval_count + 1` entries, cut for recent cohorts at the last interval that has started
 * (section 3.6, INFERRED); `unbounded_retention` accumulates right to left. With `on`, each date holds
 * `$overall` plus one cohort per kept segment (open question Q7, recorded in docs/compatibility.md).
 *
 * @example
 * ```ts
 * shapeRetention(rows, undefined, request, Date.now());
 * ```
 */
export function shapeRetention(
  overall: readonly Record<string, unknown>[],
  segmented: readonly Record<string, unknown>[] | undefined,
  r: RetentionRequest,
  nowMs: number,
): Record<string, RetentionCohort | Record<string, RetentionCohort>> {
  const L = intervalMs(r);
  const b = { unit: r.unit, timezone: r.timezone };
  const ids = bucketRange(b, r.fromDay, r.toDay);
  const build = (rows: readonly Record<string, unknown>[]) => {
    const m = new Map<string, { first: number; counts: number[] }>();
    for (const row of rows) {
      const key = `${num(row["bucket"])}\u0000${String(row["segment"])}`;
      const c = m.get(key) ?? { first: 0, counts: new Array<number>(r.intervalCount + 1).fill(0) };
      m.set(key, c);
      const k = num(row["k"]);
      if (k < 0) c.first = num(row["n"]);
      else if (k <= r.intervalCount) c.counts[k] = (c.counts[k] ?? 0) + num(row["n"]);
    }
    return m;
  };
  const cohortOf = (m: Map<string, { first: number; counts: number[] }>, id: number, seg: string) => {
    const c = m.get(`${id}\u0000${seg}`) ?? {
      first: 0,
      counts: new Array<number>(r.intervalCount + 1).fill(0),
    };
    let counts = [...c.counts];
    if (r.unbounded)
      for (let i = counts.length - 2; i >= 0; i--) counts[i] = (counts[i] ?? 0) + (counts[i + 1] ?? 0);
    const startDay = bucketStartDay(id, r.unit);
    const startMs = utcRange(r.timezone, startDay, startDay).fromMs;
    const started = Math.floor((nowMs - startMs) / L) + 1;
    counts = counts.slice(0, Math.max(1, Math.min(counts.length, started)));
    return { counts, first: c.first };
  };
  const all = build(overall);
  const out: Record<string, RetentionCohort | Record<string, RetentionCohort>> = {};
  if (segmented === undefined) {
    for (const id of ids) out[bucketKey(id, b)] = cohortOf(all, id, "");
    return out;
  }
  const bySeg = build(segmented);
  const totals = new Map<string, number>();
  for (const row of segmented) {
    if (num(row["k"]) === -1)
      totals.set(String(row["segment"]), (totals.get(String(row["segment"])) ?? 0) + num(row["n"]));
  }
  const kept = [...totals.entries()]
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .slice(0, r.limit)
    .map(([s]) => s);
  for (const id of ids) {
    const day: Record<string, RetentionCohort> = { $overall: cohortOf(all, id, "") };
    for (const seg of kept) day[seg] = cohortOf(bySeg, id, seg);
    out[bucketKey(id, b)] = day;
  }
  return out;
}

/** Slots (addiction units) in a period: 24 per day for hours, 1 per day for days (section 3.7). */
export function slotsInPeriod(id: number, a: Pick<AddictionRequest, "unit" | "addictionUnit">): number {
  const days = a.unit === "day" ? 1 : a.unit === "week" ? 7 : dayOfMonthIndex(id + 1) - dayOfMonthIndex(id);
  return a.addictionUnit === "hour" ? days * 24 : days;
}

/**
 * The `/retention/addiction` response: `{"data": {date: [users with ≥ 1 slot, ≥ 2 slots, ...]}}`, one
 * element per slot in the period (section 3.7); with `on`, `{"data": {date: {segment: [...]}}}`.
 *
 * @example
 * ```ts
 * shapeAddiction(rows, undefined, request, "UTC");
 * ```
 */
export function shapeAddiction(
  overall: readonly Record<string, unknown>[],
  segmented: readonly Record<string, unknown>[] | undefined,
  a: AddictionRequest,
  timezone: string,
): { data: Record<string, number[] | Record<string, number[]>> } {
  const b = { unit: a.unit, timezone };
  const ids = bucketRange(b, a.fromDay, a.toDay);
  const hist = (rows: readonly Record<string, unknown>[], id: number, seg: string) => {
    const len = slotsInPeriod(id, a);
    const out = new Array<number>(len).fill(0);
    for (const row of rows) {
      if (num(row["bucket"]) !== id || String(row["segment"]) !== seg) continue;
      const slots = Math.min(num(row["slots"]), len);
      for (let k = 0; k < slots; k++) out[k] = (out[k] ?? 0) + num(row["n"]);
    }
    return out;
  };
  const data: Record<string, number[] | Record<string, number[]>> = {};
  if (segmented === undefined) {
    for (const id of ids) data[bucketKey(id, b)] = hist(overall, id, "");
    return { data };
  }
  const totals = new Map<string, number>();
  for (const row of segmented)
    totals.set(String(row["segment"]), (totals.get(String(row["segment"])) ?? 0) + num(row["n"]));
  const kept = [...totals.entries()]
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .slice(0, a.limit)
    .map(([s]) => s);
  for (const id of ids) {
    const day: Record<string, number[]> = { $overall: hist(overall, id, "") };
    for (const seg of kept) day[seg] = hist(segmented, id, seg);
    data[bucketKey(id, b)] = day;
  }
  return { data };
}
