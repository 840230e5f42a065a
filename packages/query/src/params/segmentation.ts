import type { Expr } from "@mpkit/expr";
import type { Bucketing } from "../buckets.js";
import { badRequest } from "../errors.js";
import {
  type CountType,
  countType,
  dateRange,
  expression,
  type Format,
  format,
  integer,
  opt,
  type ParamContext,
  type Params,
  required,
  unit,
} from "./common.js";

/** A parsed `/segmentation` request (mixpanel-read-side.md 3.1). */
export interface SegmentationRequest {
  readonly events: readonly string[];
  readonly fromDay: number;
  readonly toDay: number;
  readonly bucketing: Bucketing;
  readonly type: CountType;
  readonly on?: Expr | undefined;
  readonly where?: Expr | undefined;
  /** Top segments kept with `on` (default 60, at most 10,000). */
  readonly limit: number;
  readonly format: Format;
}

/** Buckets from `unit` or, when given, `interval` (days per bucket, counted from `from_date`). */
export function bucketingOf(
  p: Params,
  ctx: ParamContext,
  fromDay: number,
  units: readonly ("minute" | "hour" | "day" | "week" | "month")[],
): Bucketing {
  const intervalDays = opt(p, "unit") === undefined ? integer(p, "interval", 1, 3650) : undefined;
  return {
    unit: unit(p, units, "day"),
    timezone: ctx.timezone,
    intervalDays: intervalDays === 1 ? undefined : intervalDays,
    originDay: fromDay,
  };
}

/**
 * Parses `/segmentation`: `event` (required), dates, `unit` (minute/hour/day/week/month, default day),
 * `interval`, `type`, `on`, `where`, `limit`, `format`.
 *
 * @example
 * ```ts
 * parseSegmentation(new URLSearchParams("event=x&from_date=2024-01-01&to_date=2024-01-02"), ctx);
 * ```
 */
export function parseSegmentation(p: Params, ctx: ParamContext): SegmentationRequest {
  const event = required(p, "event");
  const { fromDay, toDay } = dateRange(p, ctx);
  return {
    events: [event],
    fromDay,
    toDay,
    bucketing: bucketingOf(p, ctx, fromDay, ["minute", "hour", "day", "week", "month"]),
    type: countType(p),
    on: expression(p, "on"),
    where: expression(p, "where"),
    limit: integer(p, "limit", 1, 10_000, 60),
    format: format(p),
  };
}

/** `/segmentation/numeric`, `/sum` and `/average`: `on` is a required numeric expression (3.2, 3.3). */
export interface NumericRequest {
  readonly event: string;
  readonly fromDay: number;
  readonly toDay: number;
  readonly bucketing: Bucketing;
  readonly type: CountType;
  readonly on: Expr;
  readonly where?: Expr | undefined;
  readonly format: Format;
}

/**
 * Parses the numeric segmentation family (`unit` hour or day).
 *
 * @example
 * ```ts
 * parseNumeric(new URLSearchParams('event=x&on=properties["n"]&from_date=2024-01-01&to_date=2024-01-02'), ctx);
 * ```
 */
export function parseNumeric(p: Params, ctx: ParamContext): NumericRequest {
  const event = required(p, "event");
  const { fromDay, toDay } = dateRange(p, ctx);
  const on = expression(p, "on");
  if (on === undefined) throw badRequest("'on' is a required parameter");
  return {
    event,
    fromDay,
    toDay,
    bucketing: bucketingOf(p, ctx, fromDay, ["hour", "day"]),
    type: countType(p),
    on,
    where: expression(p, "where"),
    format: format(p),
  };
}
