import { describe, expect, test } from "vitest";
import { createMemorySource, runJql } from "../src/index.js";
import {
  cmpKey,
  DAY,
  EVENTS,
  eventsBetween,
  json,
  matchSelector,
  nums,
  percentile,
  type Row,
  refGroup,
  sum,
  USERS,
} from "./fixtures.js";

/**
 * The JQL corpus: each script runs through the real sandbox against the fixture data; each
 * expected value is computed here in plain JavaScript from the same data, never by the runtime.
 */
type Case = { name: string; script: string; params?: unknown; timezone?: string; expected: () => unknown };

const source = createMemorySource({ events: EVENTS, people: USERS, matchSelector, batchSize: 97 });
const ALL = eventsBetween("2024-01-01", "2024-01-31");
const WEEK = eventsBetween("2024-01-03", "2024-01-09");
const ev = (range = 'from_date: "2024-01-01", to_date: "2024-01-31"', extra = "") =>
  `Events({${range}${extra}})`;
const P = (e: { properties: Readonly<Record<string, unknown>> }, k: string): unknown => e.properties[k];
const count = (xs: readonly unknown[]) => xs.length;
const byTime = <T extends { time: number }>(xs: readonly T[]) => [...xs].sort((a, b) => a.time - b.time);
const userById = new Map(USERS.map((u) => [u.distinct_id, u]));
const iso = (ms: number) => new Date(ms).toISOString();
const summary = (xs: number[]) => {
  const n = xs.length;
  const s = sum(xs);
  const sq = sum(xs.map((x) => x * x));
  return { count: n, sum: s, sum_squares: sq, avg: s / n, stddev: Math.sqrt(sq / n - (s / n) ** 2) };
};

