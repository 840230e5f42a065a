/** `yyyy-mm-dd`, the date format of every Mixpanel query and export parameter. */
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `yyyy-mm-dd` to a UTC midnight epoch ms, or `undefined` when it is not a real date. */
export function parseDate(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = DATE.exec(text.trim());
  if (m === null) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return undefined;
  return ms;
}

/** Today's date (`yyyy-mm-dd`) in a time zone. */
export function todayIn(timezone: string, nowMs: number): string {
  // en-CA formats dates as yyyy-mm-dd.
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date(nowMs));
}

export const DAY_MS = 24 * 60 * 60 * 1000;
