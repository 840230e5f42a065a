import type { JqlEvent, JqlUser, SelectorMatcher } from "../src/index.js";

/** Deterministic pseudo-random numbers (mulberry32), so the data set is the same on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const NAMES = ["signup", "login", "pageview", "purchase", "logout"] as const;
const COUNTRIES = ["US", "FR", "DE", "BR", undefined] as const;
const BROWSERS = ["Chrome", "Firefox", "Safari"] as const;
const TAGS = ["a", "b", "c", "d"] as const;
const PLANS = ["free", "pro", "team"] as const;
export const DAY = 86_400_000;
export const T0 = Date.UTC(2024, 0, 1);

const r = rng(42);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

export const USERS: JqlUser[] = Array.from({ length: 24 }, (_, i) => ({
  distinct_id: `u${i}`,
  time: T0 - (i + 1) * DAY,
  last_seen: T0 - i * 3_600_000,
  properties: {
    age: 15 + Math.floor(r() * 50),
    plan: pick(PLANS),
    $campaigns: TAGS.filter(() => r() < 0.5),
    signup_date: new Date(T0 - (30 + i) * DAY).toISOString().slice(0, 19),
    ...(i % 5 === 0 ? {} : { $email: `user${i}@${i % 2 ? "gmail" : "yahoo"}.com` }),
  },
}));

// 30 users produce events; u24..u29 have no profile (for join tests), u20..u23 have no events.
export const EVENTS: JqlEvent[] = Array.from({ length: 900 }, (_, i) => {
  const user = Math.floor(r() * 30);
  const name = pick(NAMES);
  const props: Record<string, unknown> = {
    $browser: pick(BROWSERS),
    load_time_ms: Math.floor(r() * 2000),
    tags: TAGS.filter(() => r() < 0.4),
  };
  const country = pick(COUNTRIES);
  if (country) props["country"] = country;
  if (name === "purchase") props["amount"] = r() < 0.1 ? "12.5" : Math.round(r() * 10000) / 100;
  return {
    name,
    distinct_id: user === 29 && i % 7 === 0 ? undefined : `u${user >= 20 ? user + 4 : user}`,
    time: T0 + Math.floor(r() * 14 * DAY),
    sampling_factor: i % 10 === 0 ? 0.5 : 1,
    properties: props,
  };
});

/** The events a script sees for a date range (UTC project), time ordered like the source. */
export function eventsBetween(from: string, to: string): JqlEvent[] {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`) + DAY;
  return EVENTS.filter((e) => e.time >= a && e.time < b)
    .sort((x, y) => x.time - y.time)
    .map((e) => ({ ...e, sampling_factor: e.sampling_factor ?? 1 }));
}

/**
 * Test-local selector evaluator: `@mpkit/expr` had no evaluator when this package was written, so
 * this implements exactly the expression shapes the corpus uses: clauses joined by `and`, each
 * `properties["x"] == "v"`, `properties["x"] > n` (also `user[...]`), `"v" in properties["x"]`
 * and `defined(properties["x"])`.
 */
export const matchSelector: SelectorMatcher = (selector, scope) =>
  selector.split(/\s+and\s+/).every((clause) => {
    const ref = (kind: string, name: string): unknown => {
      const bag = kind === "user" ? scope.user : scope.properties;
      return bag ? bag[name] : undefined;
    };
    let m = /^(properties|user)\["([^"]+)"\]\s*(==|!=|>=|<=|>|<)\s*("([^"]*)"|[-\d.]+)$/.exec(clause.trim());
    if (m) {
      const v = ref(m[1] as string, m[2] as string);
      const lit = m[5] !== undefined ? m[5] : Number(m[4]);
      switch (m[3]) {
        case "==":
          return v === lit;
        case "!=":
          return v !== lit;
        case ">":
          return typeof v === typeof lit && (v as number) > (lit as number);
        case "<":
          return typeof v === typeof lit && (v as number) < (lit as number);
        case ">=":
          return typeof v === typeof lit && (v as number) >= (lit as number);
        default:
          return typeof v === typeof lit && (v as number) <= (lit as number);
      }
    }
    m = /^"([^"]*)"\s+in\s+(properties|user)\["([^"]+)"\]$/.exec(clause.trim());
    if (m) {
      const v = ref(m[2] as string, m[3] as string);
      return (typeof v === "string" || Array.isArray(v)) && v.includes(m[1] as string);
    }
    m = /^defined\((properties|user)\["([^"]+)"\]\)$/.exec(clause.trim());
    if (m) return ref(m[1] as string, m[2] as string) !== undefined;
    throw new Error(`test selector evaluator cannot read: ${clause}`);
  });

// ---------- plain-JavaScript references (independent of the runtime under test) ----------

export type Row = { key: unknown[]; value: unknown };

const order = (v: unknown): number =>
  v === undefined || v === null ? 0 : typeof v === "boolean" ? 1 : typeof v === "number" ? 2 : 3;
export function cmpKey(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (order(x) !== order(y)) return order(x) - order(y);
    if (order(x) > 0 && x !== y) return (x as number) < (y as number) ? -1 : 1;
  }
  return a.length - b.length;
}

/** Groups by a key function (returning the key list) and aggregates each group's items. */
export function refGroup<T>(items: readonly T[], key: (x: T) => unknown[], agg: (xs: T[]) => unknown): Row[] {
  const m = new Map<string, { key: unknown[]; xs: T[] }>();
  for (const x of items) {
    const k = key(x);
    const id = JSON.stringify(k);
    const g = m.get(id) ?? { key: k, xs: [] };
    g.xs.push(x);
    m.set(id, g);
  }
  return [...m.values()].map((g) => ({ key: g.key, value: agg(g.xs) })).sort((a, b) => cmpKey(a.key, b.key));
}

export const nums = (xs: readonly unknown[]): number[] =>
  xs.filter((x): x is number => typeof x === "number" && Number.isFinite(x));
export const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
export function percentile(xs: readonly number[], p: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (p / 100) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo);
}
/** JSON round trip: what a result looks like after crossing the endpoint (undefined -> null/absent). */
export const json = <T>(v: T): unknown => JSON.parse(JSON.stringify(v));
