import { offsetAt } from "./time-zone.js";

/**
 * Mixpanel's value model and typing rules ([DOC-EXPR], mixpanel-read-side.md 2.3 and 2.4). The evaluator
 * is written with these functions, and the SQL compiler is tested against the evaluator, so this file is
 * the specification of the language's semantics.
 */

/** A point in time, kept as epoch milliseconds (UTC). Dates are their own type: they compare only with dates. */
export class MpDate {
  constructor(readonly ms: number) {}
}

/** A JSON object value (a nested property). */
export interface MpObject {
  readonly [key: string]: Value;
}

/** Every value an expression can produce. */
export type Value = undefined | null | boolean | number | string | MpDate | readonly Value[] | MpObject;

export type TypeName =
  | "undefined"
  | "null"
  | "boolean"
  | "number"
  | "string"
  | "datetime"
  | "list"
  | "object";

/** Knobs for behaviour Mixpanel leaves undocumented (see docs/compatibility.md, "Expression language"). */
export interface ExprOptions {
  /**
   * IANA time zone of the project: `datetime("...")` text is read in it and dates print in it.
   * @default "UTC"
   */
  readonly timezone?: string;
  /**
   * Compare strings case-insensitively in `==`, `!=`, `in`, ordering, `has_prefix` and `has_suffix`
   * (open question Q1: [DOC-CP] says yes, [DOC-EXPR] describes plain equality).
   * @default false
   */
  readonly caseInsensitive?: boolean;
}

export function typeOf(v: Value): TypeName {
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "number") return "number";
  if (typeof v === "string") return "string";
  if (v instanceof MpDate) return "datetime";
  if (Array.isArray(v)) return "list";
  return "object";
}

/** Converts parsed JSON (a stored property) to a value. Non-finite numbers cannot come from JSON. */
export function fromJson(v: unknown): Value {
  if (v === undefined || v === null || typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (Array.isArray(v)) return v.map(fromJson);
  if (typeof v === "object") {
    const out: Record<string, Value> = {};
    for (const [k, x] of Object.entries(v)) out[k] = fromJson(x);
    return out;
  }
  return undefined;
}

/** Arithmetic results that are not finite (overflow, 0/0) are undefined, like division by zero. */
export function finite(n: number): number | undefined {
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Simple one-to-one case mapping per character. Full Unicode mappings can change length (`ß` upper-cases
 * to `SS`); SQL engines use the simple mapping, so the evaluator does too.
 */
function mapCase(s: string, upper: boolean): string {
  let out = "";
  for (const ch of s) {
    if (upper && ch === "ß") {
      out += "ẞ";
      continue;
    }
    const m = upper ? ch.toUpperCase() : ch.toLowerCase();
    const first = String.fromCodePoint(m.codePointAt(0) as number);
    // Full mappings that expand (e.g. "İ" → "i̇") keep their first character, the simple mapping.
    out += [...m].length === 1 ? m : ch === "İ" ? first : ch;
  }
  return out;
}

export const lower = (s: string): string => mapCase(s, false);
export const upper = (s: string): string => mapCase(s, true);

function fold(s: string, o: ExprOptions): string {
  return o.caseInsensitive ? lower(s) : s;
}

/** Orders strings by Unicode code point, which is how UTF-8 bytes sort in SQL engines. */
export function compareStrings(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/**
 * `==`: always a boolean; different types are never equal ([DOC-EXPR]). Lists and objects are not
 * comparable and never equal (undocumented; our choice). `undefined == undefined` and `null == null` are true.
 */
export function equals(a: Value, b: Value, o: ExprOptions): boolean {
  const t = typeOf(a);
  if (t !== typeOf(b)) return false;
  switch (t) {
    case "undefined":
    case "null":
      return true;
    case "string":
      return fold(a as string, o) === fold(b as string, o);
    case "datetime":
      return (a as MpDate).ms === (b as MpDate).ms;
    case "list":
    case "object":
      return false;
    default:
      return a === b;
  }
}

/** `> >= < <=`: numbers, strings and dates order within their type; anything else is undefined. */
export function compare(a: Value, b: Value, o: ExprOptions): number | undefined {
  const t = typeOf(a);
  if (t !== typeOf(b)) return undefined;
  if (t === "number") return (a as number) - (b as number);
  if (t === "datetime") return (a as MpDate).ms - (b as MpDate).ms;
  if (t === "string") return compareStrings(fold(a as string, o), fold(b as string, o));
  return undefined;
}

/** `in`: substring for two strings, membership (with `==`) for a scalar and a list, else undefined. */
export function contains(needle: Value, hay: Value, o: ExprOptions): boolean | undefined {
  if (typeof hay === "string") {
    return typeof needle === "string" ? fold(hay, o).includes(fold(needle, o)) : undefined;
  }
  if (Array.isArray(hay)) {
    const t = typeOf(needle);
    if (t !== "string" && t !== "number" && t !== "boolean" && t !== "null") return undefined;
    return hay.some((x: Value) => equals(needle, x, o));
  }
  return undefined;
}

export function hasPrefix(s: Value, p: Value, o: ExprOptions, suffix: boolean): boolean | undefined {
  if (typeof s !== "string" || typeof p !== "string") return undefined;
  return suffix ? fold(s, o).endsWith(fold(p, o)) : fold(s, o).startsWith(fold(p, o));
}

/** `boolean(x)`: the typecast rule of [DOC-PROPS]. */
export function toBoolean(v: Value): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === "" || v === "false") return false;
  return true;
}

const DECIMAL = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/** `number(x)`: decimal text, numbers, booleans as 1/0, dates as epoch seconds; else undefined. */
export function toNumber(v: Value): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") return DECIMAL.test(v) ? finite(Number(v)) : undefined;
  if (v instanceof MpDate) return v.ms / 1000;
  return undefined;
}

