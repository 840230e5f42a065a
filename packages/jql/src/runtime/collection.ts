import type { AnyFn, Fn1, Lib, SourceSpec, Stage } from "./lib.js";

/**
 * `Events()`, `People()`, `join()` and the chainable collection. Building a chain only records
 * it: nothing runs until the host has read the plan and starts streaming data (that is what lets
 * the source take over the date range, selectors and, later, a leading groupBy).
 * Runs inside the sandbox (see lib.ts): self-contained.
 */
export function installCollections(lib: Lib): void {
  const PARTS = "__jqlCollection";
  type Parts = { source: SourceSpec; stages: Stage[] };

  const make = (source: SourceSpec, stages: Stage[]): object => {
    const c = Object.create(proto) as object;
    lib.tag(c, PARTS, { source, stages });
    return c;
  };
  const partsOf = (c: unknown): Parts => {
    const p = c !== null && typeof c === "object" ? (c as Record<string, unknown>)[PARTS] : undefined;
    if (!p) throw new TypeError("not a JQL collection");
    return p as Parts;
  };
  lib.isCollection = (v) => v !== null && typeof v === "object" && !!(v as Record<string, unknown>)[PARTS];
  lib.collectionParts = partsOf;

  const then = (self: unknown, stage: Stage): object => {
    const p = partsOf(self);
    return make(p.source, p.stages.concat([stage]));
  };
  const needFn = (fn: unknown, what: string): Fn1 => {
    if (typeof fn !== "function") throw new TypeError(`${what}() expects a function`);
    return fn as Fn1;
  };
  const reducersOf = (
    r: unknown,
    what: string,
    mode: "group" | "user",
  ): { reducers: unknown[]; list: boolean } => {
    const list = lib.isArray(r);
    const reducers = list ? (r as unknown[]) : [r];
    if (reducers.length === 0) throw new TypeError(`${what}() needs at least one reducer`);
    // Validate now so the error points at the script line that built the chain.
    for (let i = 0; i < reducers.length; i++) lib.reducerImpl(reducers[i], mode);
    return { reducers, list };
  };
  const checkKeys = (keys: unknown, what: string): void => {
    lib.compileKeys(keys, what);
  };

  const proto: Record<string, AnyFn> = {
    filter(this: unknown, fn: unknown) {
      return then(this, { op: "filter", fn: needFn(fn, "filter") });
    },
    map(this: unknown, fn: unknown) {
      return then(this, { op: "map", fn: needFn(fn, "map") });
    },
    flatten(this: unknown) {
      return then(this, { op: "flatten" });
    },
    sortAsc(this: unknown, accessor: unknown) {
      lib.accessor(accessor, "sortAsc");
      return then(this, { op: "sortAsc", accessor });
    },
    sortDesc(this: unknown, accessor: unknown) {
      lib.accessor(accessor, "sortDesc");
      return then(this, { op: "sortDesc", accessor });
    },
    reduce(this: unknown, r: unknown) {
      const { reducers, list } = reducersOf(r, "reduce", "group");
      return then(this, { op: "reduce", reducers, list });
    },
    groupBy(this: unknown, keys: unknown, r: unknown) {
      checkKeys(keys, "groupBy");
      const { reducers, list } = reducersOf(r, "groupBy", "group");
      return then(this, { op: "groupBy", keys, reducers, list });
    },
    groupByUser(this: unknown, a: unknown, b: unknown) {
      // groupByUser([keys], reducer) or groupByUser(reducer).
      const hasKeys = b !== undefined;
      const keys = hasKeys ? a : [];
      const r = hasKeys ? b : a;
      // "groupByUser() can only be applied to the source data collection", optionally after
      // filter() (JQL reference): the per-user temporal order only exists there.
      const p = partsOf(this);
      for (let i = 0; i < p.stages.length; i++) {
        if ((p.stages[i] as Stage).op !== "filter")
          throw new TypeError(
            "groupByUser() can only follow Events(), People() or join(), optionally after filter()",
          );
      }
      checkKeys(keys, "groupByUser");
      const { reducers, list } = reducersOf(r, "groupByUser", "user");
      return then(this, { op: "groupByUser", keys, reducers, list });
    },
    applyGroupLimits(this: unknown, limits: unknown, global: unknown) {
      if (!lib.isArray(limits) || limits.some((l) => lib.finiteNumber(l) === undefined))
        throw new TypeError("applyGroupLimits() expects a list of numeric limits");
      const g = global === undefined ? undefined : lib.finiteNumber(global);
      if (global !== undefined && g === undefined)
        throw new TypeError("applyGroupLimits(): the global limit must be a number");
      return then(this, { op: "applyGroupLimits", limits: limits as number[], global: g });
    },
  };
  Object.defineProperty(proto, "toString", { value: () => "[JQL collection]", enumerable: false });

  const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
  const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

  lib.Events = (args: unknown) => {
    if (args === null || typeof args !== "object")
      throw new TypeError("Events() expects {from_date, to_date, event_selectors}");
    const a = args as Record<string, unknown>;
    const from = str(a["from_date"]);
    const to = str(a["to_date"]);
    // Mixpanel requires both dates, as YYYY-MM-DD.
    if (!from || !DAY_RE.test(from))
      throw new TypeError(`Events(): from_date must be a YYYY-MM-DD date, got ${String(a["from_date"])}`);
    if (!to || !DAY_RE.test(to))
      throw new TypeError(`Events(): to_date must be a YYYY-MM-DD date, got ${String(a["to_date"])}`);
    if (from > to) throw new RangeError("Events(): from_date is after to_date");
    const sel = a["event_selectors"];
    if (sel !== undefined && !lib.isArray(sel))
      throw new TypeError("Events(): event_selectors must be a list");
    const event_selectors = (sel ?? []).map((s) => {
      if (s === null || typeof s !== "object")
        throw new TypeError("Events(): each event selector is an object");
      const r = s as Record<string, unknown>;
      const out: { event?: string; selector?: string; label?: string } = {};
      if (r["event"] !== undefined) out.event = String(r["event"]);
      if (r["selector"] !== undefined) out.selector = String(r["selector"]);
      if (r["label"] !== undefined) out.label = String(r["label"]);
      return out;
    });
    return make({ kind: "events", events: { from_date: from, to_date: to, event_selectors } }, []);
  };

  lib.People = (args: unknown) => {
    const a = (args ?? {}) as Record<string, unknown>;
    const sel = a["user_selectors"];
    if (sel !== undefined && !lib.isArray(sel))
      throw new TypeError("People(): user_selectors must be a list");
    const user_selectors = (sel ?? []).map((s) => {
      const r = (s ?? {}) as Record<string, unknown>;
      if (typeof r["selector"] !== "string")
        throw new TypeError("People(): each user selector is {selector: string}");
      return { selector: r["selector"] };
    });
    return make({ kind: "people", people: { user_selectors } }, []);
  };

  lib.join = (events: unknown, people: unknown, options: unknown) => {
    const e = lib.isCollection(events) ? partsOf(events) : undefined;
    const p = lib.isCollection(people) ? partsOf(people) : undefined;
    if (e?.source.kind !== "events" || p?.source.kind !== "people")
      throw new TypeError("join() expects join(Events(...), People(...), options)");
    // "You cannot apply any transformations to the collections inside join()".
    if (e.stages.length > 0 || p.stages.length > 0)
      throw new TypeError("join(): transformations inside join() are not allowed");
    const o = (options ?? {}) as Record<string, unknown>;
    const type = o["type"] === undefined ? "full" : String(o["type"]);
    if (type !== "full" && type !== "left" && type !== "right" && type !== "inner")
      throw new TypeError('join(): type must be "full", "left", "right" or "inner"');
    const sel = o["selectors"];
    if (sel !== undefined && !lib.isArray(sel)) throw new TypeError("join(): selectors must be a list");
    const selectors = (sel ?? []).map((s) => {
      const r = (s ?? {}) as Record<string, unknown>;
      const out: { event?: string; selector?: string } = {};
      if (r["event"] !== undefined) out.event = String(r["event"]);
      if (r["selector"] !== undefined) out.selector = String(r["selector"]);
      return out;
    });
    return make({ kind: "join", events: e.source.events, people: p.source.people, type, selectors }, []);
  };
}
