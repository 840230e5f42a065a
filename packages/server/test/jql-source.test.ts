import { type JqlAggregateRequest, type JqlDataSource, type JqlEvent, runJql } from "@mpkit/jql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MpkitServer } from "../src/index.js";
import { createStorageJqlSource } from "../src/jql/storage-source.js";
import { b64, memoryServer, OWNER } from "./support/fixtures.js";

/**
 * The storage-backed JQL source: every pushed-down groupBy must give exactly what the sandbox
 * computes from the streamed events (same script, pushdown switched off), and events must stream
 * in time order across the source's time windows.
 */

let server: MpkitServer;
// Project 2 is America/Los_Angeles; the range crosses the 2024-03-10 DST change and a month end.
const T0 = Date.UTC(2024, 1, 27, 0);
const HOUR = 3_600_000;
const N = 400;

beforeAll(async () => {
  server = await memoryServer();
  const events = [];
  for (let i = 0; i < N; i++) {
    // Not inserted in time order: the source must sort.
    const t = T0 + ((i * 7919) % N) * (HOUR / 2) + (i % 3);
    const props: Record<string, unknown> = {
      time: t,
      distinct_id: `u${i % 13}`,
      $insert_id: `e${i}`,
      plan: ["free", "pro", "team", 1, true][i % 5],
      amount: i % 4 === 0 ? `${i}` : (i % 50) * 0.25,
      tags: i % 6 === 0 ? ["a", "b"] : i % 6 === 1 ? [] : i % 6 === 2 ? ["c"] : "c",
      nested: { level: i % 3, deep: { x: i % 2 === 0 ? "even" : null } },
      flag: i % 7 === 0 ? null : i % 2 === 0,
      obj: i % 10 === 0 ? { not: "scalar" } : "s",
      big: [1, "1", 1.5][i % 3],
    };
    events.push({ event: ["view", "signup", "purchase", "churn"][i % 4], properties: props });
  }
  const res = await server.app.request("/import?strict=1&project_id=2", {
    method: "POST",
    headers: { authorization: OWNER, "content-type": "application/json" },
    body: JSON.stringify(events),
  });
  expect(res.status, await res.text()).toBe(200);
  const engage = [0, 1, 2, 3, 4, 5].map((i) => ({
    $token: "tok_legacy",
    $distinct_id: `u${i}`,
    $set: { plan: i % 2 === 0 ? "pro" : "free", age: 20 + i * 5, tags: i % 3 === 0 ? ["x", "y"] : "z" },
  }));
  const p = await server.app.request(`/engage?verbose=1&data=${encodeURIComponent(b64(engage))}`);
  expect(p.status).toBe(200);
});
afterAll(async () => {
  await server.close();
});

const TZ = "America/Los_Angeles";
const source = (opts: { aggregate?: boolean; windowRows?: number } = {}): JqlDataSource =>
  createStorageJqlSource({ storage: server.context.storage, projectId: 2, timezone: TZ, ...opts });

/** Runs a script with and without pushdown; reports whether the source computed the groupBy. */
async function both(script: string): Promise<{ pushed: unknown; sandbox: unknown; used: boolean }> {
  const pushing = source();
  let used = false;
  const agg = pushing.aggregate?.bind(pushing);
  pushing.aggregate = async (r: JqlAggregateRequest) => {
    const rows = agg ? await agg(r) : null;
    used = rows !== null;
    return rows;
  };
  const settle = (p: Promise<unknown>) =>
    p.then(
      (v) => ({ ok: v }),
      (e: unknown) => ({ err: String(e) }),
    );
  const pushed = await settle(runJql({ script, source: pushing, timezone: TZ }));
  const sandbox = await settle(runJql({ script, source: source({ aggregate: false }), timezone: TZ }));
  return { pushed, sandbox, used };
}