/**
 * Number → text as JavaScript prints it: `42`, `1.5`, `1e-7`, `1e+21` (never `42.0`; open question Q2).
 */
export function formatNumber(n: number): string {
  return String(n);
}

/** `string(x)`: strings as-is, numbers as {@link formatNumber}, booleans as `true`/`false`, dates as ISO text. */
export function toText(v: Value, o: ExprOptions): string | null | undefined {
  if (v === undefined || v === null || typeof v === "string") return v;
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v instanceof MpDate) return formatDate(v.ms, o.timezone ?? "UTC");
  return undefined;
}

/** Dates print only within years 1–9999 (what SQL timestamps can hold); others have no text. */
export const MIN_PRINTABLE_MS = -62135596800000;
export const MAX_PRINTABLE_MS = 253402300799999;

/** The text Mixpanel returns as a segment name for an `on` value (section 3.1: "US", "true", "42"). */
export function segmentName(v: Value, o: ExprOptions): string {
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  if (typeof v === "object" && !(v instanceof MpDate)) return JSON.stringify(v);
  return toText(v, o) ?? "undefined";
}

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

/** A date as `YYYY-MM-DDTHH:MM:SS` in the project time zone (whole seconds, rounded down). */
export function formatDate(ms: number, timezone: string): string | undefined {
  if (!(ms >= MIN_PRINTABLE_MS && ms <= MAX_PRINTABLE_MS)) return undefined;
  const whole = Math.floor(ms / 1000) * 1000;
  const w = new Date(whole + offsetAt(timezone, whole));
  return `${pad(w.getUTCFullYear(), 4)}-${pad(w.getUTCMonth() + 1)}-${pad(w.getUTCDate())}T${pad(w.getUTCHours())}:${pad(w.getUTCMinutes())}:${pad(w.getUTCSeconds())}`;
}

/**
 * Pattern of the text `datetime()` accepts: `YYYY-M-D`, optionally followed by `T` or a space and
 * `HH:MM[:SS[.fff]]`, optionally followed by `Z` (then the text is UTC, not project time).
 */
export const DATETIME_PATTERN =
  "^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\\.([0-9]{1,3}))?)?)?(Z?)$";
const DATETIME_RE = new RegExp(DATETIME_PATTERN);

/** Local wall-clock fields in a zone → epoch ms. A time in a DST gap or overlap takes the earlier offset. */
export function zonedToEpochMs(fields: readonly number[], timezone: string): number {
  const [y, mo, d, h, mi, s, ms] = fields as number[];
  const asUtc = Date.UTC(y as number, (mo as number) - 1, d, h, mi, s, ms);
  const first = asUtc - offsetAt(timezone, asUtc);
  const second = asUtc - offsetAt(timezone, first);
  return Math.min(first, second);
}

/** `datetime(x)`: ISO-like text in the project time zone, or epoch seconds ([BLOG-ENG], [AB-SRC]). */
export function toDate(v: Value, o: ExprOptions): MpDate | undefined {
  if (v instanceof MpDate) return v;
  if (typeof v === "number") return new MpDate(v * 1000);
  if (typeof v !== "string") return undefined;
  const m = DATETIME_RE.exec(v);
  if (!m) return undefined;
  const f = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  f.push(Number((m[7] ?? "").padEnd(3, "0")));
  const [y, mo, d, h, mi, s] = f as number[];
  const days = new Date(Date.UTC(y as number, mo as number, 0)).getUTCDate();
  if ((mo as number) < 1 || (mo as number) > 12 || (d as number) < 1 || (d as number) > days)
    return undefined;
  if ((h as number) > 23 || (mi as number) > 59 || (s as number) > 59) return undefined;
  return new MpDate(
    m[8] === "Z"
      ? Date.UTC(y as number, (mo as number) - 1, d, h, mi, s, f[6])
      : zonedToEpochMs(f, o.timezone ?? "UTC"),
  );
}

/** `round`: half away from zero, as SQL engines round. */
export function roundHalfAway(n: number): number {
  return Math.sign(n) * Math.round(Math.abs(n));
}

/**
 * Compiles a `regex_match` pattern. [DOC-CP]: case-insensitive unless the pattern starts with `(?-i)`.
 * Constructs that RE2 (the SQL engines' regex library) rejects are rejected here too, so both back ends
 * accept the same patterns.
 */
export function compileRegex(pattern: string): {
  regex?: RegExp;
  caseSensitive: boolean;
  body: string;
  error?: string;
} {
  const caseSensitive = pattern.startsWith("(?-i)");
  const body = caseSensitive ? pattern.slice(5) : pattern;
  if (/\(\?[=!]|\(\?<[=!]|\\[1-9]|\(\?[a-zA-Z-]*[:)]/.test(body)) {
    return { caseSensitive, body, error: "lookaround, backreferences and inline flags are not supported" };
  }
  try {
    return { regex: new RegExp(body, caseSensitive ? "u" : "iu"), caseSensitive, body };
  } catch (e) {
    return { caseSensitive, body, error: (e as Error).message };
  }
}
