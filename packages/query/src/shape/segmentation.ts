import { type Bucketing, bucketKey, bucketRange } from "../buckets.js";
import type { CountType } from "../params/common.js";
import { num, ratio } from "./numbers.js";

/** Mixpanel's segmentation envelope (mixpanel-read-side.md 3.1). */
export interface SegmentationResponse {
  data: { series: string[]; values: Record<string, Record<string, number>> };
  legend_size: number;
}

/** How to lay the counts out. */
export interface CountShape {
  readonly fromDay: number;
  readonly toDay: number;
  readonly bucketing: Bucketing;
  readonly type: CountType;
  /** Segments that appear even with no events (the event name without `on`). */
  readonly always?: readonly string[];
  /** Keep only the last N buckets (`interval` on `/events`). */
  readonly lastBuckets?: number | undefined;
  /** The current bucket id: later buckets are dropped with `lastBuckets`. */
  readonly currentBucket?: number | undefined;
}

/**
 * The segmentation envelope from `planCounts` rows: every bucket in range (zeros included, section 3.1
 * "Zero buckets are included"), one `values` key per segment, `legend_size` = number of keys. Segments
 * keep the order of their first row (the planner ranks them).
 *
 * @example
 * ```ts
 * shapeCounts([{ bucket: 19723, segment: "Login", total: 3n }], { fromDay: 19723, toDay: 19723, bucketing, type: "general" });
 * // { data: { series: ["2024-01-01"], values: { Login: { "2024-01-01": 3 } } }, legend_size: 1 }
 * ```
 */
export function shapeCounts(rows: readonly Record<string, unknown>[], s: CountShape): SegmentationResponse {
  let ids = bucketRange(s.bucketing, s.fromDay, s.toDay);
  if (s.lastBuckets !== undefined) {
    const cur = s.currentBucket;
    if (cur !== undefined) ids = ids.filter((id) => id <= cur);
    ids = ids.slice(-s.lastBuckets);
  }
  const keys = new Map(ids.map((id) => [id, bucketKey(id, s.bucketing)]));
  const series = [...keys.values()];
  const values: Record<string, Record<string, number>> = {};
  const zero = () => Object.fromEntries(series.map((k) => [k, 0]));
  for (const name of s.always ?? []) values[name] = zero();
  for (const r of rows) {
    const key = keys.get(num(r["bucket"]));
    if (key === undefined) continue;
    const segment = String(r["segment"]);
    const seg = values[segment] ?? zero();
    values[segment] = seg;
    const total = num(r["total"]);
    const users = num(r["users"]);
    seg[key] = s.type === "general" ? total : s.type === "unique" ? users : ratio(total, users);
  }
  return { data: { series, values }, legend_size: Object.keys(values).length };
}