const RANGE = 'from_date: "2024-02-26", to_date: "2024-03-31"';
const R = "mixpanel.reducer";
const pushable: [string, string][] = [
  ["count by name", `Events({${RANGE}}).groupBy(["name"], ${R}.count())`],
  [
    "property reducers by two keys",
    `Events({${RANGE}}).groupBy(["properties.plan", "name"], [${R}.sum("properties.amount"), ${R}.avg("properties.amount"), ${R}.min("properties.amount"), ${R}.max("properties.amount"), ${R}.numeric_summary("properties.amount"), ${R}.count({account_for_sampling: true}), ${R}.null()])`,
  ],
  ["list keys are inlined", `Events({${RANGE}}).groupBy(["properties.tags", "name"], ${R}.count())`],
  [
    'groups that meet after inlining are merged (["c"] and "c")',
    `Events({${RANGE}}).groupBy(["properties.tags"], [${R}.count(), ${R}.min("properties.amount"), ${R}.max("properties.amount"), ${R}.avg("properties.amount"), ${R}.sum("properties.amount"), ${R}.numeric_summary("properties.amount")])`,
  ],
  [
    "nested paths, nulls and missing",
    `Events({${RANGE}}).groupBy(["properties.nested.deep.x", "properties.nope", "properties.flag"], ${R}.count())`,
  ],
  [
    "numbers and numeric strings are different keys",
    `Events({${RANGE}}).groupBy(["properties.big"], ${R}.count())`,
  ],
  ["resolved distinct_id", `Events({${RANGE}}).groupBy(["distinct_id"], ${R}.max("time"))`],
  [
    "daily buckets in project time across DST",
    `Events({${RANGE}}).groupBy([mixpanel.numeric_bucket("time", mixpanel.daily_time_buckets)], ${R}.count())`,
  ],
  [
    "weekly buckets",
    `Events({${RANGE}}).groupBy([mixpanel.numeric_bucket("time", mixpanel.weekly_time_buckets)], ${R}.min("time"))`,
  ],
  [
    "monthly buckets",
    `Events({${RANGE}}).groupBy([mixpanel.numeric_bucket("time", mixpanel.monthly_time_buckets), "name"], ${R}.count())`,
  ],
  [
    "bucket bounds",
    `Events({${RANGE}}).groupBy([mixpanel.numeric_bucket("properties.amount", [0, 2.5, 10])], ${R}.sum("properties.amount"))`,
  ],
  [
    "bucket size",
    `Events({${RANGE}}).groupBy([mixpanel.numeric_bucket("properties.amount", {bucket_size: 3, offset: 1})], ${R}.count())`,
  ],
  ["no keys", `Events({${RANGE}}).groupBy([], [${R}.count(), ${R}.sum("properties.nested.level")])`],
  ["nothing matches", `Events({from_date: "2023-01-01", to_date: "2023-01-02"}).groupBy([], ${R}.count())`],
  [
    "selectors, then more stages",
    `Events({${RANGE}, event_selectors: [{event: "view", selector: 'properties["plan"] in ["pro", "team"]'}, {event: "churn"}]}).groupBy(["name", "properties.plan"], ${R}.count()).filter(function(r){ return r.value > 1; }).sortDesc("value")`,
  ],
  [
    "people",
    `People({user_selectors: [{selector: 'user["age"] > 22'}]}).groupBy(["properties.plan", "properties.tags"], [${R}.avg("properties.age"), ${R}.count()])`,
  ],
];

describe("groupBy pushdown equals the sandbox", () => {
  for (const [name, chain] of pushable) {
    it(name, async () => {
      const r = await both(`function main(){ return ${chain}; }`);
      expect(r.pushed).toEqual(r.sandbox);
      expect(r.used).toBe(true);
      expect("ok" in (r.sandbox as object)).toBe(true);
    });
  }

  const declined: [string, string][] = [
    [
      "a custom reducer",
      `Events({${RANGE}}).groupBy(["name"], function(acc, xs){ return xs.length + acc.length; })`,
    ],
    ["a function key", `Events({${RANGE}}).groupBy([function(e){ return e.name; }], ${R}.count())`],
    [
      "an object key (the sandbox raises the error)",
      `Events({${RANGE}}).groupBy(["properties.obj"], ${R}.count())`,
    ],
    ["a builtin member path", `Events({${RANGE}}).groupBy(["name.length"], ${R}.count())`],
    ["a prototype member", `Events({${RANGE}}).groupBy(["properties.nested.constructor"], ${R}.count())`],
    ["an index below the first level", `Events({${RANGE}}).groupBy(["properties.tags.0"], ${R}.count())`],
    [
      "a reducer without SQL form",
      `Events({${RANGE}}).groupBy(["name"], ${R}.numeric_percentiles("properties.amount", 50))`,
    ],
    ["to_number", `Events({${RANGE}}).groupBy(["name"], ${R}.sum(mixpanel.to_number("properties.amount")))`],
  ];
  for (const [name, chain] of declined) {
    it(`declines ${name}`, async () => {
      const r = await both(`function main(){ return ${chain}; }`);
      expect(r.pushed).toEqual(r.sandbox);
      expect(r.used).toBe(false);
    });
  }
});

describe("events()", () => {
  it("streams every matching event in time order across windows", async () => {
    const q = {
      fromDate: "2024-02-26",
      toDate: "2024-03-31",
      fromMs: Date.UTC(2024, 1, 26, 8),
      toMs: Date.UTC(2024, 3, 1, 7),
      timezone: TZ,
      selectors: [],
      eventNames: null,
    };
    const got: JqlEvent[] = [];
    let batches = 0;
    for await (const b of source({ windowRows: 17 }).events(q)) {
      got.push(...b);
      batches++;
    }
    expect(got).toHaveLength(N);
    expect(batches).toBeGreaterThan(N / 17 - 1);
    for (let i = 1; i < got.length; i++)
      expect((got[i] as JqlEvent).time).toBeGreaterThanOrEqual((got[i - 1] as JqlEvent).time);
    expect(new Set(got.map((e) => e.properties["$insert_id"])).size).toBe(N);
  });
});
