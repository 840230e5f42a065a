import { type Bucketing, bucketKey, bucketRange } from "../buckets.js";
import type { FunnelStep } from "../params/funnels.js";
import { num, ratio } from "./numbers.js";

/** One step of a funnel response (section 3.4 "Step fields"). */
export interface FunnelStepResult {
  count: number;
  avg_time: number | null;
  avg_time_from_start: number | null;
  step_conv_ratio: number;
  overall_conv_ratio: number;
  goal: string;
  event: string;
  step_label: string;
}

/** `analysis` (section 3.4). */
export interface FunnelAnalysis {
  completion: number;
  starting_amount: number;
  steps: number;
  worst: number;
}

export type FunnelDay =
  | { steps: FunnelStepResult[]; analysis: FunnelAnalysis }
  | Record<string, FunnelStepResult[]>;

/** The `/funnels` response. */
export interface FunnelResponse {
  meta: { dates: string[] };
  data: Record<string, FunnelDay>;
}

interface Acc {
  n: number;
  dt: number;
  dt0: number;
}

/**
 * Step objects from per-step counts and time sums: ratios 1 for step 0 and 0/0 → 0 after it; times are
 * mean seconds rounded to integers, null for step 0 and when nobody converted (section 3.4, section 8.3).
 */
export function stepResults(
  steps: readonly FunnelStep[],
  accs: readonly (Acc | undefined)[],
): FunnelStepResult[] {
  const first = accs[0]?.n ?? 0;
  return steps.map((s, k) => {
    const a = accs[k] ?? { n: 0, dt: 0, dt0: 0 };
    const prev = k === 0 ? a.n : (accs[k - 1]?.n ?? 0);
    const time = (sum: number) => (k === 0 || a.n === 0 ? null : Math.round(sum / a.n / 1000));
    return {
      count: a.n,
      avg_time: time(a.dt),
      avg_time_from_start: time(a.dt0),
      step_conv_ratio: k === 0 ? 1 : ratio(a.n, prev),
      overall_conv_ratio: k === 0 ? 1 : ratio(a.n, first),
      goal: s.event,
      event: s.event,
      step_label: s.label,
    };
  });
}

/** `worst`: the step (≥ 1) with the largest drop from the one before, first on ties. */
export function analysisOf(steps: readonly FunnelStepResult[]): FunnelAnalysis {
  let worst = 1;
  let drop = Number.NEGATIVE_INFINITY;
  for (let i = 1; i < steps.length; i++) {
    const d = (steps[i - 1]?.count ?? 0) - (steps[i]?.count ?? 0);
    if (d > drop) {
      drop = d;
      worst = i;
    }
  }
  return {
    completion: steps[steps.length - 1]?.count ?? 0,
    starting_amount: steps[0]?.count ?? 0,
    steps: steps.length,
    worst,
  };
}

function collect(rows: readonly Record<string, unknown>[]): Map<number, Map<string, Acc[]>> {
  const out = new Map<number, Map<string, Acc[]>>();
  for (const r of rows) {
    const b = num(r["bucket"]);
    const seg = String(r["segment"]);
    const bySeg = out.get(b) ?? new Map<string, Acc[]>();
    out.set(b, bySeg);
    const accs = bySeg.get(seg) ?? [];
    bySeg.set(seg, accs);
    accs[num(r["step"])] = { n: num(r["n"]), dt: num(r["dt"]), dt0: num(r["dt0"]) };
  }
  return out;
}

/**
 * The `/funnels` response: every bucket in range (zero-count days included, section 3.4), `steps` and
 * `analysis` per date; with `on`, `$overall` plus one step array per kept segment instead.
 *
 * @example
 * ```ts
 * shapeFunnel(overallRows, undefined, { steps, fromDay, toDay, bucketing, limit: 255 });
 * ```
 */
export function shapeFunnel(
  overall: readonly Record<string, unknown>[],
  segmented: readonly Record<string, unknown>[] | undefined,
  s: { steps: readonly FunnelStep[]; fromDay: number; toDay: number; bucketing: Bucketing; limit: number },
): FunnelResponse {
  const ids = bucketRange(s.bucketing, s.fromDay, s.toDay);
  const all = collect(overall);
  const data: Record<string, FunnelDay> = {};
  const dates: string[] = [];
  let kept: string[] = [];
  let bySeg: Map<number, Map<string, Acc[]>> | undefined;
  if (segmented !== undefined) {
    bySeg = collect(segmented);
    const totals = new Map<string, number>();
    for (const r of segmented) {
      if (num(r["step"]) !== 0) continue;
      const seg = String(r["segment"]);
      totals.set(seg, (totals.get(seg) ?? 0) + num(r["n"]));
    }
    kept = [...totals.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, s.limit)
      .map(([k]) => k);
  }
  for (const id of ids) {
    const key = bucketKey(id, s.bucketing);
    dates.push(key);
    const steps = stepResults(s.steps, all.get(id)?.get("") ?? []);
    if (bySeg === undefined) {
      data[key] = { steps, analysis: analysisOf(steps) };
      continue;
    }
    const day: Record<string, FunnelStepResult[]> = { $overall: steps };
    for (const seg of kept) day[seg] = stepResults(s.steps, bySeg.get(id)?.get(seg) ?? []);
    data[key] = day;
  }
  return { meta: { dates }, data };
}
