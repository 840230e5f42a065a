import { badRequest } from "../errors.js";
import { parseExpression } from "../params/common.js";
import { funnelWindowMs } from "../params/funnels.js";
import type { ReportKind, ReportKinds } from "./types.js";

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function str(o: Obj, key: string, required: boolean): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw badRequest(`'${key}' is required`);
    return undefined;
  }
  if (typeof v !== "string" || (required && v.trim() === "")) throw badRequest(`'${key}' must be a string`);
  return v;
}

function expr(o: Obj, key: string, where: string): string | undefined {
  const v = str(o, key, false);
  if (v !== undefined && v.trim() !== "") parseExpression(where, v);
  return v;
}

function intIn(o: Obj, key: string, min: number, max: number): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw badRequest(`'${key}' must be an integer from ${min} to ${max}`);
  }
  return v;
}

function funnel(o: Obj): ReportKinds["funnel"] {
  const steps = o["steps"];
  if (!Array.isArray(steps) || steps.length < 2) throw badRequest("'steps' must list at least 2 steps");
  // Each step becomes SQL; DuckDB refuses expressions nested deeper than 1000 levels.
  if (steps.length > MAX_STEPS) throw badRequest(`'steps' must list at most ${MAX_STEPS} steps`);
  const unit = o["length_unit"];
  if (unit !== undefined && !["day", "hour", "minute", "second"].includes(String(unit))) {
    throw badRequest("'length_unit' must be one of day, hour, minute, second");
  }
  return {
    name: str(o, "name", true) ?? "",
    steps: steps.map((s, i) => {
      if (!isObj(s)) throw badRequest(`'steps[${i}]' must be an object with an 'event'`);
      return {
        event: str(s, "event", true) ?? "",
        selector: expr(s, "selector", `steps[${i}].selector`) ?? expr(s, "where", `steps[${i}].where`),
        label: str(s, "label", false),
      };
    }),
    length: windowLength(o, (unit ?? "day") as "day" | "hour" | "minute" | "second"),
    length_unit: unit as ReportKinds["funnel"]["length_unit"],
  };
}

/** The most funnel steps, behaviours per cohort and events per Insights report a definition may hold. */
const MAX_STEPS = 60;
const MAX_BEHAVIORS = 20;
const MAX_EVENTS = 60;

/** The conversion window, checked against Mixpanel's 90-day maximum in its own unit. */
function windowLength(o: Obj, unit: "day" | "hour" | "minute" | "second"): number | undefined {
  const length = intIn(o, "length", 1, 90 * 86_400);
  if (length !== undefined) funnelWindowMs(length, unit);
  return length;
}

function cohort(o: Obj): ReportKinds["cohort"] {
  const behaviors = o["behaviors"] ?? [];
  if (!Array.isArray(behaviors)) throw badRequest("'behaviors' must be a list");
  if (behaviors.length > MAX_BEHAVIORS)
    throw badRequest(`'behaviors' must list at most ${MAX_BEHAVIORS} rules`);
  return {
    name: str(o, "name", true) ?? "",
    description: str(o, "description", false),
    selector: expr(o, "selector", "selector") ?? expr(o, "where", "where"),
    is_visible: o["is_visible"] === undefined ? undefined : Boolean(o["is_visible"]),
    behaviors: behaviors.map((b, i) => {
      if (!isObj(b)) throw badRequest(`'behaviors[${i}]' must be an object`);
      const days = intIn(b, "days", 1, 3650);
      if (days === undefined) throw badRequest(`'behaviors[${i}].days' is required`);
      return {
        event: str(b, "event", true) ?? "",
        selector: expr(b, "selector", `behaviors[${i}].selector`),
        min: intIn(b, "min", 0, 1_000_000_000),
        max: intIn(b, "max", 0, 1_000_000_000),
        days,
      };
    }),
  };
}

function insight(o: Obj): ReportKinds["insight"] {
  const events = o["events"];
  if (!Array.isArray(events) || events.length === 0 || events.some((e) => typeof e !== "string")) {
    throw badRequest("'events' must be a non-empty list of event names");
  }
  if (events.length > MAX_EVENTS) throw badRequest(`'events' must list at most ${MAX_EVENTS} events`);
  const oneOf = <T extends string>(key: string, allowed: readonly T[]): T | undefined => {
    const v = o[key];
    if (v === undefined) return undefined;
    if (!allowed.includes(v as T)) throw badRequest(`'${key}' must be one of ${allowed.join(", ")}`);
    return v as T;
  };
  const date = (key: string) => {
    const v = str(o, key, false);
    // A real calendar date from 1970 on (Date.UTC maps years 0-99 to 1900-1999; events start in 1971).
    const ok =
      v === undefined ||
      (/^\d{4}-\d{2}-\d{2}$/.test(v) &&
        v >= "1970-01-01" &&
        new Date(`${v}T00:00:00Z`).toISOString().startsWith(v));
    if (!ok) throw badRequest(`'${key}' must be a date yyyy-mm-dd from 1970-01-01 on`);
    return v;
  };
  const def = {
    name: str(o, "name", true) ?? "",
    events: events as string[],
    type: oneOf("type", ["general", "unique", "average"] as const),
    unit: oneOf("unit", ["hour", "day", "week", "month"] as const),
    from_date: date("from_date"),
    to_date: date("to_date"),
    last_days: intIn(o, "last_days", 1, 3650),
    on: expr(o, "on", "on"),
    where: expr(o, "where", "where"),
  };
  if ((def.from_date === undefined) !== (def.to_date === undefined)) {
    throw badRequest("'from_date' and 'to_date' go together");
  }
  if (def.from_date !== undefined && def.to_date !== undefined && def.from_date > def.to_date) {
    throw badRequest("'from_date' cannot be later than 'to_date'");
  }
  return def;
}

/**
 * Checks a report definition from the App API, the CLI or the config file, keeping only known fields.
 * Expressions are parsed now so a bad one is refused when saved, not when queried.
 *
 * @example
 * ```ts
 * validateReport("funnel", { name: "Signup", steps: [{ event: "a" }, { event: "b" }] });
 * ```
 */
export function validateReport<K extends ReportKind>(kind: K, body: unknown): ReportKinds[K] {
  if (!isObj(body)) throw badRequest("the body must be a JSON object");
  const make = { funnel, cohort, insight }[kind] as (o: Obj) => ReportKinds[K];
  return JSON.parse(JSON.stringify(make(body))) as ReportKinds[K];
}
