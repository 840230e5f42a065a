import type { Expr } from "@mpkit/expr";
import { badRequest } from "../errors.js";
import {
  bool,
  dateRange,
  expression,
  integer,
  oneOf,
  opt,
  type ParamContext,
  type Params,
} from "./common.js";

/** A parsed `/retention` request (sections 3.6, 4.3). */
export interface RetentionRequest {
  readonly retentionType: "birth" | "compounded";
  readonly bornEvent?: string | undefined;
  /** Return event; `undefined` = any event. */
  readonly event?: string | undefined;
  readonly bornWhere?: Expr | undefined;
  readonly where?: Expr | undefined;
  readonly fromDay: number;
  readonly toDay: number;
  readonly unit: "day" | "week" | "month";
  /** Units per interval. */
  readonly interval: number;
  /** Intervals after the 0th. */
  readonly intervalCount: number;
  readonly unbounded: boolean;
  readonly on?: Expr | undefined;
  readonly limit: number;
  readonly timezone: string;
}

/**
 * Parses `/retention`: `retention_type` (birth default, needs `born_event`), `event`, `born_where`,
 * `where`, `unit` (day/week/month), `interval` (≤ 90 days), `interval_count`, `unbounded_retention`, `on`.
 *
 * @example
 * ```ts
 * parseRetention(new URLSearchParams("born_event=a&from_date=2024-01-01&to_date=2024-01-07"), ctx);
 * ```
 */
export function parseRetention(p: Params, ctx: ParamContext): RetentionRequest {
  const { fromDay, toDay } = dateRange(p, ctx);
  const retentionType = oneOf(p, "retention_type", ["birth", "compounded"] as const, "birth");
  const bornEvent = opt(p, "born_event");
  if (retentionType === "birth" && bornEvent === undefined) {
    throw badRequest("'born_event' is a required parameter for birth retention");
  }
  const unit = oneOf(p, "unit", ["day", "week", "month"] as const, "day");
  const interval = integer(p, "interval", 1, 3650, 1);
  if (unit === "day" && interval > 90) throw badRequest("'interval' cannot be greater than 90 days");
  return {
    retentionType,
    bornEvent,
    event: opt(p, "event"),
    bornWhere: expression(p, "born_where"),
    where: expression(p, "where"),
    fromDay,
    toDay,
    unit,
    interval,
    intervalCount: integer(p, "interval_count", 0, 3650, 1),
    unbounded: bool(p, "unbounded_retention", false),
    on: expression(p, "on"),
    limit: integer(p, "limit", 1, 10_000, 255),
    timezone: ctx.timezone,
  };
}

/** A parsed `/retention/addiction` request (sections 3.7, 4.4). */
export interface AddictionRequest {
  readonly fromDay: number;
  readonly toDay: number;
  readonly unit: "day" | "week" | "month";
  readonly addictionUnit: "hour" | "day";
  readonly event?: string | undefined;
  readonly where?: Expr | undefined;
  readonly on?: Expr | undefined;
  readonly limit: number;
}

/**
 * Parses `/retention/addiction`: `unit` and `addiction_unit` are required.
 *
 * @example
 * ```ts
 * parseAddiction(new URLSearchParams("unit=week&addiction_unit=day&from_date=2024-01-01&to_date=2024-01-07"), ctx);
 * ```
 */
export function parseAddiction(p: Params, ctx: ParamContext): AddictionRequest {
  const { fromDay, toDay } = dateRange(p, ctx);
  if (opt(p, "unit") === undefined) throw badRequest("'unit' is a required parameter");
  if (opt(p, "addiction_unit") === undefined) throw badRequest("'addiction_unit' is a required parameter");
  return {
    fromDay,
    toDay,
    unit: oneOf(p, "unit", ["day", "week", "month"] as const, "day"),
    addictionUnit: oneOf(p, "addiction_unit", ["hour", "day"] as const, "day"),
    event: opt(p, "event"),
    where: expression(p, "where"),
    on: expression(p, "on"),
    limit: integer(p, "limit", 1, 10_000, 255),
  };
}
