import type { AccessorPlan, Fn1, Lib } from "./lib.js";

/**
 * Value helpers shared by the runtime: dotted-path accessors, scalar ordering, number parsing.
 * Runs inside the sandbox (see lib.ts): self-contained.
 */
export function installValues(lib: Lib): void {
  // Captured before the user's script runs: a script that replaces JSON or Array.isArray only
  // breaks its own query, never the runtime's bookkeeping.
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  lib.json = { parse: (s) => parse(s), stringify: (v) => stringify(v) };
  lib.isArray = Array.isArray;

  lib.tag = (fn, prop, value) => {
    Object.defineProperty(fn, prop, { value, enumerable: false });
    return fn;
  };

  // Dotted paths as in the JQL reference ("properties.$city", "key", "value"): each dot descends
  // one level; a missing level gives undefined rather than an error.
  lib.getPath = (item, path) => {
    let cur: unknown = item;
    const parts = path.split(".");
    for (let i = 0; i < parts.length; i++) {
      if (cur === null || cur === undefined) return undefined;
      cur = (cur as Record<string, unknown>)[parts[i] as string];
    }
    return cur;
  };

  // An accessor is "a JavaScript function, a string with a dot-separated property path, or a
  // built-in mapper function like mixpanel.numeric_bucket()" (JQL reference, builtins).
  lib.accessor = (spec, what) => {
    if (spec === undefined || spec === null) return (item) => item;
    if (typeof spec === "function") return (item) => (spec as Fn1)(item);
    if (typeof spec === "string") {
      if (spec.indexOf(".") < 0)
        return (item) =>
          item === null || item === undefined ? undefined : (item as Record<string, unknown>)[spec];
      return (item) => lib.getPath(item, spec);
    }
    throw new TypeError(`${what}: an accessor must be a property path string or a function`);
  };

  lib.describeAccessor = (spec) => {
    if (spec === undefined || spec === null) return { kind: "identity" };
    if (typeof spec === "string") return { kind: "path", path: spec };
    const tagged = (spec as { __jqlPlan?: AccessorPlan }).__jqlPlan;
    if (tagged) return tagged;
    return { kind: "function" };
  };

  // Total order for keys and sort keys: undefined/null, booleans, numbers, strings. Mixpanel only
  // allows scalars there (JQL reference: "The group key can only include scalars").
  const rank = (v: unknown): number => {
    if (v === undefined || v === null) return 0;
    if (typeof v === "boolean") return 1;
    if (typeof v === "number") return 2;
    if (typeof v === "string") return 3;
    return 4;
  };
  lib.compareScalars = (a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    if (ra !== rb) return ra - rb;
    if (ra === 0) return 0;
    if (ra === 2 && Number.isNaN(a) !== Number.isNaN(b)) return Number.isNaN(a) ? -1 : 1;
    return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  };
  lib.compareKeys = (a, b) => {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const c = lib.compareScalars(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  };

  lib.finiteNumber = (v) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

  // mixpanel.to_number: "When unable to interpret input as a number, return undefined". The
  // reference's own example turns a date string property ("signup_date") into epoch seconds
  // (its avg is 1443953519), so ISO dates convert to seconds too.
  const isoDate = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
  lib.toNumber = (v) => {
    if (typeof v === "number") return Number.isNaN(v) ? undefined : v;
    if (typeof v === "boolean") return v ? 1 : 0;
    if (typeof v === "string") {
      const s = v.trim();
      if (s === "") return undefined;
      const n = Number(s);
      if (!Number.isNaN(n)) return n;
      if (isoDate.test(s)) {
        const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(s) || s.length === 10 ? s : `${s}Z`;
        const ms = Date.parse(withZone);
        return Number.isNaN(ms) ? undefined : ms / 1000;
      }
    }
    return undefined;
  };
}
