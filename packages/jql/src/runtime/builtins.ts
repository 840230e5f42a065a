import type { AccessorPlan, AnyFn, Fn1, Lib, ReducerImpl, ReducerPlan } from "./lib.js";

/**
 * `mixpanel.*`: reducers, accessor helpers, time bucket constants, and the group-key compiler.
 * Runs inside the sandbox (see lib.ts): self-contained.
 */
export function installBuiltins(lib: Lib): void {
  const DAY = 86400000;
  const IMPL = "__jqlReducer";
  const PLAN = "__jqlPlan";

  /**
   * Built-in reducers are real `function(accumulators, items)` values (so scripts can call or wrap
   * them like custom reducers) that also carry an exact state-based implementation the engine
   * uses, and a plan entry a SQL source can push down.
   */
  const builtin = (
    name: string,
    accessorSpec: unknown,
    args: unknown[],
    impl: { init(): unknown; add(state: unknown, items: unknown[]): unknown; done(state: unknown): unknown },
    absorb: (state: unknown, acc: unknown) => unknown,
  ): AnyFn => {
    const plan: ReducerPlan = { kind: "builtin", name };
    if (accessorSpec !== undefined) plan["accessor"] = lib.describeAccessor(accessorSpec);
    if (args.length > 0) plan["args"] = args;
    const full: ReducerImpl = { init: impl.init, add: impl.add, done: impl.done, plan };
    const direct = (accumulators: unknown, items: unknown) => {
      let state = impl.init();
      if (lib.isArray(accumulators))
        for (let i = 0; i < accumulators.length; i++) state = absorb(state, accumulators[i]);
      if (lib.isArray(items)) state = impl.add(state, items);
      return impl.done(state);
    };
    return lib.tag(direct as AnyFn, IMPL, full);
  };

  // Numeric reducers skip values that are not finite numbers: the reference offers
  // mixpanel.to_number() precisely for "numeric aggregations over mixed non-numeric data".
  const numeric = (spec: unknown, what: string) => {
    const get = lib.accessor(spec, what);
    return (item: unknown) => lib.finiteNumber(get(item));
  };

  const count = (options?: unknown): AnyFn => {
    const sampled = !!(options && (options as Record<string, unknown>)["account_for_sampling"]);
    // account_for_sampling weights each event by 1/sampling_factor (Mixpanel's own insights
    // scripts do exactly this before the option existed).
    return builtin(
      "count",
      undefined,
      options === undefined ? [] : [options],
      {
        init: () => 0,
        add: (s, items) => {
          if (!sampled) return (s as number) + items.length;
          let n = s as number;
          for (let i = 0; i < items.length; i++) {
            const f = lib.getPath(items[i], "sampling_factor");
            n += typeof f === "number" && f > 0 && f <= 1 ? 1 / f : 1;
          }
          return n;
        },
        done: (s) => s,
      },
      (s, acc) => (s as number) + (lib.finiteNumber(acc) ?? 0),
    );
  };

  const sum = (spec?: unknown): AnyFn => {
    const get = numeric(spec, "mixpanel.reducer.sum");
    return builtin(
      "sum",
      spec,
      [],
      {
        init: () => 0,
        add: (s, items) => {
          let t = s as number;
          for (let i = 0; i < items.length; i++) t += get(items[i]) ?? 0;
          return t;
        },
        done: (s) => s,
      },
      (s, acc) => (s as number) + (lib.finiteNumber(acc) ?? 0),
    );
  };

  type Summary = { count: number; sum: number; sum_squares: number };
  const summaryAdd = (get: (x: unknown) => number | undefined) => (s: unknown, items: unknown[]) => {
    const st = s as Summary;
    for (let i = 0; i < items.length; i++) {
      const v = get(items[i]);
      if (v === undefined) continue;
      st.count++;
      st.sum += v;
      st.sum_squares += v * v;
    }
    return st;
  };
  const avg = (spec?: unknown): AnyFn => {
    const get = numeric(spec, "mixpanel.reducer.avg");
    return builtin(
      "avg",
      spec,
      [],
      {
        init: () => ({ count: 0, sum: 0, sum_squares: 0 }),
        add: summaryAdd(get),
        done: (s) => ((s as Summary).count === 0 ? null : (s as Summary).sum / (s as Summary).count),
      },
      // A previous average carries no weight: treat it as one value (only reachable when a
      // script calls the reducer function itself).
      (s, acc) => summaryAdd((x) => lib.finiteNumber(x))(s, [acc]),
    );
  };
  // Population standard deviation: the reference's sample (count 221, sum 32624, sum_squares
  // 9199564) has stddev 140.838023, which is the population formula.
  const numeric_summary = (spec?: unknown): AnyFn => {
    const get = numeric(spec, "mixpanel.reducer.numeric_summary");
    return builtin(
      "numeric_summary",
      spec,
      [],
      {
        init: () => ({ count: 0, sum: 0, sum_squares: 0 }),
        add: summaryAdd(get),
        done: (s) => {
          const st = s as Summary;
          if (st.count === 0) return { count: 0, sum: 0, sum_squares: 0, avg: null, stddev: null };
          const mean = st.sum / st.count;
          const variance = Math.max(0, st.sum_squares / st.count - mean * mean);
          return {
            count: st.count,
            sum: st.sum,
            sum_squares: st.sum_squares,
            avg: mean,
            stddev: Math.sqrt(variance),
          };
        },
      },
      (s, acc) => {
        const st = s as Summary;
        const a = acc as Partial<Summary> | null;
        if (a && typeof a === "object") {
          st.count += lib.finiteNumber(a.count) ?? 0;
          st.sum += lib.finiteNumber(a.sum) ?? 0;
          st.sum_squares += lib.finiteNumber(a.sum_squares) ?? 0;
        }
        return st;
      },
    );
  };

  const extreme = (name: string, spec: unknown, better: (a: number, b: number) => boolean): AnyFn => {
    const get = numeric(spec, `mixpanel.reducer.${name}`);
    const pick = (s: unknown, v: number | undefined) =>
      v !== undefined && (s === null || better(v, s as number)) ? v : s;
    return builtin(
      name,
      spec,
      [],
      {
        init: () => null,
        add: (s, items) => {
          let m = s;
          for (let i = 0; i < items.length; i++) m = pick(m, get(items[i]));
          return m;
        },
        done: (s) => s,
      },
      (s, acc) => pick(s, lib.finiteNumber(acc)),
    );
  };
  // min_by/max_by "find the element ... that gives the minimum (or maximum) value": they return
  // the whole element, e.g. the full event object in the reference's sample.
  const extremeBy = (name: string, spec: unknown, better: (a: number, b: number) => boolean): AnyFn => {
    const get = numeric(spec, `mixpanel.reducer.${name}`);
    type St = { v: number; item: unknown } | null;
    const addOne = (s: St, item: unknown): St => {
      const v = get(item);
      return v !== undefined && (s === null || better(v, s.v)) ? { v, item } : s;
    };
    return builtin(
      name,
      spec,
      [],
      {
        init: () => null,
        add: (s, items) => {
          let m = s as St;
          for (let i = 0; i < items.length; i++) m = addOne(m, items[i]);
          return m;
        },
        done: (s) => (s === null ? null : (s as { item: unknown }).item),
      },
      (s, acc) => addOne(s as St, acc),
    );
  };

  // Exact percentiles with linear interpolation between closest ranks. Mixpanel's are
  // approximate ("will differ from exact percentile value up to a fixed error bound"), so exact
  // values are within its contract.
  const numeric_percentiles = (spec: unknown, percentiles: unknown): AnyFn => {
    const get = numeric(spec, "mixpanel.reducer.numeric_percentiles");
    const many = lib.isArray(percentiles);
    const ps = (many ? (percentiles as unknown[]) : [percentiles]).map((p) => {
      const n = lib.finiteNumber(p);
      if (n === undefined || n < 0 || n > 100)
        throw new TypeError("numeric_percentiles: percentiles must be numbers in [0, 100]");
      return n;
    });
    const at = (sorted: number[], p: number): number | null => {
      if (sorted.length === 0) return null;
      const pos = (p / 100) * (sorted.length - 1);
      const lo = Math.floor(pos);
      const hi = Math.ceil(pos);
      const a = sorted[lo] as number;
      const b = sorted[hi] as number;
      return a + (b - a) * (pos - lo);
    };
    return builtin(
      "numeric_percentiles",
      spec,
      [percentiles],
      {
        init: () => [] as number[],
        add: (s, items) => {
          const vals = s as number[];
          for (let i = 0; i < items.length; i++) {
            const v = get(items[i]);
            if (v !== undefined) vals.push(v);
          }
          return vals;
        },
        done: (s) => {
          const sorted = (s as number[]).slice().sort((x, y) => x - y);
          if (!many) return at(sorted, ps[0] as number);
          return ps.map((p) => ({ percentile: p, value: at(sorted, p) }));
        },
      },
      (s, _acc) => s,
    );
  };

  // top(n) "expects the input collection to be of the groupBy() format" and returns the top n
  // {key, value} items by value, as one list.
  const top = (limit: unknown): AnyFn => {
    const n = lib.finiteNumber(limit);
    if (n === undefined || n < 0)
      throw new TypeError("mixpanel.reducer.top: limit must be a non-negative number");
    const rowValue = (r: unknown) => lib.finiteNumber(lib.getPath(r, "value")) ?? Number.NEGATIVE_INFINITY;
    const trim = (rows: unknown[]) => {
      const sorted = rows
        .map((r, i) => ({ r, i, v: rowValue(r) }))
        .sort((a, b) => (b.v !== a.v ? (b.v > a.v ? 1 : -1) : a.i - b.i));
      return sorted.slice(0, n).map((x) => x.r);
    };
    return builtin(
      "top",
      undefined,
      [limit],
      { init: () => [], add: (s, items) => trim((s as unknown[]).concat(items)), done: (s) => s },
      (s, acc) => trim((s as unknown[]).concat(lib.isArray(acc) ? acc : [])),
    );
  };

  // object_merge: "Merge a collection of JavaScript objects into a single object. Numeric leaf
  // values are summed." Nested objects merge recursively; other leaves: the later value wins.
  const mergeInto = (target: Record<string, unknown>, src: unknown): void => {
    if (src === null || typeof src !== "object" || lib.isArray(src)) return;
    const rec = src as Record<string, unknown>;
    for (const k of Object.keys(rec)) {
      const v = rec[k];
      const cur = target[k];
      if (typeof v === "number" && typeof cur === "number") target[k] = cur + v;
      else if (v !== null && typeof v === "object" && !lib.isArray(v)) {
        const sub =
          cur !== null && typeof cur === "object" && !lib.isArray(cur)
            ? (cur as Record<string, unknown>)
            : {};
        mergeInto(sub, v);
        target[k] = sub;
      } else target[k] = v;
    }
  };
  const object_merge = (): AnyFn =>
    builtin(
      "object_merge",
      undefined,
      [],
      {
        init: () => ({}),
        add: (s, items) => {
          for (let i = 0; i < items.length; i++) mergeInto(s as Record<string, unknown>, items[i]);
          return s;
        },
        done: (s) => s,
      },
      (s, acc) => {
        mergeInto(s as Record<string, unknown>, acc);
        return s;
      },
    );

  const NONE = { none: true };
  const any = (): AnyFn =>
    builtin(
      "any",
      undefined,
      [],
      {
        init: () => NONE,
        add: (s, items) => (s === NONE && items.length > 0 ? items[0] : s),
        done: (s) => (s === NONE ? null : s),
      },
      (s, acc) => (s === NONE ? acc : s),
    );
  const nullReducer = (): AnyFn =>
    builtin("null", undefined, [], { init: () => null, add: () => null, done: () => null }, () => null);

  const better = {
    lt: (a: number, b: number) => a < b,
    gt: (a: number, b: number) => a > b,
  };
  const reducer = {
    count,
    sum,
    avg,
    min: (spec?: unknown) => extreme("min", spec, better.lt),
    max: (spec?: unknown) => extreme("max", spec, better.gt),
    min_by: (spec?: unknown) => extremeBy("min_by", spec, better.lt),
    max_by: (spec?: unknown) => extremeBy("max_by", spec, better.gt),
    numeric_summary,
    numeric_percentiles,
    top,
    object_merge,
    any,
    null: nullReducer,
  };

  /** Engine view of any reducer: built-ins bring their own; user functions get the JQL contract. */
  lib.reducerImpl = (r, mode) => {
    if (typeof r !== "function")
      throw new TypeError("a reducer must be a function, e.g. mixpanel.reducer.count()");
    const own = (r as { __jqlReducer?: ReducerImpl }).__jqlReducer;
    if (own) return own;
    const fn = r as AnyFn;
    if (mode === "user") {
      // groupByUser: function(state, events), state starting undefined (JQL reference).
      return {
        init: () => undefined,
        add: (s, items) => fn(s, items),
        done: (s) => s,
        plan: { kind: "function" },
      };
    }
    // groupBy/reduce: function(accumulators[], items[]) called on partial results.
    const FRESH = { fresh: true };
    return {
      init: () => FRESH,
      add: (s, items) => fn(s === FRESH ? [] : [s], items),
      done: (s) => (s === FRESH ? fn([], []) : s),
      plan: { kind: "function" },
    };
  };

  // ----- accessor helpers -----
  const helper = (plan: AccessorPlan, fn: Fn1): Fn1 => lib.tag(fn, PLAN, plan);

  const to_number = (spec: unknown): Fn1 => {
    const get = lib.accessor(spec, "mixpanel.to_number");
    return helper({ kind: "to_number", of: lib.describeAccessor(spec) }, (item) => lib.toNumber(get(item)));
  };
  const to_string = (spec: unknown): Fn1 => {
    const get = lib.accessor(spec, "mixpanel.to_string");
    return helper({ kind: "to_string", of: lib.describeAccessor(spec) }, (item) => {
      const v = get(item);
      if (v === undefined || v === null) return v;
      return typeof v === "object" ? lib.json.stringify(v) : String(v);
    });
  };
  const to_boolean = (spec: unknown): Fn1 => {
    const get = lib.accessor(spec, "mixpanel.to_boolean");
    // The UI typecast rule (reference 2.3): "false", 0, null, undefined and "" are false.
    return helper({ kind: "to_boolean", of: lib.describeAccessor(spec) }, (item) => {
      const v = get(item);
      return !(v === "false" || v === 0 || v === null || v === undefined || v === "" || v === false);
    });
  };

  const calendar = (unit: string) => Object.freeze({ calendar: unit });
  // Project-time ms behave like UTC wall clock, so calendar math uses the UTC fields.
  const calendarFloor = (ms: number, unit: string): number => {
    const d = new Date(ms);
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth();
    if (unit === "month") return Date.UTC(y, m, 1);
    if (unit === "quarter") return Date.UTC(y, m - (m % 3), 1);
    return Date.UTC(y, 0, 1);
  };

  // numeric_bucket "normalizes [a value] to the lower boundary of the bucket it falls into", with
  // either a list of boundaries or {bucket_size, offset}. A value below the first boundary, or a
  // non-number, has no bucket: undefined (null in JSON output).
  const numeric_bucket = (spec: unknown, buckets: unknown): Fn1 => {
    const get = lib.accessor(spec, "mixpanel.numeric_bucket");
    let fn: (v: number) => number | undefined;
    if (lib.isArray(buckets)) {
      const bounds = buckets.map((b) => {
        const n = lib.finiteNumber(b);
        if (n === undefined) throw new TypeError("mixpanel.numeric_bucket: boundaries must be numbers");
        return n;
      });
      for (let i = 1; i < bounds.length; i++) {
        if ((bounds[i] as number) <= (bounds[i - 1] as number))
          throw new TypeError("mixpanel.numeric_bucket: boundaries must be increasing");
      }
      fn = (v) => {
        let lo = 0;
        let hi = bounds.length - 1;
        if (hi < 0 || v < (bounds[0] as number)) return undefined;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if ((bounds[mid] as number) <= v) lo = mid;
          else hi = mid - 1;
        }
        return bounds[lo];
      };
    } else if (
      buckets &&
      typeof buckets === "object" &&
      typeof (buckets as { calendar?: unknown }).calendar === "string"
    ) {
      const unit = (buckets as { calendar: string }).calendar;
      fn = (v) => calendarFloor(v, unit);
    } else if (buckets && typeof buckets === "object") {
      const size = lib.finiteNumber((buckets as Record<string, unknown>)["bucket_size"]);
      const offset = lib.finiteNumber((buckets as Record<string, unknown>)["offset"]) ?? 0;
      if (size === undefined || size <= 0)
        throw new TypeError("mixpanel.numeric_bucket: bucket_size must be a positive number");
      fn = (v) => Math.floor((v - offset) / size) * size + offset;
    } else {
      throw new TypeError("mixpanel.numeric_bucket: expected a list of boundaries or {bucket_size, offset}");
    }
    return helper({ kind: "numeric_bucket", of: lib.describeAccessor(spec), buckets }, (item) => {
      const v = lib.finiteNumber(get(item));
      return v === undefined ? undefined : fn(v);
    });
  };

  // mixpanel.slice("key", start, limit) keeps key components in [start, limit); the result is a
  // list, so it is inlined into the group key ("coalescing some groups").
  const slice = (spec: unknown, start: unknown, limit?: unknown): Fn1 => {
    const get = lib.accessor(spec, "mixpanel.slice");
    const s = lib.finiteNumber(start) ?? 0;
    const l = lib.finiteNumber(limit);
    const plan: AccessorPlan = { kind: "slice", of: lib.describeAccessor(spec), start: s };
    if (l !== undefined) plan["limit"] = l;
    return helper(plan, (item) => {
      const v = get(item);
      if (!lib.isArray(v)) return v;
      return l === undefined ? v.slice(s) : v.slice(s, l);
    });
  };

  const MULTI = "__jqlMultipleKeys";
  const multiple_keys = (keys: unknown): object => {
    const list = lib.isArray(keys) ? keys : [keys];
    return lib.tag({}, MULTI, list);
  };

  lib.mixpanel = {
    reducer,
    numeric_bucket,
    to_number,
    to_string,
    to_boolean,
    slice,
    multiple_keys,
    daily_time_buckets: Object.freeze({ bucket_size: DAY, offset: 0 }),
    // 1970-01-05 was the first Monday after the epoch: weeks start on Monday.
    weekly_time_buckets: Object.freeze({ bucket_size: 7 * DAY, offset: 4 * DAY }),
    monthly_time_buckets: calendar("month"),
    quarterly_time_buckets: calendar("quarter"),
    annual_time_buckets: calendar("year"),
  };

  // ----- group keys -----
  type KeyPart = { multi: boolean; get: Fn1 };
  const flattenSpecs = (spec: unknown): { spec: unknown; multi: boolean }[] => {
    const out: { spec: unknown; multi: boolean }[] = [];
    const top = lib.isArray(spec) ? spec : [spec];
    for (let i = 0; i < top.length; i++) {
      const s = top[i];
      const multi = s !== null && typeof s === "object" ? (s as Record<string, unknown>)[MULTI] : undefined;
      if (lib.isArray(multi))
        for (let j = 0; j < multi.length; j++) out.push({ spec: multi[j], multi: true });
      else out.push({ spec: s, multi: false });
    }
    return out;
  };
  lib.describeKeys = (spec) =>
    flattenSpecs(spec).map((p) =>
      p.multi
        ? { kind: "multiple_keys", keys: [lib.describeAccessor(p.spec)] }
        : lib.describeAccessor(p.spec),
    );

  const checkScalar = (v: unknown, what: string): unknown => {
    if (v !== null && typeof v === "object")
      throw new TypeError(`${what}: group key must be a scalar (string, number, boolean or null)`);
    if (typeof v === "function") throw new TypeError(`${what}: group key must be a scalar, not a function`);
    return v;
  };

  // A list-valued key is inlined into the composite key by default; under multiple_keys each list
  // element makes its own group (JQL reference, groupBy()).
  lib.compileKeys = (spec, what) => {
    const parts: KeyPart[] = flattenSpecs(spec).map((p) => ({
      multi: p.multi,
      get: lib.accessor(p.spec, what),
    }));
    return (item) => {
      let keys: unknown[][] = [[]];
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i] as KeyPart;
        const v = part.get(item);
        if (part.multi && lib.isArray(v)) {
          const next: unknown[][] = [];
          for (let k = 0; k < keys.length; k++) {
            for (let j = 0; j < v.length; j++)
              next.push((keys[k] as unknown[]).concat([checkScalar(v[j], what)]));
          }
          keys = next;
        } else if (lib.isArray(v)) {
          for (let j = 0; j < v.length; j++) checkScalar(v[j], what);
          for (let k = 0; k < keys.length; k++) keys[k] = (keys[k] as unknown[]).concat(v);
        } else {
          checkScalar(v, what);
          for (let k = 0; k < keys.length; k++) (keys[k] as unknown[]).push(v);
        }
      }
      return keys;
    };
  };
}
