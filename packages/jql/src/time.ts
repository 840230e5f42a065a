import { offsetAt } from "@mpkit/expr";

/**
 * Project time. JQL's `time` fields are "milliseconds since January 1, 1970 in your project's
 * timezone, not UTC" (JQL reference, event object): the UTC epoch shifted by the zone's offset, so
 * `new Date(e.time).toISOString()` shows the project's wall clock.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;
// Zone offsets only change on (at least) quarter-hour boundaries, so one lookup per quarter hour
// is exact and keeps Intl (slow) off the per-event path.
const CACHE_SLOT = 15 * MINUTE;

/** Throws a RangeError for an unknown IANA zone. */
export function assertTimeZone(timezone: string): void {
  new Intl.DateTimeFormat("en-US", { timeZone: timezone });
}

/**
 * Returns a function mapping UTC epoch ms to project-time ms in `timezone`.
 *
 * @example
 * ```ts
 * toProjectTime("America/New_York")(Date.UTC(2024, 0, 1, 12)); // Date.UTC(2024, 0, 1, 7)
 * ```
 */
export function toProjectTime(timezone: string): (utcMs: number) => number {
  if (timezone === "UTC" || timezone === "Etc/UTC") return (ms) => ms;
  const offsetOf = offsetFinder(timezone);
  return (ms) => ms + offsetOf(ms);
}

function offsetFinder(timezone: string): (utcMs: number) => number {
  const cache = new Map<number, number>();
  return (utcMs) => {
    const slot = Math.floor(utcMs / CACHE_SLOT);
    const hit = cache.get(slot);
    if (hit !== undefined) return hit;
    const offset = offsetAt(timezone, slot * CACHE_SLOT);
    if (cache.size > 100_000) cache.clear();
    cache.set(slot, offset);
    return offset;
  };
}

/** Parses `YYYY-MM-DD` into UTC midnight ms, or undefined when malformed. */
export function parseDay(day: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === day ? ms : undefined;
}

/**
 * The UTC epoch range `[fromMs, toMs)` covering the inclusive project-time dates (Mixpanel's
 * `from_date`/`to_date` are inclusive days in the project time zone).
 *
 * @example
 * ```ts
 * dayRangeToUtc("2024-01-01", "2024-01-01", "UTC"); // { fromMs: 1704067200000, toMs: 1704153600000 }
 * ```
 */
export function dayRangeToUtc(
  fromDate: string,
  toDate: string,
  timezone: string,
): { fromMs: number; toMs: number } {
  const from = parseDay(fromDate);
  const to = parseDay(toDate);
  if (from === undefined || to === undefined) throw new RangeError(`bad date range ${fromDate}..${toDate}`);
  if (timezone === "UTC" || timezone === "Etc/UTC") return { fromMs: from, toMs: to + DAY };
  const offsetOf = offsetFinder(timezone);
  // Local midnight -> UTC: guess with the offset at the wall time, then correct once (DST edges).
  const toUtc = (wall: number): number => {
    const guess = wall - offsetOf(wall);
    return wall - offsetOf(guess);
  };
  return { fromMs: toUtc(from), toMs: toUtc(to + DAY) };
}
