import { type Expr, ExprError, parse } from "@mpkit/expr";
import { dayNumber, type Unit } from "../buckets.js";
import { badRequest } from "../errors.js";
import { offsetAt } from "../time-zone.js";

/** Request parameters, already merged from the query string and a form body. */
export interface Params {
  /** The value, or `undefined` / `null` when absent (`URLSearchParams` gives `null`). */
  get(name: string): string | undefined | null;
}

/** What parameter parsing needs besides the parameters: the project zone and the clock. */
export interface ParamContext {
  readonly timezone: string;
  readonly nowMs: number;
}

/** Mixpanel's `type`: total events, distinct users, or total ÷ users (section 3.1). */
export type CountType = "general" | "unique" | "average";

/** `format`: JSON or CSV where Mixpanel offers it. */
export type Format = "json" | "csv";

/** A parameter's value, `undefined` when absent or empty. */
export function opt(p: Params, name: string): string | undefined {
  const v = p.get(name);
  return v === undefined || v === null || v.trim() === "" ? undefined : v;
}

/** A required parameter (400 `'name' is a required parameter` when missing). */
export function required(p: Params, name: string): string {
  const v = opt(p, name);
  if (v === undefined) throw badRequest(`'${name}' is a required parameter`);
  return v;
}

/** Today's day number in the zone. */
export function todayDay(ctx: ParamContext): number {
  return Math.floor((ctx.nowMs + offsetAt(ctx.timezone, ctx.nowMs)) / 86_400_000);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDay(p: Params, name: string): number {
  const text = required(p, name).trim();
  const m = DATE.exec(text);
  const day = m === null ? Number.NaN : dayNumber(text);
  if (m === null || new Date(day * 86_400_000).toISOString().slice(0, 10) !== text) {
    throw badRequest(`'${name}' is invalid: expected yyyy-mm-dd, got ${JSON.stringify(text)}`);
  }
  // Mixpanel keeps no events before 1971; earlier dates only make ranges (and bucket lists) huge.
  if (text < "1970-01-01") throw badRequest(`'${name}' is invalid: must be 1970-01-01 or later`);
  return day;
}

/**
 * `from_date` / `to_date` (inclusive, project time; section 1). A `to_date` after today is refused as
 * Mixpanel's export does (`to_date cannot be later than today`).
 */
export function dateRange(p: Params, ctx: ParamContext): { fromDay: number; toDay: number } {
  const fromDay = parseDay(p, "from_date");
  const toDay = parseDay(p, "to_date");
  if (toDay > todayDay(ctx)) throw badRequest("to_date cannot be later than today");
  if (fromDay > toDay) throw badRequest("'from_date' cannot be later than 'to_date'");
  return { fromDay, toDay };
}

/** One of a fixed set of words. */
export function oneOf<T extends string>(p: Params, name: string, allowed: readonly T[], fallback: T): T;
export function oneOf<T extends string>(
  p: Params,
  name: string,
  allowed: readonly T[],
  fallback?: T,
): T | undefined;
export function oneOf<T extends string>(
  p: Params,
  name: string,
  allowed: readonly T[],
  fallback?: T,
): T | undefined {
  const v = opt(p, name);
  if (v === undefined) return fallback;
  const w = v.trim().toLowerCase() as T;
  if (!allowed.includes(w))
    throw badRequest(`'${name}' must be one of ${allowed.join(", ")}, got ${JSON.stringify(v)}`);
  return w;
}

/** An integer within bounds. */
export function integer(p: Params, name: string, min: number, max: number, fallback: number): number;
export function integer(p: Params, name: string, min: number, max: number): number | undefined;
export function integer(
  p: Params,
  name: string,
  min: number,
  max: number,
  fallback?: number,
): number | undefined {
  const v = opt(p, name);
  if (v === undefined) return fallback;
  const n = Number(v.trim());
  if (!Number.isInteger(n) || n < min || n > max) {
    throw badRequest(`'${name}' must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  }
  return n;
}

/** A boolean flag (`1`, `true`, `0`, `false`). */
export function bool(p: Params, name: string, fallback: boolean): boolean {
  const v = opt(p, name)?.trim().toLowerCase();
  if (v === undefined) return fallback;
  if (v === "1" || v === "true") return true;
  if (v === "0" || v === "false") return false;
  throw badRequest(`'${name}' must be true or false, got ${JSON.stringify(v)}`);
}

/** An expression-language parameter, parsed now so a bad expression is a 400 before any data is read. */
export function expression(p: Params, name: string): Expr | undefined {
  const text = opt(p, name);
  if (text === undefined) return undefined;
  return parseExpression(name, text);
}

/** Parses expression text, turning {@link ExprError} into a 400 that names the parameter. */
export function parseExpression(name: string, text: string): Expr {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof ExprError) throw badRequest(`'${name}' is invalid: ${error.message}`);
    throw error;
  }
}

/** A JSON array of strings, e.g. `event=["a","b"]`. */
export function stringArray(p: Params, name: string): string[] | undefined {
  const text = opt(p, name);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.some((e) => typeof e !== "string")) {
    throw badRequest(`'${name}' must be a JSON array of strings, e.g. ["Signed Up"]`);
  }
  return parsed as string[];
}

/** `type` (general / unique / average). */
export function countType(p: Params, fallback: CountType = "general"): CountType {
  return oneOf(p, "type", ["general", "unique", "average"] as const, fallback);
}

/** `format` (json / csv). */
export function format(p: Params): Format {
  return oneOf(p, "format", ["json", "csv"] as const, "json");
}

/** `unit` from an allowed set. */
export function unit<U extends Unit>(p: Params, allowed: readonly U[], fallback: U): U {
  return oneOf(p, "unit", allowed, fallback);
}
