/**
 * Time-zone arithmetic for bucketing in the project's zone (mixpanel-read-side.md 1 "Dates and time
 * zones": Query API buckets are in project time). Uses only `Intl`, so it needs no tz database of its own.
 */

import { offsetAt } from "@mpkit/expr";

export { offsetAt };

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
