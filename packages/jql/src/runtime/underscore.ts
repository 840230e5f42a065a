/**
 * A subset of underscore.js as the global `_`. Mixpanel's JQL exposes underscore (its reference
 * uses `_.map(params.events, ...)`); these are the collection helpers scripts use.
 * Runs inside the sandbox (see lib.ts): self-contained.
 */
export function installUnderscore(g: Record<string, unknown>): void {
  type Iter = (v: unknown, k: string | number, c: unknown) => unknown;
  type Obj = Record<string, unknown>;
  const isArr = Array.isArray;
  const iteratee = (f: unknown): Iter => {
    if (typeof f === "function") return f as Iter;
    if (typeof f === "string") return (v) => (v === null || v === undefined ? undefined : (v as Obj)[f]);
    if (f === undefined || f === null) return (v) => v;
    if (typeof f === "object") {
      const want = f as Obj;
      return (v) =>
        Object.keys(want).every((k) => v !== null && v !== undefined && (v as Obj)[k] === want[k]);
    }
    return (v) => v;
  };
  const entries = (c: unknown): [string | number, unknown][] => {
    if (isArr(c)) return c.map((v, i) => [i, v]);
    if (c !== null && typeof c === "object") return Object.keys(c).map((k) => [k, (c as Obj)[k]]);
    return [];
  };
  const values = (c: unknown): unknown[] => entries(c).map((e) => e[1]);
  const each = (c: unknown, f: unknown) => {
    const fn = iteratee(f);
    for (const [k, v] of entries(c)) fn(v, k, c);
    return c;
  };
  const map = (c: unknown, f: unknown) => {
    const fn = iteratee(f);
    return entries(c).map(([k, v]) => fn(v, k, c));
  };
  const filter = (c: unknown, f: unknown) => {
    const fn = iteratee(f);
    return entries(c)
      .filter(([k, v]) => fn(v, k, c))
      .map((e) => e[1]);
  };
  const reduce = (c: unknown, f: unknown, ...memo: unknown[]) => {
    const fn = f as (m: unknown, v: unknown, k: string | number, c: unknown) => unknown;
    const es = entries(c);
    let i = 0;
    let acc = memo[0];
    if (memo.length === 0) {
      acc = es.length > 0 ? (es[0] as [string, unknown])[1] : undefined;
      i = 1;
    }
    for (; i < es.length; i++) {
      const e = es[i] as [string | number, unknown];
      acc = fn(acc, e[1], e[0], c);
    }
    return acc;
  };
  const find = (c: unknown, f: unknown) => {
    const fn = iteratee(f);
    for (const [k, v] of entries(c)) if (fn(v, k, c)) return v;
    return undefined;
  };
  const groupBy = (c: unknown, f: unknown) => {
    const fn = iteratee(f);
    const out: Record<string, unknown[]> = {};
    for (const [k, v] of entries(c)) {
      const key = String(fn(v, k, c));
      const list = out[key] ?? [];
      list.push(v);
      out[key] = list;
    }
    return out;
  };
  const countBy = (c: unknown, f: unknown) => {
    const fn = iteratee(f);
    const out: Record<string, number> = {};
    for (const [k, v] of entries(c)) {
      const key = String(fn(v, k, c));
      out[key] = (out[key] ?? 0) + 1;
    }
    return out;
  };
  const sortBy = (c: unknown, f: unknown) => {
    const fn = iteratee(f);
    return entries(c)
      .map(([k, v], i) => ({ v, i, s: fn(v, k, c) as number | string }))
      .sort((a, b) => (a.s < b.s ? -1 : a.s > b.s ? 1 : a.i - b.i))
      .map((x) => x.v);
  };
  const flatten = (a: unknown, shallow?: unknown): unknown[] => {
    const out: unknown[] = [];
    for (const v of isArr(a) ? a : []) {
      if (isArr(v)) out.push(...(shallow ? v : flatten(v)));
      else out.push(v);
    }
    return out;
  };
  const uniq = (a: unknown) => {
    const out: unknown[] = [];
    for (const v of isArr(a) ? a : []) if (out.indexOf(v) < 0) out.push(v);
    return out;
  };
  const extreme = (sign: number) => (c: unknown, f?: unknown) => {
    const fn = iteratee(f);
    let best: unknown = sign > 0 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    let bestScore = best as number;
    for (const [k, v] of entries(c)) {
      const s = fn(v, k, c) as number;
      if (sign > 0 ? s > bestScore : s < bestScore) {
        bestScore = s;
        best = v;
      }
    }
    return best;
  };
  const range = (start: number, stop?: number, step?: number) => {
    let a = start;
    let b = stop;
    if (b === undefined) {
      b = a;
      a = 0;
    }
    const st = step ?? 1;
    const out: number[] = [];
    if (st === 0) return out;
    for (let i = a; st > 0 ? i < b : i > b; i += st) out.push(i);
    return out;
  };
  const some = (c: unknown, f: unknown) => {
    const fn = iteratee(f);
    return entries(c).some(([k, v]) => !!fn(v, k, c));
  };
  const every = (c: unknown, f: unknown) => {
    const fn = iteratee(f);
    return entries(c).every(([k, v]) => !!fn(v, k, c));
  };
  const extend = (target: Obj, ...srcs: unknown[]) => {
    for (const s of srcs) if (s !== null && typeof s === "object") Object.assign(target, s);
    return target;
  };
  const _ = {
    each,
    forEach: each,
    map,
    collect: map,
    filter,
    select: filter,
    reject: (c: unknown, f: unknown) => {
      const fn = iteratee(f);
      return entries(c)
        .filter(([k, v]) => !fn(v, k, c))
        .map((e) => e[1]);
    },
    reduce,
    inject: reduce,
    foldl: reduce,
    find,
    detect: find,
    where: (c: unknown, props: unknown) => filter(c, props),
    findWhere: (c: unknown, props: unknown) => find(c, props),
    pluck: (c: unknown, key: string) => map(c, key),
    some,
    any: some,
    every,
    all: every,
    contains: (c: unknown, v: unknown) => values(c).indexOf(v) >= 0,
    includes: (c: unknown, v: unknown) => values(c).indexOf(v) >= 0,
    groupBy,
    countBy,
    indexBy: (c: unknown, f: unknown) => {
      const fn = iteratee(f);
      const out: Obj = {};
      for (const [k, v] of entries(c)) out[String(fn(v, k, c))] = v;
      return out;
    },
    sortBy,
    max: extreme(1),
    min: extreme(-1),
    size: (c: unknown) => entries(c).length,
    first: (a: unknown, n?: number) => (isArr(a) ? (n === undefined ? a[0] : a.slice(0, n)) : undefined),
    head: (a: unknown, n?: number) => (isArr(a) ? (n === undefined ? a[0] : a.slice(0, n)) : undefined),
    last: (a: unknown, n?: number) =>
      isArr(a) ? (n === undefined ? a[a.length - 1] : a.slice(Math.max(0, a.length - n))) : undefined,
    rest: (a: unknown, n?: number) => (isArr(a) ? a.slice(n ?? 1) : []),
    compact: (a: unknown) => (isArr(a) ? a.filter((v) => !!v) : []),
    flatten,
    without: (a: unknown, ...vs: unknown[]) => (isArr(a) ? a.filter((v) => vs.indexOf(v) < 0) : []),
    union: (...as: unknown[]) => uniq(flatten(as, true)),
    intersection: (a: unknown, ...others: unknown[]) =>
      uniq(a).filter((v) => others.every((o) => isArr(o) && o.indexOf(v) >= 0)),
    difference: (a: unknown, ...others: unknown[]) =>
      (isArr(a) ? a : []).filter((v) => !others.some((o) => isArr(o) && o.indexOf(v) >= 0)),
    uniq,
    unique: uniq,
    zip: (...as: unknown[][]) => {
      const n = Math.max(0, ...as.map((a) => (isArr(a) ? a.length : 0)));
      return range(n).map((i) => as.map((a) => (isArr(a) ? a[i] : undefined)));
    },
    object: (keys: unknown, vals?: unknown) => {
      const out: Obj = {};
      (isArr(keys) ? keys : []).forEach((k, i) => {
        if (isArr(k)) out[String(k[0])] = k[1];
        else out[String(k)] = isArr(vals) ? vals[i] : undefined;
      });
      return out;
    },
    indexOf: (a: unknown, v: unknown) => (isArr(a) ? a.indexOf(v) : -1),
    range,
    keys: (o: unknown) => (o !== null && typeof o === "object" ? Object.keys(o) : []),
    values,
    pairs: (o: unknown) => entries(o),
    invert: (o: unknown) => {
      const out: Obj = {};
      for (const [k, v] of entries(o)) out[String(v)] = k;
      return out;
    },
    extend,
    assign: extend,
    defaults: (target: Obj, ...srcs: unknown[]) => {
      for (const s of srcs)
        for (const [k, v] of entries(s)) if (target[k as string] === undefined) target[k as string] = v;
      return target;
    },
    pick: (o: unknown, ...ks: unknown[]) => {
      const want = flatten(ks).map(String);
      const out: Obj = {};
      for (const [k, v] of entries(o)) if (want.indexOf(String(k)) >= 0) out[String(k)] = v;
      return out;
    },
    omit: (o: unknown, ...ks: unknown[]) => {
      const drop = flatten(ks).map(String);
      const out: Obj = {};
      for (const [k, v] of entries(o)) if (drop.indexOf(String(k)) < 0) out[String(k)] = v;
      return out;
    },
    clone: (o: unknown) =>
      isArr(o) ? o.slice() : o !== null && typeof o === "object" ? Object.assign({}, o) : o,
    has: (o: unknown, k: string) => o !== null && typeof o === "object" && Object.hasOwn(o, k),
    identity: (v: unknown) => v,
    constant: (v: unknown) => () => v,
    isArray: isArr,
    isObject: (v: unknown) => (v !== null && typeof v === "object") || typeof v === "function",
    isString: (v: unknown) => typeof v === "string",
    isNumber: (v: unknown) => typeof v === "number",
    isBoolean: (v: unknown) => typeof v === "boolean",
    isFunction: (v: unknown) => typeof v === "function",
    isUndefined: (v: unknown) => v === undefined,
    isNull: (v: unknown) => v === null,
    isEmpty: (v: unknown) =>
      v === null || v === undefined
        ? true
        : isArr(v) || typeof v === "string"
          ? v.length === 0
          : entries(v).length === 0,
    isEqual: (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b),
    times: (n: number, f: (i: number) => unknown) => range(n).map((i) => f(i)),
  };
  g["_"] = _;
}