const cases: Case[] = [
  {
    name: "reduce(count) over a date range",
    script: `function main(){ return ${ev()}.reduce(mixpanel.reducer.count()); }`,
    expected: () => [ALL.length],
  },
  {
    name: "date range is inclusive of to_date",
    script: `function main(){ return ${ev('from_date: "2024-01-03", to_date: "2024-01-09"')}.reduce(mixpanel.reducer.count()); }`,
    expected: () => [WEEK.length],
  },
  {
    name: "filter by name then count",
    script: `function main(){ return ${ev()}.filter(function(e){ return e.name == "purchase"; }).reduce(mixpanel.reducer.count()); }`,
    expected: () => [ALL.filter((e) => e.name === "purchase").length],
  },
  {
    name: "event_selectors by event name",
    script: `function main(){ return ${ev(undefined, ', event_selectors: [{event: "signup"}, {event: "purchase", label: "P"}]')}.groupBy(["name"], mixpanel.reducer.count()); }`,
    expected: () =>
      refGroup(
        ALL.filter((e) => e.name === "signup" || e.name === "purchase"),
        (e) => [e.name],
        count,
      ),
  },
  {
    name: "event_selectors with an equality selector",
    script: `function main(){ return ${ev(undefined, ', event_selectors: [{selector: \'properties["country"] == "US"\'}]')}.groupBy(["name"], mixpanel.reducer.count()); }`,
    expected: () =>
      refGroup(
        ALL.filter((e) => P(e, "country") === "US"),
        (e) => [e.name],
        count,
      ),
  },
  {
    name: "event_selectors with list membership and event",
    script: `function main(){ return ${ev(undefined, ', event_selectors: [{event: "login", selector: \'"a" in properties["tags"]\'}, {event: "logout"}]')}.reduce(mixpanel.reducer.count()); }`,
    expected: () => [
      ALL.filter(
        (e) => (e.name === "login" && (P(e, "tags") as string[]).includes("a")) || e.name === "logout",
      ).length,
    ],
  },
  {
    name: "selector with defined() and a numeric comparison",
    script: `function main(){ return ${ev(undefined, ', event_selectors: [{selector: \'defined(properties["country"]) and properties["load_time_ms"] > 1500\'}]')}.reduce(mixpanel.reducer.count()); }`,
    expected: () => [
      ALL.filter((e) => P(e, "country") !== undefined && (P(e, "load_time_ms") as number) > 1500).length,
    ],
  },
  {
    name: "map to plain values",
    script: `function main(){ return ${ev('from_date: "2024-01-05", to_date: "2024-01-05"')}.map(function(e){ return e.name + "@" + e.time; }); }`,
    expected: () => eventsBetween("2024-01-05", "2024-01-05").map((e) => `${e.name}@${e.time}`),
  },
  {
    name: "map then flatten then groupBy identity",
    script: `function main(){ return ${ev()}.map(function(e){ return e.properties.tags; }).flatten().groupBy([function(t){ return t; }], mixpanel.reducer.count()); }`,
    expected: () =>
      refGroup(
        ALL.flatMap((e) => P(e, "tags") as string[]),
        (t) => [t],
        count,
      ),
  },
  {
    name: "flatten forwards non-arrays",
    script: `function main(){ return ${ev()}.map(function(e){ return e.properties.tags.length ? e.properties.tags : e.name; }).flatten().reduce(mixpanel.reducer.count()); }`,
    expected: () => [
      sum(ALL.map((e) => ((P(e, "tags") as string[]).length ? (P(e, "tags") as string[]).length : 1))),
    ],
  },
  {
    name: "groupBy two property paths (missing values group as null)",
    script: `function main(){ return ${ev()}.groupBy(["name", "properties.country"], mixpanel.reducer.count()); }`,
    expected: () => json(refGroup(ALL, (e) => [e.name, P(e, "country")], count)),
  },
  {
    name: "groupBy a function key (calendar day)",
    script: `function main(){ return ${ev()}.groupBy([function(e){ return new Date(e.time).toISOString().slice(0, 10); }], mixpanel.reducer.count()); }`,
    expected: () => refGroup(ALL, (e) => [iso(e.time).slice(0, 10)], count),
  },
  {
    name: "groupBy with a list of reducers",
    script: `function main(){ return ${ev()}.groupBy(["name"], [mixpanel.reducer.count(), mixpanel.reducer.sum("properties.load_time_ms")]); }`,
    expected: () =>
      refGroup(
        ALL,
        (e) => [e.name],
        (xs) => [xs.length, sum(xs.map((e) => P(e, "load_time_ms") as number))],
      ),
  },
  {
    name: "list-valued key is inlined by default",
    script: `function main(){ return ${ev()}.groupBy(["properties.tags"], mixpanel.reducer.count()); }`,
    expected: () => refGroup(ALL, (e) => [...(P(e, "tags") as string[])], count),
  },
  {
    name: "multiple_keys makes one group per element",
    script: `function main(){ return ${ev()}.groupBy(mixpanel.multiple_keys(["properties.tags"]), mixpanel.reducer.count()); }`,
    expected: () =>
      refGroup(
        ALL.flatMap((e) => P(e, "tags") as string[]),
        (t) => [t],
        count,
      ),
  },
  {
    name: "multiple_keys and inline key together",
    script: `function main(){ return People().groupBy([mixpanel.multiple_keys(["properties.$campaigns"]), "properties.$campaigns"], mixpanel.reducer.count()); }`,
    expected: () =>
      refGroup(
        USERS.flatMap((u) =>
          (u.properties["$campaigns"] as string[]).map((c) => ({
            c,
            all: u.properties["$campaigns"] as string[],
          })),
        ),
        (x) => [x.c, ...x.all],
        count,
      ),
  },
  {
    name: "groupByUser(count)",
    script: `function main(){ return ${ev()}.groupByUser(mixpanel.reducer.count()); }`,
    expected: () => json(refGroup(ALL, (e) => [e.distinct_id], count)),
  },
  {
    name: "groupByUser with a state-carrying reducer (event after login)",
    script: `function main(){
  return ${ev()}.groupByUser(function(state, events) {
    state = state || { distribution: {} };
    if (events.length == 0) return state;
    for (var i = 0; i < events.length - 1; ++i) {
      if (events[i].name == "login") state.distribution[events[i + 1].name] = (state.distribution[events[i + 1].name] || 0) + 1;
    }
    if (state.last_event_login) state.distribution[events[0].name] = (state.distribution[events[0].name] || 0) + 1;
    state.last_event_login = events[events.length - 1].name == "login";
    return state;
  }).map(function(r){ return {user: r.key[0], d: r.value.distribution}; });
}`,
    expected: () =>
      json(
        refGroup(
          ALL,
          (e) => [e.distinct_id],
          (xs) => {
            const d: Record<string, number> = {};
            const s = byTime(xs);
            for (let i = 0; i < s.length - 1; i++) {
              if ((s[i] as { name: string }).name === "login") {
                const n = (s[i + 1] as { name: string }).name;
                d[n] = (d[n] ?? 0) + 1;
              }
            }
            return d;
          },
        ).map((r) => ({ user: r.key[0], d: r.value })),
      ),
  },
  {
    name: "groupByUser with extra keys (first hour per user per day)",
    script: `function getDay(e){ return new Date(e.time).toISOString().split("T")[0]; }
function main(){
  return ${ev()}.groupByUser([getDay], function(first, events){
    if (first === undefined) first = new Date(events[0].time).getHours();
    return first;
  });
}`,
    expected: () =>
      json(
        refGroup(
          ALL,
          (e) => [e.distinct_id, iso(e.time).slice(0, 10)],
          (xs) => new Date(byTime(xs)[0]?.time ?? 0).getUTCHours(),
        ),
      ),
  },
  {
    name: "groupByUser then slice: unique users per country",
    script: `function main(){ return ${ev()}.groupByUser(["properties.country"], mixpanel.reducer.null()).groupBy([mixpanel.slice("key", 1)], mixpanel.reducer.count()); }`,
    expected: () =>
      json(
        refGroup(
          refGroup(
            ALL,
            (e) => [e.distinct_id, P(e, "country")],
            () => null,
          ),
          (r) => r.key.slice(1),
          count,
        ),
      ),
  },
  {
    name: "groupByUser then numeric_bucket with bucket_size/offset",
    script: `function main(){ return ${ev()}.groupByUser(mixpanel.reducer.count()).groupBy([mixpanel.numeric_bucket("value", {bucket_size: 10, offset: 1})], mixpanel.reducer.count()); }`,
    expected: () =>
      refGroup(
        refGroup(ALL, (e) => [e.distinct_id], count),
        (r) => [Math.floor(((r.value as number) - 1) / 10) * 10 + 1],
        count,
      ),
  },
  {
    name: "reduce(sum)",
    script: `function main(){ return ${ev()}.reduce(mixpanel.reducer.sum("properties.load_time_ms")); }`,
    expected: () => [sum(ALL.map((e) => P(e, "load_time_ms") as number))],
  },
  {
    name: "reduce(avg)",
    script: `function main(){ return ${ev()}.reduce(mixpanel.reducer.avg("properties.load_time_ms")); }`,
    expected: () => [sum(ALL.map((e) => P(e, "load_time_ms") as number)) / ALL.length],
  },
  {
    name: "reduce(min) and reduce(max) as a list of reducers",
    script: `function main(){ return ${ev()}.reduce([mixpanel.reducer.min("properties.load_time_ms"), mixpanel.reducer.max(function(e){ return e.properties.load_time_ms; })]); }`,
    expected: () => {
      const xs = ALL.map((e) => P(e, "load_time_ms") as number);
      return [[Math.min(...xs), Math.max(...xs)]];
    },
  },
  {
    name: "reduce(min_by) returns the whole event",
    script: `function main(){ return ${ev()}.filter(function(e){ return e.name == "pageview"; }).reduce(mixpanel.reducer.min_by("properties.load_time_ms")); }`,
    expected: () => {
      const pv = ALL.filter((e) => e.name === "pageview");
      const best = pv.reduce((a, b) =>
        (P(b, "load_time_ms") as number) < (P(a, "load_time_ms") as number) ? b : a,
      );
      return json([best]);
    },
  },
  {
    name: "groupBy(max_by) per name",
    script: `function main(){ return ${ev()}.groupBy(["name"], mixpanel.reducer.max_by("time")).map(function(r){ return [r.key[0], r.value.time, r.value.name]; }); }`,
    expected: () =>
      refGroup(
        ALL,
        (e) => [e.name],
        (xs) => xs.reduce((a, b) => (b.time > a.time ? b : a)),
      ).map((r) => [r.key[0], (r.value as { time: number }).time, (r.value as { name: string }).name]),
  },
  {
    name: "reduce(numeric_summary)",
    script: `function main(){ return ${ev()}.reduce(mixpanel.reducer.numeric_summary("properties.load_time_ms")); }`,
    expected: () => [summary(ALL.map((e) => P(e, "load_time_ms") as number))],
  },
  {
    name: "numeric_percentiles with one percentile",
    script: `function main(){ return ${ev()}.reduce(mixpanel.reducer.numeric_percentiles("properties.load_time_ms", 50)); }`,
    expected: () => [
      percentile(
        ALL.map((e) => P(e, "load_time_ms") as number),
        50,
      ),
    ],
  },
  {
    name: "numeric_percentiles with a list, after groupByUser, flattened",
    script: `function main(){ return ${ev()}.groupByUser(mixpanel.reducer.count()).reduce(mixpanel.reducer.numeric_percentiles("value", [10, 25, 50, 75, 90])).flatten(); }`,
    expected: () => {
      const counts = refGroup(ALL, (e) => [e.distinct_id], count).map((r) => r.value as number);
      return [10, 25, 50, 75, 90].map((p) => ({ percentile: p, value: percentile(counts, p) }));
    },
  },
  {
    name: "groupBy then reduce(top(3))",
    script: `function main(){ return ${ev()}.groupBy(["properties.$browser"], mixpanel.reducer.count()).reduce(mixpanel.reducer.top(2)); }`,
    expected: () => [
      refGroup(ALL, (e) => [P(e, "$browser")], count)
        .sort((a, b) => (b.value as number) - (a.value as number))
        .slice(0, 2),
    ],
  },
  {
    name: "object_merge sums numeric leaves",
    script: `function main(){ return ${ev()}.filter(function(e){ return e.name == "pageview"; }).map(function(e){ var t = e.properties.load_time_ms; var o = {count: 1, sum: t, sum_squares: t * t, by: {}}; o.by[e.properties.$browser] = 1; return o; }).reduce(mixpanel.reducer.object_merge()); }`,
    expected: () => {
      const pv = ALL.filter((e) => e.name === "pageview");
      const by: Record<string, number> = {};
      for (const e of pv) by[P(e, "$browser") as string] = (by[P(e, "$browser") as string] ?? 0) + 1;
      const t = pv.map((e) => P(e, "load_time_ms") as number);
      return [{ count: pv.length, sum: sum(t), sum_squares: sum(t.map((x) => x * x)), by }];
    },
  },
  {
    name: "reduce(any) on a single matching event",
    params: { t: ALL[17]?.time, d: ALL[17]?.distinct_id },
    script: `function main(){ return ${ev()}.filter(function(e){ return e.time === params.t && e.distinct_id === params.d; }).reduce(mixpanel.reducer.any()); }`,
    expected: () =>
      json(ALL.filter((e) => e.time === ALL[17]?.time && e.distinct_id === ALL[17]?.distinct_id).slice(0, 1)),
  },
  {
    name: "to_number converts numeric strings",
    script: `function main(){ return ${ev()}.filter(function(e){ return e.name == "purchase"; }).reduce([mixpanel.reducer.sum(mixpanel.to_number("properties.amount")), mixpanel.reducer.sum("properties.amount")]); }`,
    expected: () => {
      const a = ALL.filter((e) => e.name === "purchase").map((e) => P(e, "amount"));
      return [[sum(a.map((x) => Number(x))), sum(nums(a))]];
    },
  },
  {
    name: "to_number turns ISO date strings into epoch seconds",
    script: `function main(){ return People().reduce(mixpanel.reducer.max(mixpanel.to_number("properties.signup_date"))); }`,
    expected: () => [
      Math.max(...USERS.map((u) => Date.parse(`${u.properties["signup_date"] as string}Z`) / 1000)),
    ],
  },
  {
    name: "numeric_bucket with boundaries on People",
    script: `function main(){ return People().groupBy([mixpanel.numeric_bucket("properties.age", [0, 18, 30, 50])], mixpanel.reducer.count()); }`,
    expected: () =>
      refGroup(
        USERS,
        (u) => {
          const a = u.properties["age"] as number;
          return [a >= 50 ? 50 : a >= 30 ? 30 : a >= 18 ? 18 : 0];
        },
        count,
      ),
  },
  {
    name: "daily_time_buckets",
    script: `function main(){ return ${ev()}.groupBy([mixpanel.numeric_bucket("time", mixpanel.daily_time_buckets)], mixpanel.reducer.count()); }`,
    expected: () => refGroup(ALL, (e) => [Math.floor(e.time / DAY) * DAY], count),
  },
  {
    name: "weekly_time_buckets start on Monday",
    script: `function main(){ return ${ev()}.groupBy([mixpanel.numeric_bucket("time", mixpanel.weekly_time_buckets)], mixpanel.reducer.count()).map(function(r){ return [new Date(r.key[0]).toISOString().slice(0, 10), new Date(r.key[0]).getUTCDay(), r.value]; }); }`,
    expected: () =>
      refGroup(
        ALL,
        (e) => {
          const d = new Date(Math.floor(e.time / DAY) * DAY);
          const back = (d.getUTCDay() + 6) % 7;
          return [iso(d.getTime() - back * DAY).slice(0, 10)];
        },
        count,
      ).map((r) => [r.key[0], 1, r.value]),
  },
  {
    name: "monthly and annual time buckets on profile times",
    script: `function main(){ return People().groupBy([mixpanel.numeric_bucket("time", mixpanel.monthly_time_buckets), mixpanel.numeric_bucket("time", mixpanel.annual_time_buckets)], mixpanel.reducer.count()); }`,
    expected: () =>
      refGroup(
        USERS,
        (u) => {
          const d = new Date(u.time ?? 0);
          return [Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), Date.UTC(d.getUTCFullYear(), 0, 1)];
        },
        count,
      ),
  },
  {
    name: "quarterly_time_buckets",
    script: `function main(){ return People().groupBy([mixpanel.numeric_bucket("time", mixpanel.quarterly_time_buckets)], mixpanel.reducer.count()); }`,
    expected: () =>
      refGroup(
        USERS,
        (u) => {
          const d = new Date(u.time ?? 0);
          return [Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - (d.getUTCMonth() % 3), 1)];
        },
        count,
      ),
  },
  {
    name: "sortAsc by value",
    script: `function main(){ return ${ev()}.groupBy(["properties.$browser", "name"], mixpanel.reducer.count()).sortAsc("value"); }`,
    expected: () =>
      refGroup(ALL, (e) => [P(e, "$browser"), e.name], count).sort(
        (a, b) => (a.value as number) - (b.value as number),
      ),
  },
  {
    name: "sortDesc with a function accessor, then map",
    script: `function main(){ return ${ev()}.groupBy(["name"], mixpanel.reducer.avg("properties.load_time_ms")).sortDesc(function(r){ return r.value; }).map(function(r){ return r.key[0]; }); }`,
    expected: () =>
      refGroup(
        ALL,
        (e) => [e.name],
        (xs) => sum(xs.map((e) => P(e, "load_time_ms") as number)) / xs.length,
      )
        .sort((a, b) => (b.value as number) - (a.value as number))
        .map((r) => r.key[0]),
  },
  {
    name: "People() grouped by plan",
    script: `function main(){ return People().groupBy(["properties.plan"], mixpanel.reducer.count()); }`,
    expected: () => refGroup(USERS, (u) => [u.properties["plan"]], count),
  },
  {
    name: "People() with user_selectors",
    script: `function main(){ return People({user_selectors: [{selector: 'user["age"] > 40'}, {selector: 'properties["plan"] == "team"'}]}).map(function(u){ return u.distinct_id; }); }`,
    expected: () =>
      USERS.filter((u) => (u.properties["age"] as number) > 40 || u.properties["plan"] === "team").map(
        (u) => u.distinct_id,
      ),
  },
  {
    name: "join inner",
    script: `function main(){ return join(${ev()}, People(), {type: "inner"}).groupBy(["user.properties.plan"], mixpanel.reducer.count()); }`,
    expected: () =>
      refGroup(
        ALL.filter((e) => e.distinct_id !== undefined && userById.has(e.distinct_id)),
        (e) => [userById.get(e.distinct_id as string)?.properties["plan"]],
        count,
      ),
  },
  {
    name: "join left keeps events without profile",
    script: `function main(){ return join(${ev()}, People(), {type: "left"}).groupBy([function(t){ return t.user ? "with" : "without"; }], mixpanel.reducer.count()); }`,
    expected: () =>
      refGroup(
        ALL,
        (e) => [e.distinct_id !== undefined && userById.has(e.distinct_id) ? "with" : "without"],
        count,
      ),
  },
  {
    name: "join full (default) adds profiles without events",
    script: `function main(){ return join(${ev()}, People()).filter(function(t){ return !t.event; }).map(function(t){ return t.distinct_id; }); }`,
    expected: () =>
      USERS.filter((u) => !ALL.some((e) => e.distinct_id === u.distinct_id)).map((u) => u.distinct_id),
  },
  {
    name: "join right then groupByUser",
    script: `function main(){ return join(${ev()}, People(), {type: "right"}).groupByUser(mixpanel.reducer.count()); }`,
    expected: () =>
      refGroup(
        [
          ...ALL.filter((e) => e.distinct_id !== undefined && userById.has(e.distinct_id)).map(
            (e) => e.distinct_id,
          ),
          ...USERS.filter((u) => !ALL.some((e) => e.distinct_id === u.distinct_id)).map((u) => u.distinct_id),
        ],
        (id) => [id],
        count,
      ),
  },
  {
    name: "join with selectors over event and user properties",
    script: `function main(){ return join(${ev()}, People(), {type: "inner", selectors: [{selector: 'properties["country"] == "US" and user["age"] > 30'}]}).reduce(mixpanel.reducer.count()); }`,
    expected: () => [
      ALL.filter((e) => {
        const u = e.distinct_id === undefined ? undefined : userById.get(e.distinct_id);
        return u && P(e, "country") === "US" && (u.properties["age"] as number) > 30;
      }).length,
    ],
  },
  {
    name: "params drive dates and event_selectors via _.map",
    params: { from: "2024-01-03", to: "2024-01-09", events: ["login", "logout"] },
    script: `function main(){ return Events({from_date: params.from, to_date: params.to, event_selectors: _.map(params.events, function(e){ return {event: e}; })}).groupBy(["name"], mixpanel.reducer.count()); }`,
    expected: () =>
      refGroup(
        WEEK.filter((e) => e.name === "login" || e.name === "logout"),
        (e) => [e.name],
        count,
      ),
  },
  {
    name: "underscore helpers inside a custom reducer",
    script: `function main(){ return ${ev()}.groupBy(["name"], function(accs, events){ var c = _.countBy(events, function(e){ return e.properties.$browser; }); _.each(accs, function(a){ _.each(_.keys(a), function(k){ c[k] = (c[k] || 0) + a[k]; }); }); return c; }); }`,
    expected: () =>
      refGroup(
        ALL,
        (e) => [e.name],
        (xs) => {
          const c: Record<string, number> = {};
          for (const e of xs) c[P(e, "$browser") as string] = (c[P(e, "$browser") as string] ?? 0) + 1;
          return c;
        },
      ),
  },
  {
    name: "custom reduce function counts through accumulators",
    script: `function main(){ return ${ev()}.reduce(function(prev, events){ var n = events.length; for (var i = 0; i < prev.length; i++) n += prev[i]; return n; }); }`,
    expected: () => [ALL.length],
  },
  {
    name: "custom groupBy reducer (earliest and latest time)",
    script: `function main(){ return ${ev()}.groupBy(["name"], function(accs, items){ var r = {earliest: null, latest: null}; function min(x, y){ return x === null ? y : y === null ? x : Math.min(x, y); } for (var i = 0; i < accs.length; i++){ r.earliest = min(r.earliest, accs[i].earliest); r.latest = Math.max(r.latest, accs[i].latest); } for (var j = 0; j < items.length; j++){ r.earliest = min(r.earliest, items[j].time); r.latest = Math.max(r.latest, items[j].time); } return r; }); }`,
    expected: () =>
      refGroup(
        ALL,
        (e) => [e.name],
        (xs) => ({
          earliest: Math.min(...xs.map((e) => e.time)),
          latest: Math.max(...xs.map((e) => e.time)),
        }),
      ),
  },
  {
    name: "count with account_for_sampling",
    script: `function main(){ return ${ev()}.reduce(mixpanel.reducer.count({account_for_sampling: true})); }`,
    expected: () => [sum(ALL.map((e) => 1 / (e.sampling_factor ?? 1)))],
  },
  {
    name: "applyGroupLimits per level and globally",
    script: `function main(){ return ${ev()}.groupBy(["name", "properties.$browser"], mixpanel.reducer.count()).sortDesc("value").applyGroupLimits([2, 1], 3); }`,
    expected: () => {
      const rows = refGroup(ALL, (e) => [e.name, P(e, "$browser")], count).sort(
        (a, b) => (b.value as number) - (a.value as number),
      );
      const names: unknown[] = [];
      const perName = new Map<unknown, number>();
      const out: Row[] = [];
      for (const r of rows) {
        const [n] = r.key;
        if (!names.includes(n) && names.length >= 2) continue;
        if ((perName.get(n) ?? 0) >= 1) continue;
        if (out.length >= 3) break;
        if (!names.includes(n)) names.push(n);
        perName.set(n, (perName.get(n) ?? 0) + 1);
        out.push(r);
      }
      return out;
    },
  },
  {
    name: "long chain: filter, map, groupBy, map, sortDesc",
    script: `function main(){ return ${ev()}.filter(function(e){ return e.properties.country; }).map(function(e){ return {c: e.properties.country, t: e.properties.load_time_ms}; }).groupBy(["c"], mixpanel.reducer.sum("t")).map(function(r){ return {country: r.key[0], total: r.value}; }).sortDesc("total"); }`,
    expected: () =>
      refGroup(
        ALL.filter((e) => P(e, "country")),
        (e) => [P(e, "country")],
        (xs) => sum(xs.map((e) => P(e, "load_time_ms") as number)),
      )
        .map((r) => ({ country: r.key[0], total: r.value }))
        .sort((a, b) => (b.total as number) - (a.total as number)),
  },
  {
    name: "groupBy on the output of groupBy (chained aggregation)",
    script: `function main(){ return ${ev()}.groupByUser(["properties.country"], mixpanel.reducer.count()).groupBy([mixpanel.slice("key", 1)], mixpanel.reducer.max("value")).reduce(mixpanel.reducer.numeric_percentiles("value", 50)); }`,
    expected: () => {
      const perUser = refGroup(ALL, (e) => [e.distinct_id, P(e, "country")], count);
      const perCountry = refGroup(
        perUser,
        (r) => r.key.slice(1),
        (xs) => Math.max(...xs.map((r) => r.value as number)),
      );
      return [
        percentile(
          perCountry.map((r) => r.value as number),
          50,
        ),
      ];
    },
  },
  {
    name: "project time zone shifts time and the date range",
    timezone: "America/New_York",
    script: `function main(){ return Events({from_date: "2024-01-03", to_date: "2024-01-04"}).groupBy([mixpanel.numeric_bucket("time", mixpanel.daily_time_buckets), function(e){ return new Date(e.time).getHours() < 12 ? "am" : "pm"; }], mixpanel.reducer.count()); }`,
    expected: () => {
      const off = -5 * 3_600_000; // EST, no DST in January
      const from = Date.UTC(2024, 0, 3) - off;
      const to = Date.UTC(2024, 0, 5) - off;
      const xs = EVENTS.filter((e) => e.time >= from && e.time < to).map((e) => e.time + off);
      return refGroup(
        xs,
        (t) => [Math.floor(t / DAY) * DAY, new Date(t).getUTCHours() < 12 ? "am" : "pm"],
        count,
      );
    },
  },
  {
    name: "empty result is []",
    script: `function main(){ return ${ev()}.filter(function(){ return false; }); }`,
    expected: () => [],
  },
  {
    name: "reduce over an empty collection",
    script: `function main(){ return Events({from_date: "2030-01-01", to_date: "2030-01-02"}).reduce([mixpanel.reducer.count(), mixpanel.reducer.sum("x")]); }`,
    expected: () => [[0, 0]],
  },
];

describe("JQL corpus", () => {
  test("has at least 40 scripts", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });
  for (const c of cases) {
    test(c.name, async () => {
      const got = await runJql({
        script: c.script,
        params: c.params,
        source,
        timezone: c.timezone,
        limits: { timeoutMs: 10_000, memoryMb: 64 },
      });
      const want = c.expected();
      expect(Array.isArray(got)).toBe(true);
      expect(got).toEqual(json(want));
    });
  }
});

// Sanity checks of the fixture itself, so a degenerate data set cannot make the corpus vacuous.
test("fixture covers the cases the corpus relies on", () => {
  expect(ALL.length).toBeGreaterThan(500);
  expect(ALL.some((e) => e.distinct_id === undefined)).toBe(true);
  expect(ALL.some((e) => e.name === "purchase" && typeof P(e, "amount") === "string")).toBe(true);
  expect(new Set(USERS.map((u) => Math.floor((u.time ?? 0) / DAY))).size).toBeGreaterThan(10);
  expect(cmpKey([null], ["a"])).toBeLessThan(0);
});
