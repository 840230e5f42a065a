import type { Expr } from "@mpkit/expr";
import { type Bucketing, dayOfMonthIndex, mondayOf, monthOfDay, type Unit } from "../buckets.js";
import { badRequest } from "../errors.js";
import {
  type CountType,
  countType,
  dateRange,
  type Format,
  format,
  integer,
  opt,
  type ParamContext,
  type Params,
  required,
  stringArray,
  todayDay,
  unit,
} from "./common.js";

/** `/events` and `/events/properties`: counts per event (or property value) per bucket (3.8, 3.11). */
export interface EventsRequest {
  readonly events: readonly string[];
  readonly fromDay: number;
  readonly toDay: number;
  readonly bucketing: Bucketing;
  readonly type: CountType;
  /** With `interval`: keep only the last N buckets (ending with the current one). */
  readonly lastBuckets?: number | undefined;
  readonly format: Format;
  /** `/events/properties` only: the property broken down by. */
  readonly property?: string | undefined;
  /** `/events/properties` only: the values kept. */
  readonly values?: readonly string[] | undefined;
  readonly limit?: number | undefined;
  readonly where?: Expr | undefined;
}

const UNITS: readonly Unit[] = ["minute", "hour", "day", "week", "month"];

/** `interval` = N units ending with the current one; else `from_date`/`to_date` (section 3.8). */
function range(
  p: Params,
  ctx: ParamContext,
  u: Unit,
): { fromDay: number; toDay: number; lastBuckets?: number } {
  const n = integer(p, "interval", 1, 100_000);
  if (n === undefined) return dateRange(p, ctx);
  const today = todayDay(ctx);
  switch (u) {
    case "minute":
      return { fromDay: today - Math.ceil(n / 1440), toDay: today, lastBuckets: n };
    case "hour":
      return { fromDay: today - Math.ceil(n / 24), toDay: today, lastBuckets: n };
    case "day":
      return { fromDay: today - n + 1, toDay: today, lastBuckets: n };
    case "week":
      return { fromDay: mondayOf(today) - 7 * (n - 1), toDay: today, lastBuckets: n };
    case "month":
      return { fromDay: dayOfMonthIndex(monthOfDay(today) - n + 1), toDay: today, lastBuckets: n };
  }
}

function typeAndUnit(p: Params): { type: CountType; unit: Unit } {
  const type = countType(p);
  required(p, "type");
  required(p, "unit");
  const u = unit(p, UNITS, "day");
  // "You cannot get hourly uniques" (section 3.8).
  if (type !== "general" && (u === "hour" || u === "minute")) {
    throw badRequest(`'type' ${type} cannot be combined with unit ${u}: you cannot get hourly uniques`);
  }
  return { type, unit: u };
}

/**
 * Parses `/events`: `event` (JSON array), `type`, `unit`, `interval` or dates, `format`.
 *
 * @example
 * ```ts
 * parseEvents(new URLSearchParams('event=["a"]&type=general&unit=day&interval=7'), ctx);
 * ```
 */
export function parseEvents(p: Params, ctx: ParamContext): EventsRequest {
  const events = stringArray(p, "event");
  if (events === undefined) throw badRequest("'event' is a required parameter");
  const { type, unit: u } = typeAndUnit(p);
  const r = range(p, ctx, u);
  return {
    events,
    ...r,
    type,
    bucketing: { unit: u, timezone: ctx.timezone },
    format: format(p),
  };
}

/**
 * Parses `/events/properties`: `event`, `name`, `values`, `type`, `unit`, `interval` or dates, `limit`.
 *
 * @example
 * ```ts
 * parseEventProperties(new URLSearchParams("event=a&name=plan&type=general&unit=day&interval=7"), ctx);
 * ```
 */
export function parseEventProperties(p: Params, ctx: ParamContext): EventsRequest {
  const event = required(p, "event");
  const property = required(p, "name");
  const { type, unit: u } = typeAndUnit(p);
  const r = range(p, ctx, u);
  return {
    events: [event],
    ...r,
    type,
    bucketing: { unit: u, timezone: ctx.timezone },
    format: format(p),
    property,
    values: stringArray(p, "values"),
    limit: integer(p, "limit", 1, 10_000, 255),
  };
}

/** `/events/top` and `/events/names`. */
export interface TopEventsRequest {
  readonly type: CountType;
  readonly limit: number;
}

/**
 * Parses `/events/top` (limit default 100) and `/events/names` (default 255).
 *
 * @example
 * ```ts
 * parseTopEvents(new URLSearchParams("type=general"), 100);
 * ```
 */
export function parseTopEvents(p: Params, defaultLimit: number): TopEventsRequest {
  required(p, "type");
  return { type: countType(p), limit: integer(p, "limit", 1, 100_000, defaultLimit) };
}

/** `/events/properties/top` and `/events/properties/values`. */
export interface PropertyListRequest {
  readonly event: string;
  readonly name?: string | undefined;
  readonly limit: number;
}

/**
 * Parses `/events/properties/top` (`event`, `limit` default 10) and `/events/properties/values`
 * (`event`, `name`, `limit` default 255).
 *
 * @example
 * ```ts
 * parsePropertyList(new URLSearchParams("event=a&name=plan"), true, 255);
 * ```
 */
export function parsePropertyList(p: Params, needsName: boolean, defaultLimit: number): PropertyListRequest {
  const event = required(p, "event");
  const name = needsName ? required(p, "name") : opt(p, "name");
  return { event, name, limit: integer(p, "limit", 1, 100_000, defaultLimit) };
}
