/**
 * Time-zone arithmetic for bucketing in the project's zone (mixpanel-read-side.md 1 "Dates and time
 * zones": Query API buckets are in project time). Uses only `Intl`, so it needs no tz database of its own.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timezone, f);
  }
  return f;
}

/**
 * The zone's offset from UTC at an instant, in ms (local = utc + offset).
 *
 * @example
 * ```ts
 * offsetAt("America/Los_Angeles", Date.UTC(2024, 0, 1)) // -28800000
 * ```
 */
export function offsetAt(timezone: string, utcMs: number): number {
  if (timezone === "UTC" || timezone === "Etc/UTC") return 0;
  const parts: Record<string, number> = {};
  for (const p of formatter(timezone).formatToParts(new Date(utcMs))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const local = Date.UTC(
    parts["year"] ?? 1970,
    (parts["month"] ?? 1) - 1,
    parts["day"] ?? 1,
    parts["hour"] ?? 0,
    parts["minute"] ?? 0,
    parts["second"] ?? 0,
  );
  const wholeSeconds = Math.floor(utcMs / 1000) * 1000;
  return local - wholeSeconds;
}

/**
 * The UTC instant of a local wall-clock time (epoch ms as if the wall clock were UTC). A wall time that
 * does not exist (spring-forward gap) maps to the instant just after the gap.
 *
 * @example
 * ```ts
 * localToUtc("America/Los_Angeles", Date.UTC(2024, 0, 1)) // Date.UTC(2024, 0, 1, 8)
 * ```
 */
export function localToUtc(timezone: string, localMs: number): number {
  let guess = localMs - offsetAt(timezone, localMs);
  for (let i = 0; i < 3; i++) {
    const next = localMs - offsetAt(timezone, guess);
    if (next === guess) break;
    guess = next;
  }
  return guess;
}

/** A span of UTC time during which the zone's offset is constant. */
export interface OffsetSpan {
  /** First instant of the span (inclusive), epoch ms; `-Infinity` for the first span. */
  readonly fromMs: number;
  readonly offsetMs: number;
}

const HOUR = 3_600_000;

/**
 * The offsets in force between two instants, with the exact transition instants (DST changes), so SQL
 * can turn UTC into local time with a short `CASE` instead of a per-row time-zone lookup.
 *
 * @example
 * ```ts
 * offsetSpans("UTC", 0, 1e12) // [{ fromMs: -Infinity, offsetMs: 0 }]
 * ```
 */
export function offsetSpans(timezone: string, fromMs: number, toMs: number): OffsetSpan[] {
  const spans: OffsetSpan[] = [{ fromMs: Number.NEGATIVE_INFINITY, offsetMs: offsetAt(timezone, fromMs) }];
  if (timezone === "UTC" || timezone === "Etc/UTC") return spans;
  // Transitions are at least weeks apart: probing every 6 hours finds each, then bisect to the millisecond.
  let prevMs = fromMs;
  let prev = spans[0]?.offsetMs ?? 0;
  for (let t = fromMs + 6 * HOUR; ; t += 6 * HOUR) {
    const probe = Math.min(t, toMs);
    const off = offsetAt(timezone, probe);
    if (off !== prev) {
      let lo = prevMs;
      let hi = probe;
      while (hi - lo > 1000) {
        const mid = Math.floor((lo + hi) / 2000) * 1000;
        if (mid <= lo || mid >= hi) break;
        if (offsetAt(timezone, mid) === prev) lo = mid;
        else hi = mid;
      }
      spans.push({ fromMs: hi, offsetMs: off });
      prev = off;
    }
    prevMs = probe;
    if (probe >= toMs) break;
  }
  return spans;
}
