import { type Sql, sql } from "@mpkit/sql";
import type { QueryDialect } from "./dialect.js";
import { QueryError } from "./errors.js";
import { localToUtc, offsetSpans } from "./time-zone.js";

/** Bucket units (mixpanel-read-side.md 3.1: `minute|hour|day|week|month`; weeks start on Monday). */
export type Unit = "minute" | "hour" | "day" | "week" | "month";

export const DAY_MS = 86_400_000;

/** An integer constant of our own computation as an SQL literal (keeps BIGINT arithmetic integral). */
export const int = (n: number): Sql => sql.literal(n);
const UNIT_MS: Record<"minute" | "hour" | "day", number> = { minute: 60_000, hour: 3_600_000, day: DAY_MS };

/**
 * How events fall into buckets: a calendar unit in the project's zone, or (`intervalDays`) runs of N
 * days starting at `originDay` (segmentation and funnels `interval`, section 3.1/3.4).
 */
export interface Bucketing {
  readonly unit: Unit;
  readonly timezone: string;
  readonly intervalDays?: number | undefined;
  /** Day number of `from_date` (days since 1970-01-01); the origin of `intervalDays` runs. */
  readonly originDay?: number | undefined;
}

/**
 * Days since 1970-01-01 of a `yyyy-mm-dd` date.
 *
 * @example
 * ```ts
 * dayNumber("1970-01-02") // 1
 * ```
 */
export function dayNumber(date: string): number {
  const [y, m, d] = date.split("-").map(Number);
  return Math.floor(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / DAY_MS);
}

/**
 * `yyyy-mm-dd` of a day number.
 *
 * @example
 * ```ts
 * dateOfDay(0) // "1970-01-01"
 * ```
 */
export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Monday on or before a day (1970-01-01 was a Thursday). */
export function mondayOf(day: number): number {
  return day - ((((day + 3) % 7) + 7) % 7);
}

