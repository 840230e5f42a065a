import { expect, test } from "vitest";
import {
  createMemorySource,
  type JqlAggregateRequest,
  type JqlDataSource,
  type JqlPlan,
  runJql,
} from "../src/index.js";
import { dayRangeToUtc, toProjectTime } from "../src/time.js";

const T = Date.UTC(2024, 0, 1);
const events = [
  { name: "a", distinct_id: "u1", time: T + 1000, properties: { c: "US" } },
  { name: "b", distinct_id: "u2", time: T + 2000, properties: { c: "FR" } },
];
const limits = { timeoutMs: 5_000, memoryMb: 32 };

test("the plan describes sources, selectors and stages for pushdown", async () => {
  let plan: JqlPlan | undefined;
  await runJql({
    script: `function main(){ return Events({from_date: "2024-01-01", to_date: "2024-01-02", event_selectors: [{event: "a", selector: 'properties["c"] == "US"'}, {event: "b"}]})
      .groupBy(["properties.c", mixpanel.numeric_bucket("time", mixpanel.daily_time_buckets), mixpanel.multiple_keys(["properties.tags"])],
               [mixpanel.reducer.count(), mixpanel.reducer.sum(mixpanel.to_number("properties.n")), function(a, i){ return 0; }])
      .filter(function(r){ return true; }).sortDesc("key.0"); }`,
    source: createMemorySource({ events, matchSelector: () => true }),
    limits,
    timezone: "Europe/Paris",
    onPlan: (p) => {
      plan = p;
    },
  });
  expect(plan?.source).toEqual({
    kind: "events",
    events: {
      fromDate: "2024-01-01",
      toDate: "2024-01-02",
      fromMs: T - 3_600_000,
      toMs: T + 2 * 86_400_000 - 3_600_000,
      timezone: "Europe/Paris",
      selectors: [{ event: "a", selector: 'properties["c"] == "US"' }, { event: "b" }],
      eventNames: ["a", "b"],
    },
  });
  expect(plan?.stages).toEqual([
    {
      op: "groupBy",
      keys: [
        { kind: "path", path: "properties.c" },
        {
          kind: "numeric_bucket",
          of: { kind: "path", path: "time" },
          buckets: { bucket_size: 86_400_000, offset: 0 },
        },
        { kind: "multiple_keys", keys: [{ kind: "path", path: "properties.tags" }] },
      ],
      reducers: [
        { kind: "builtin", name: "count" },
        {
          kind: "builtin",
          name: "sum",
          accessor: { kind: "to_number", of: { kind: "path", path: "properties.n" } },
        },
        { kind: "function" },
      ],
      list: true,
    },
    { op: "filter" },
    { op: "sortDesc", accessor: { kind: "path", path: "key.0" } },
  ]);
});

test("a source can take over a leading declarative groupBy", async () => {
  const calls: string[] = [];
  let request: JqlAggregateRequest | undefined;
  const source: JqlDataSource = {
    // biome-ignore lint/correctness/useYield: the test asserts this is never read
    async *events() {
      calls.push("events");
    },
    // biome-ignore lint/correctness/useYield: never read either
    async *people() {
      calls.push("people");
    },
    async aggregate(r) {
      request = r;
      // Unordered on purpose: the runtime orders rows like its own groupBy.
      return [
        { key: ["US"], value: 5 },
        { key: ["FR"], value: 7 },
      ];
    },
  };
  const out = await runJql({
    script: `function main(){ return Events({from_date: "2024-01-01", to_date: "2024-01-01"}).groupBy(["properties.c"], mixpanel.reducer.count()).map(function(r){ return r.key[0] + "=" + r.value; }); }`,
    source,
    limits,
  });
  expect(out).toEqual(["FR=7", "US=5"]);
  expect(calls).toEqual([]);
  expect(request?.stage.reducers).toEqual([{ kind: "builtin", name: "count" }]);
});

test("a groupBy with a user function is never pushed down; a declining source is read instead", async () => {
  let asked = 0;
  const inner = createMemorySource({ events });
  const source: JqlDataSource = {
    events: (q) => inner.events(q),
    people: (q) => inner.people(q),
    async aggregate() {
      asked++;
      return null;
    },
  };
  const script = (key: string) =>
    `function main(){ return Events({from_date: "2024-01-01", to_date: "2024-01-01"}).groupBy([${key}], mixpanel.reducer.count()); }`;
  expect(await runJql({ script: script("function(e){ return e.name; }"), source, limits })).toEqual([
    { key: ["a"], value: 1 },
    { key: ["b"], value: 1 },
  ]);
  expect(asked).toBe(0);
  expect(await runJql({ script: script('"name"'), source, limits })).toEqual([
    { key: ["a"], value: 1 },
    { key: ["b"], value: 1 },
  ]);
  expect(asked).toBe(1);
});

test("project time conversion across DST", () => {
  const ny = toProjectTime("America/New_York");
  expect(ny(Date.UTC(2024, 0, 1, 12))).toBe(Date.UTC(2024, 0, 1, 7));
  expect(ny(Date.UTC(2024, 6, 1, 12))).toBe(Date.UTC(2024, 6, 1, 8));
  expect(dayRangeToUtc("2024-03-10", "2024-03-10", "America/New_York")).toEqual({
    fromMs: Date.UTC(2024, 2, 10, 5),
    toMs: Date.UTC(2024, 2, 11, 4),
  });
  expect(() => dayRangeToUtc("2024-02-30", "2024-03-01", "UTC")).toThrow();
});
