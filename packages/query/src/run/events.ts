import { bucketOfLocal, DAY_MS, utcRange } from "../buckets.js";
import { type Params, todayDay } from "../params/common.js";
import { parseEventProperties, parseEvents, parsePropertyList, parseTopEvents } from "../params/events.js";
import { planEventVolumes, planPropertyNames, planPropertyValues, RECENT_DAYS } from "../plan/events.js";
import { planCounts } from "../plan/segmentation.js";
import { segmentationCsv } from "../shape/csv.js";
import { num } from "../shape/numbers.js";
import { shapeCounts } from "../shape/segmentation.js";
import { offsetAt } from "../time-zone.js";
import { paramContext, type QueryResult, type RunContext } from "./context.js";

function currentBucket(r: RunContext, bucketing: Parameters<typeof bucketOfLocal>[1]): number {
  return bucketOfLocal(r.nowMs + offsetAt(r.project.timezone, r.nowMs), bucketing);
}

/** `/events` (section 3.8): one `values` key per event, zero-filled. */
export async function runEvents(r: RunContext, p: Params): Promise<QueryResult> {
  const q = parseEvents(p, paramContext(r));
  const rows = await r.storage.query(planCounts(r.project, q, r.dialect));
  const body = shapeCounts(rows, { ...q, always: q.events, currentBucket: currentBucket(r, q.bucketing) });
  return q.format === "csv" ? { csv: segmentationCsv(body) } : { json: body };
}

/** `/events/properties` (section 3.11): `values` keyed by property value, top `limit` values. */
export async function runEventProperties(r: RunContext, p: Params): Promise<QueryResult> {
  const q = parseEventProperties(p, paramContext(r));
  const on = { type: "property" as const, source: "properties" as const, name: q.property ?? "", pos: 0 };
  let where = q.where;
  if (q.values !== undefined) {
    // Only the listed values: `string(properties[name]) in [...]`, built as a tree, not as text.
    const only = {
      type: "binary" as const,
      op: "in" as const,
      left: { type: "call" as const, name: "string", args: [on], pos: 0 },
      right: { type: "literal" as const, value: q.values, pos: 0 },
      pos: 0,
    };
    where = where === undefined ? only : { type: "binary", op: "and", left: where, right: only, pos: 0 };
  }
  const rows = await r.storage.query(planCounts(r.project, { ...q, on, where }, r.dialect));
  const body = shapeCounts(rows, { ...q, currentBucket: currentBucket(r, q.bucketing) });
  return q.format === "csv" ? { csv: segmentationCsv(body) } : { json: body };
}

/**
 * `/events/top` (section 3.9): today's events with the change from yesterday. Today's partial count is
 * scaled to a full day before comparing; an event new since yesterday has change 1 (open question Q8).
 */
export async function runEventsTop(r: RunContext, p: Params): Promise<QueryResult> {
  const q = parseTopEvents(p, 100);
  const today = todayDay(paramContext(r));
  const tz = r.project.timezone;
  const t = utcRange(tz, today, today);
  const y = utcRange(tz, today - 1, today - 1);
  const [todays, yesterdays] = await Promise.all([
    r.storage.query(planEventVolumes(r.project, q.type, t.fromMs, t.toMs, q.limit)),
    r.storage.query(planEventVolumes(r.project, q.type, y.fromMs, y.toMs, undefined)),
  ]);
  const before = new Map(yesterdays.map((row) => [String(row["event"]), num(row["amount"])]));
  const elapsed = Math.min(1, Math.max((r.nowMs - t.fromMs) / (t.toMs - t.fromMs), 1 / 1440));
  const events = todays.map((row) => {
    const amount = num(row["amount"]);
    const prev = before.get(String(row["event"])) ?? 0;
    return {
      amount,
      event: String(row["event"]),
      percent_change: prev === 0 ? 1 : (amount / elapsed - prev) / prev,
    };
  });
  return { json: { events, type: q.type } };
}

/** `/events/names` (section 3.10): the most common events of the last 31 days (open question Q9: by volume). */
export async function runEventNames(r: RunContext, p: Params): Promise<QueryResult> {
  const q = parseTopEvents(p, 255);
  const rows = await r.storage.query(
    planEventVolumes(r.project, q.type, r.nowMs - RECENT_DAYS * DAY_MS, r.nowMs + 1, q.limit),
  );
  return { json: rows.map((row) => String(row["event"])) };
}

/** `/events/properties/top` (section 3.12): `{"<property>": {"count": n}}`, most common first. */
export async function runPropertiesTop(r: RunContext, p: Params): Promise<QueryResult> {
  const q = parsePropertyList(p, false, 10);
  const rows = await r.storage.query(planPropertyNames(r.project, q.event, r.nowMs, q.limit, r.dialect));
  return { json: Object.fromEntries(rows.map((row) => [String(row["name"]), { count: num(row["count"]) }])) };
}

/** `/events/properties/values` (section 3.13): value strings, most common first. */
export async function runPropertyValues(r: RunContext, p: Params): Promise<QueryResult> {
  const q = parsePropertyList(p, true, 255);
  const rows = await r.storage.query(planPropertyValues(r.project, q.event, q.name ?? "", r.nowMs, q.limit));
  return { json: rows.map((row) => String(row["value"])) };
}