/** `year * 12 + month - 1` of a day number. */
export function monthOfDay(day: number): number {
  const d = new Date(day * DAY_MS);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** The first day number of a month index. */
export function dayOfMonthIndex(month: number): number {
  return Math.floor(Date.UTC(Math.floor(month / 12), month % 12, 1) / DAY_MS);
}

/**
 * UTC instants covering local days `fromDay`..`toDay` inclusive in the zone: `[fromMs, toMs)`.
 *
 * @example
 * ```ts
 * utcRange("UTC", 0, 0) // { fromMs: 0, toMs: 86400000 }
 * ```
 */
export function utcRange(timezone: string, fromDay: number, toDay: number): { fromMs: number; toMs: number } {
  return {
    fromMs: localToUtc(timezone, fromDay * DAY_MS),
    toMs: localToUtc(timezone, (toDay + 1) * DAY_MS),
  };
}

/**
 * The bucket id of a local wall-clock time (epoch ms as if local were UTC). The same arithmetic as
 * {@link bucketSql}, for in-memory callers.
 */
export function bucketOfLocal(localMs: number, b: Bucketing): number {
  const day = Math.floor(localMs / DAY_MS);
  if (b.intervalDays !== undefined) {
    const o = b.originDay ?? 0;
    return o + b.intervalDays * Math.floor((day - o) / b.intervalDays);
  }
  switch (b.unit) {
    case "minute":
    case "hour":
      return Math.floor(localMs / UNIT_MS[b.unit]);
    case "day":
      return day;
    case "week":
      return mondayOf(day);
    case "month":
      return monthOfDay(day);
  }
}

/** The most buckets one answer may hold (about 69 days by the minute, 11 years by the hour). */
export const MAX_BUCKETS = 100_000;

/**
 * Every bucket id between two local days, in order: the keys Mixpanel zero-fills (section 3.1 "Zero
 * buckets are included").
 *
 * @example
 * ```ts
 * bucketRange({ unit: "week", timezone: "UTC" }, dayNumber("2024-01-03"), dayNumber("2024-01-10"))
 * // [Monday 2024-01-01, Monday 2024-01-08] as day numbers
 * ```
 */
export function bucketRange(b: Bucketing, fromDay: number, toDay: number): number[] {
  const out: number[] = [];
  if (b.intervalDays === undefined && (b.unit === "minute" || b.unit === "hour")) {
    const step = UNIT_MS[b.unit];
    const per = DAY_MS / step;
    // Every bucket is a key in the answer: a decade by the minute would be millions of them.
    if ((toDay - fromDay + 1) * per > MAX_BUCKETS) {
      throw new QueryError(
        400,
        `too many ${b.unit} buckets: at most ${MAX_BUCKETS.toLocaleString("en-US")}; narrow the dates or use a larger unit`,
      );
    }
    for (let i = fromDay * per; i < (toDay + 1) * per; i++) out.push(i);
    return out;
  }
  let last: number | undefined;
  for (let d = fromDay; d <= toDay; d++) {
    const id = bucketOfLocal(d * DAY_MS, b);
    if (id !== last) out.push(id);
    last = id;
  }
  return out;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/**
 * The response key of a bucket: `yyyy-mm-dd` for day, week (its Monday), interval runs (first day) and
 * month (the 1st); `yyyy-mm-dd HH:00:00` for hours and `yyyy-mm-dd HH:MM:00` for minutes (section 3.1,
 * open question Q3: recorded in docs/compatibility.md).
 */
export function bucketKey(id: number, b: Bucketing): string {
  if (b.intervalDays !== undefined) return dateOfDay(id);
  switch (b.unit) {
    case "minute":
    case "hour": {
      const ms = id * UNIT_MS[b.unit];
      const d = new Date(ms);
      return `${dateOfDay(Math.floor(ms / DAY_MS))} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00`;
    }
    case "day":
    case "week":
      return dateOfDay(id);
    case "month":
      return `${Math.floor(id / 12)}-${pad((id % 12) + 1)}-01`;
  }
}

/**
 * SQL turning a UTC epoch-ms column into local wall-clock ms: one `CASE` over the offsets in force in
 * `[fromMs, toMs)` instead of a per-row zone lookup.
 */
export function localMsSql(time: Sql, timezone: string, fromMs: number, toMs: number): Sql {
  const spans = offsetSpans(timezone, fromMs, toMs);
  const first = spans[0];
  if (spans.length === 1) return first?.offsetMs === 0 ? time : sql`(${time} + ${int(first?.offsetMs ?? 0)})`;
  const whens = spans
    .slice(1)
    .map((s, i) => sql`WHEN ${time} < ${int(s.fromMs)} THEN ${int(spans[i]?.offsetMs ?? 0)}`);
  const last = spans[spans.length - 1]?.offsetMs ?? 0;
  return sql`(${time} + CASE ${sql.join(whens, " ")} ELSE ${int(last)} END)`;
}

/** SQL for the bucket id of a local-ms expression (see {@link bucketOfLocal}). */
export function bucketSql(localMs: Sql, b: Bucketing, d: QueryDialect): Sql {
  const day = d.intDiv(localMs, sql.raw(String(DAY_MS)));
  if (b.intervalDays !== undefined) {
    const o = b.originDay ?? 0;
    const n = b.intervalDays;
    const shift = n * 100_000;
    return sql`(${int(o)} + ${int(n)} * ${d.intDiv(sql`(${day} - ${int(o)} + ${int(shift)})`, int(n))} - ${int(shift)})`;
  }
  switch (b.unit) {
    case "minute":
    case "hour":
      return d.intDiv(localMs, sql.raw(String(UNIT_MS[b.unit])));
    case "day":
      return day;
    case "week":
      return sql`(${day} - ((${day} + 3) % 7))`;
    case "month":
      return d.monthIndex(localMs);
  }
}
