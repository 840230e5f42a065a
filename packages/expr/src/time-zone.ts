/**
 * Time-zone arithmetic with `Intl` only (no tz database of our own), shared by the expression language
 * (dates read and printed in the project zone), the Query API (buckets in project time) and JQL
 * (`time` in project time).
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
 * The zone's offset from UTC at an instant, in ms (local wall clock = utc + offset).
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
  return local - Math.floor(utcMs / 1000) * 1000;
}
