import { type Bucketing, bucketKey, bucketRange, dateOfDay, dayNumber, utcRange } from "../buckets.js";
import { QueryError } from "../errors.js";
import { integer, type Params, parseExpression, required, todayDay } from "../params/common.js";
import { planCounts } from "../plan/segmentation.js";
import { computedAt, num, ratio } from "../shape/numbers.js";
import { offsetAt } from "../time-zone.js";
import { paramContext, type QueryResult, type RunContext } from "./context.js";

const pad = (n: number) => String(n).padStart(2, "0");

/** `+hh:mm` / `-hh:mm` of an offset in ms. */
function offsetText(ms: number): string {
  const m = Math.round(Math.abs(ms) / 60_000);
  return `${ms < 0 ? "-" : "+"}${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/** ISO key of a bucket with the project offset, e.g. `2020-08-31T00:00:00-07:00` (section 3.16). */
function isoKey(id: number, b: Bucketing, timezone: string): string {
  const key = bucketKey(id, b);
  const local = key.length === 10 ? `${key}T00:00:00` : key.replace(" ", "T");
  const localMs = Date.parse(`${local}Z`);
  const utc = utcRange(timezone, Math.floor(localMs / 86_400_000), Math.floor(localMs / 86_400_000)).fromMs;
  return `${local}${offsetText(offsetAt(timezone, utc + (localMs % 86_400_000)))}`;
}

/**
 * `/insights?bookmark_id=` (section 3.16): runs a saved Insights report. Metric names carry the
 * measurement in brackets as Mixpanel's do (`"Login [Unique Users]"`); with `on`, `series` is
 * `{metric: {segment: {date: n}}}`.
 */
export async function runInsights(r: RunContext, p: Params): Promise<QueryResult> {
  required(p, "bookmark_id");
  const id = integer(p, "bookmark_id", 1, Number.MAX_SAFE_INTEGER) as number;
  const saved = await r.reports.get(r.project.id, "insight", id);
  if (saved === undefined) throw new QueryError(400, `bookmark_id ${id} does not exist`);
  const def = saved.definition;
  const today = todayDay(paramContext(r));
  const fromDay = def.from_date !== undefined ? dayNumber(def.from_date) : today - (def.last_days ?? 30) + 1;
  const toDay = def.to_date !== undefined ? Math.min(dayNumber(def.to_date), today) : today;
  const type = def.type ?? "general";
  const bucketing: Bucketing = { unit: def.unit ?? "day", timezone: r.project.timezone };
  const on = def.on === undefined || def.on === "" ? undefined : parseExpression("on", def.on);
  const where = def.where === undefined || def.where === "" ? undefined : parseExpression("where", def.where);
  const label = type === "general" ? "Total Events" : type === "unique" ? "Unique Users" : "Average";
  const ids = bucketRange(bucketing, fromDay, toDay);
  const series: Record<string, Record<string, unknown>> = {};
  for (const event of def.events) {
    const rows = await r.storage.query(
      planCounts(r.project, { events: [event], fromDay, toDay, bucketing, type, on, where }, r.dialect),
    );
    const metric: Record<string, Record<string, number>> = {};
    const seg = (name: string) => {
      metric[name] ??= Object.fromEntries(ids.map((i) => [isoKey(i, bucketing, r.project.timezone), 0]));
      return metric[name];
    };
    if (on === undefined) seg("all");
    for (const row of rows) {
      const values = seg(on === undefined ? "all" : String(row["segment"]));
      const total = num(row["total"]);
      const users = num(row["users"]);
      values[isoKey(num(row["bucket"]), bucketing, r.project.timezone)] =
        type === "general" ? total : type === "unique" ? users : ratio(total, users);
    }
    series[`${event} [${label}]`] = on === undefined ? (metric["all"] ?? {}) : metric;
  }
  const { fromMs, toMs } = utcRange(r.project.timezone, fromDay, toDay);
  const endOffset = offsetText(offsetAt(r.project.timezone, toMs - 1));
  return {
    json: {
      computed_at: computedAt(r.nowMs),
      date_range: {
        from_date: `${dateOfDay(fromDay)}T00:00:00${offsetText(offsetAt(r.project.timezone, fromMs))}`,
        to_date: `${dateOfDay(toDay)}T23:59:59.999000${endOffset}`,
      },
      headers: on === undefined ? ["$event"] : ["$event", def.on],
      series,
      meta: { min_sampling_factor: 1, is_segmentation_limit_hit: false, sub_query_count: def.events.length },
    },
  };
}
