/**
 * Event times. Mixpanel accepts seconds or milliseconds since the epoch, floats included: mixpanel-browser
 * sends float seconds (`Date.now() / 1000`), the node SDK sends a Date as milliseconds, Android and
 * Swift send integer milliseconds. Mixpanel does not document its rule; like mixpanel-import we read
 * any magnitude above 1e11 (year 5138 in seconds, 1973 in milliseconds) as milliseconds.
 */
const MS_THRESHOLD = 1e11;

/**
 * Converts a Mixpanel time value to epoch milliseconds, or `undefined` when it is not a usable number.
 *
 * @example
 * ```ts
 * toEpochMs(1724000000.123) // 1724000000123
 * toEpochMs(1724000000123)  // 1724000000123
 * ```
 */
export function toEpochMs(value: unknown): number | undefined {
  let n: number;
  if (typeof value === "number") n = value;
  else if (typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) n = Number(value);
  else return undefined;
  if (!Number.isFinite(n)) return undefined;
  return Math.round(Math.abs(n) > MS_THRESHOLD ? n : n * 1000);
}

/** 1971-01-01T00:00:00Z: Mixpanel rejects earlier events on `/import`. */
export const EARLIEST_EVENT_MS = Date.UTC(1971, 0, 1);
/** `/import` rejects events more than one hour in the future. */
export const IMPORT_FUTURE_TOLERANCE_MS = 60 * 60 * 1000;
/** `/track` only ingests events from the last five days; older ones must go through `/import`. */
export const TRACK_WINDOW_MS = 5 * 24 * 60 * 60 * 1000;
