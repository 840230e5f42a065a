import type { Expr } from "@mpkit/expr";
import type { Bucketing } from "../buckets.js";
import { badRequest } from "../errors.js";
import type { FunnelDefinition } from "../reports/types.js";
import {
  dateRange,
  expression,
  integer,
  oneOf,
  opt,
  type ParamContext,
  type Params,
  parseExpression,
  required,
} from "./common.js";

/** A funnel step ready to plan. */
export interface FunnelStep {
  readonly event: string;
  readonly label: string;
  readonly where?: Expr | undefined;
}

/** A parsed `/funnels` request over a saved funnel (section 3.4). */
export interface FunnelRequest {
  readonly funnelId: number;
  readonly steps: readonly FunnelStep[];
  readonly fromDay: number;
  readonly toDay: number;
  readonly bucketing: Bucketing;
  /** Conversion window in ms (at most 90 days). */
  readonly windowMs: number;
  readonly on?: Expr | undefined;
  readonly where?: Expr | undefined;
  readonly limit: number;
}

const UNIT_MS = { day: 86_400_000, hour: 3_600_000, minute: 60_000, second: 1000 } as const;
const MAX_WINDOW_MS = 90 * 86_400_000;

/**
 * A funnel's conversion window in ms, refused past Mixpanel's 90 days; shared by `/funnels` and the
 * saved-funnel validation so both apply the same rule.
 *
 * @example
 * ```ts
 * funnelWindowMs(7, "day") // 604800000
 * ```
 */
export function funnelWindowMs(length: number, unit: keyof typeof UNIT_MS): number {
  const windowMs = length * UNIT_MS[unit];
  if (windowMs > MAX_WINDOW_MS) throw badRequest("'length' cannot be greater than 90 days");
  return windowMs;
}

/** `funnel_id` (required, a positive integer). */
export function funnelId(p: Params): number {
  required(p, "funnel_id");
  return integer(p, "funnel_id", 1, Number.MAX_SAFE_INTEGER) as number;
}

/**
 * Parses `/funnels` against the saved definition: `length` / `length_unit` default to the saved window
 * and may not exceed 90 days; `interval` (days per bucket, default 1) or `unit` (day/week/month).
 *
 * @example
 * ```ts
 * parseFunnel(params, ctx, 7, { name: "f", steps: [{ event: "a" }, { event: "b" }] });
 * ```
 */
export function parseFunnel(p: Params, ctx: ParamContext, id: number, def: FunnelDefinition): FunnelRequest {
  const { fromDay, toDay } = dateRange(p, ctx);
  const lengthUnit = oneOf(
    p,
    "length_unit",
    ["day", "hour", "minute", "second"] as const,
    def.length_unit ?? "day",
  );
  const length = integer(p, "length", 1, 90 * 86_400, def.length ?? 30);
  const windowMs = funnelWindowMs(length, lengthUnit);
  const unitGiven = opt(p, "unit") !== undefined;
  const unit = oneOf(p, "unit", ["day", "week", "month"] as const, "day");
  const interval = unitGiven ? undefined : integer(p, "interval", 1, 3650, 1);
  const steps = def.steps.map((s, i) => ({
    event: s.event,
    label: s.label ?? s.event,
    where:
      s.selector === undefined || s.selector.trim() === ""
        ? undefined
        : parseExpression(`steps[${i}].selector`, s.selector),
  }));
  return {
    funnelId: id,
    steps,
    fromDay,
    toDay,
    bucketing: {
      unit,
      timezone: ctx.timezone,
      intervalDays: interval === undefined || interval === 1 ? undefined : interval,
      originDay: fromDay,
    },
    windowMs,
    on: expression(p, "on"),
    where: expression(p, "where"),
    limit: integer(p, "limit", 1, 10_000, 255),
  };
}
