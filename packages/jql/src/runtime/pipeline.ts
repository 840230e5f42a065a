import type { Fn1, Lib, Operator, ReducerImpl, Row, Stage } from "./lib.js";

/**
 * Streaming execution of a chain. Each stage is an operator with push(batch)/end(): filter, map
 * and flatten stream; groupBy, groupByUser, reduce, sorts and applyGroupLimits hold state and
 * emit on end(). Batches arrive from the host one at a time, so the sandbox never holds the whole
 * event stream. Runs inside the sandbox (see lib.ts): self-contained.
 */
export function installPipeline(lib: Lib): void {
  type Group = { key: unknown[]; states: unknown[]; pending: unknown[] };

  const emitRows = (rows: Row[], next: Operator): void => {
    // Mixpanel's examples list groups in key order ([0], [1], ...); sorting also makes results
    // independent of how the source batched the data.
    rows.sort((a, b) => lib.compareKeys(a.key, b.key));
    next.push(rows);
    next.end();
  };
  const finalValue = (impls: ReducerImpl[], states: unknown[], list: boolean): unknown =>
    list ? impls.map((r, i) => r.done(states[i])) : (impls[0] as ReducerImpl).done(states[0]);

  const filterOp = (fn: Fn1, next: Operator): Operator => ({
    push(items) {
      const out: unknown[] = [];
      for (let i = 0; i < items.length; i++) if (fn(items[i])) out.push(items[i]);
      if (out.length > 0) next.push(out);
    },
    end: () => next.end(),
  });
  const mapOp = (fn: Fn1, next: Operator): Operator => ({
    push(items) {
      const out = new Array(items.length);
      for (let i = 0; i < items.length; i++) out[i] = fn(items[i]);
      next.push(out);
    },
    end: () => next.end(),
  });
  // "Input elements that are not arrays are forwarded into the output collection without
  // modification" (JQL reference, flatten()).
  const flattenOp = (next: Operator): Operator => ({
    push(items) {
      const out: unknown[] = [];
      for (let i = 0; i < items.length; i++) {
        const v = items[i];
        if (lib.isArray(v)) for (let j = 0; j < v.length; j++) out.push(v[j]);
        else out.push(v);
      }
      if (out.length > 0) next.push(out);
    },
    end: () => next.end(),
  });
  const sortOp = (accessor: unknown, desc: boolean, next: Operator): Operator => {
    const get = lib.accessor(accessor, desc ? "sortDesc" : "sortAsc");
    const all: { k: unknown; v: unknown }[] = [];
    return {
      push(items) {
        for (let i = 0; i < items.length; i++) {
          const k = get(items[i]);
          // "Sort key must be a scalar" (JQL reference, sortAsc()).
          if (k !== null && (typeof k === "object" || typeof k === "function"))
            throw new TypeError("sort key must be a scalar");
          all.push({ k, v: items[i] });
        }
      },
      end() {
        all.sort((a, b) => (desc ? lib.compareScalars(b.k, a.k) : lib.compareScalars(a.k, b.k)));
        if (all.length > 0) next.push(all.map((x) => x.v));
        next.end();
      },
    };
  };
  const reduceOp = (stage: Stage, next: Operator): Operator => {
    const impls = (stage.reducers as unknown[]).map((r) => lib.reducerImpl(r, "group"));
    const states = impls.map((r) => r.init());
    return {
      push(items) {
        for (let i = 0; i < impls.length; i++) states[i] = (impls[i] as ReducerImpl).add(states[i], items);
      },
      end() {
        // reduce() "turns the input collection into just a single value": [v], or [[v1, v2]].
        next.push([finalValue(impls, states, !!stage.list)]);
        next.end();
      },
    };
  };
  const groupOp = (stage: Stage, byUser: boolean, next: Operator): Operator => {
    const mode = byUser ? "user" : "group";
    const impls = (stage.reducers as unknown[]).map((r) => lib.reducerImpl(r, mode));
    const extra = lib.compileKeys(stage.keys, byUser ? "groupByUser" : "groupBy");
    const keysOf: (item: unknown) => unknown[][] = byUser
      ? (item) => {
          const id = lib.getPath(item, "distinct_id");
          if (id !== null && typeof id === "object")
            throw new TypeError("groupByUser: distinct_id must be a scalar");
          const rest = extra(item);
          for (let i = 0; i < rest.length; i++) (rest[i] as unknown[]).unshift(id);
          return rest;
        }
      : extra;
    const groups = new Map<string, Group>();
    const touched: Group[] = [];
    const timeOf = (x: unknown): number => {
      const t = lib.getPath(x, "time") ?? lib.getPath(x, "event.time");
      return typeof t === "number" ? t : 0;
    };
    return {
      push(items) {
        for (let i = 0; i < items.length; i++) {
          const item = items[i];
          const ks = keysOf(item);
          for (let j = 0; j < ks.length; j++) {
            const key = ks[j] as unknown[];
            const id = lib.json.stringify(key) as string;
            let g = groups.get(id);
            if (!g) {
              g = { key, states: impls.map((r) => r.init()), pending: [] };
              groups.set(id, g);
            }
            if (g.pending.length === 0) touched.push(g);
            g.pending.push(item);
          }
        }
        // One reducer call per group per batch: the hierarchical contract of groupBy reducers,
        // and for groupByUser the "all events of a single user in temporal order" contract
        // (the source delivers events in time order; a stable sort guards within the batch).
        for (let t = 0; t < touched.length; t++) {
          const g = touched[t] as Group;
          let batch = g.pending;
          g.pending = [];
          if (byUser) {
            let ordered = true;
            for (let i = 1; i < batch.length && ordered; i++)
              ordered = timeOf(batch[i - 1]) <= timeOf(batch[i]);
            if (!ordered) batch = batch.slice().sort((a, b) => timeOf(a) - timeOf(b));
          }
          for (let r = 0; r < impls.length; r++)
            g.states[r] = (impls[r] as ReducerImpl).add(g.states[r], batch);
        }
        touched.length = 0;
      },
      end() {
        const rows: Row[] = [];
        groups.forEach((g) => {
          rows.push({ key: g.key, value: finalValue(impls, g.states, !!stage.list) });
        });
        groups.clear();
        emitRows(rows, next);
      },
    };
  };
  // applyGroupLimits([perLevel], global): per key level keep at most N distinct values under each
  // parent, biggest values first, then at most `global` rows overall.
  const limitOp = (stage: Stage, next: Operator): Operator => {
    const rows: unknown[] = [];
    const limits = stage.limits ?? [];
    return {
      push(items) {
        for (let i = 0; i < items.length; i++) rows.push(items[i]);
      },
      end() {
        const val = (r: unknown) => lib.finiteNumber(lib.getPath(r, "value")) ?? Number.NEGATIVE_INFINITY;
        const ordered = rows
          .map((r, i) => ({ r, i, v: val(r) }))
          .sort((a, b) => (b.v !== a.v ? (b.v > a.v ? 1 : -1) : a.i - b.i));
        const admitted = new Set<string>();
        const children = new Map<string, number>();
        const out: unknown[] = [];
        for (let n = 0; n < ordered.length; n++) {
          const row = (ordered[n] as { r: unknown }).r;
          const key = lib.getPath(row, "key");
          if (!lib.isArray(key))
            throw new TypeError("applyGroupLimits() expects groupBy() rows {key: [...], value}");
          const fresh: { id: string; parent: string }[] = [];
          let ok = true;
          for (let level = 0; level < limits.length && level < key.length && ok; level++) {
            const id = lib.json.stringify(key.slice(0, level + 1)) as string;
            if (admitted.has(id)) continue;
            const parent = lib.json.stringify(key.slice(0, level)) as string;
            if ((children.get(parent) ?? 0) >= (limits[level] as number)) ok = false;
            else fresh.push({ id, parent });
          }
          if (!ok) continue;
          if (stage.global !== undefined && out.length >= stage.global) break;
          for (let f = 0; f < fresh.length; f++) {
            const e = fresh[f] as { id: string; parent: string };
            admitted.add(e.id);
            children.set(e.parent, (children.get(e.parent) ?? 0) + 1);
          }
          out.push(row);
        }
        if (out.length > 0) next.push(out);
        next.end();
      },
    };
  };
  // Rows computed by the source (groupBy pushdown) arrive unordered: sort them like groupBy does.
  const rowsOp = (next: Operator): Operator => {
    const rows: Row[] = [];
    return {
      push(items) {
        for (let i = 0; i < items.length; i++) rows.push(items[i] as Row);
      },
      end: () => emitRows(rows, next),
    };
  };

  lib.buildPipeline = (stages, skip, sink) => {
    let next = sink;
    for (let i = stages.length - 1; i >= skip; i--) {
      const s = stages[i] as Stage;
      switch (s.op) {
        case "filter":
          next = filterOp(s.fn as Fn1, next);
          break;
        case "map":
          next = mapOp(s.fn as Fn1, next);
          break;
        case "flatten":
          next = flattenOp(next);
          break;
        case "sortAsc":
        case "sortDesc":
          next = sortOp(s.accessor, s.op === "sortDesc", next);
          break;
        case "reduce":
          next = reduceOp(s, next);
          break;
        case "groupBy":
        case "groupByUser":
          next = groupOp(s, s.op === "groupByUser", next);
          break;
        case "applyGroupLimits":
          next = limitOp(s, next);
          break;
        default:
          throw new TypeError(`unknown stage ${s.op}`);
      }
    }
    return skip > 0 ? rowsOp(next) : next;
  };
}
