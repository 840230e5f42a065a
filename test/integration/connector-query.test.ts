/**
 * Every Query API action of the connector, and the mpkit saved-report actions, against the real mpkit
 * server (issue 5: "where the mpkit server implements the endpoint, against the server"; issue 4: saved
 * reports through `mpkit`). The data is seeded through the connector's own ingestion actions on a pinned
 * server clock, so every expected number below is worked out by hand from the table of events.
 */
import { main } from "@mpkit/cli";
import { createClient, families, type MixpanelClient } from "@mpkit/connector";
import { type RunningServer, startServer } from "@mpkit/server";
import { DuckDbStorage } from "@mpkit/storage-duckdb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testConfig } from "../../packages/server/test/support/fixtures.js";

/** The server's "now": Friday 2024-03-15 12:00 UTC (project 1 is UTC, Simplified ID Merge). */
const NOW = Date.parse("2024-03-15T12:00:00Z");
const D1 = "2024-03-11"; // a Monday: week buckets start here
const D2 = "2024-03-12";
const D3 = "2024-03-13";
const D4 = "2024-03-14";
const D5 = "2024-03-15"; // today
const range = { from_date: D1, to_date: D5 };

type Seeded = [day: string, hhmm: string, event: string, distinctId: string, props: Record<string, unknown>];
/**
 * The whole dataset. Users: u1 (free), u2 (pro), u3 (pro), and an anonymous device dev-9 that becomes u3
 * on D2 (an event with both `$device_id` and `$user_id` links `$device:dev-9` to u3), so u3's cluster
 * holds e3, e6, e7 and e12.
 */
const EVENTS: Seeded[] = [
  [D1, "10:00", "Viewed", "u1", { plan: "free", amount: 10 }], // e1
  [D1, "10:00", "Viewed", "u2", { plan: "pro", amount: 20 }], // e2
  [D1, "10:00", "Viewed", "$device:dev-9", { plan: "free", amount: 5, $device_id: "dev-9" }], // e3
  [D1, "11:00", "Signed Up", "u1", { plan: "free" }], // e4
  [D2, "09:00", "Viewed", "$device:dev-9", { plan: "free", amount: 5, $device_id: "dev-9" }], // e6
  [D2, "10:00", "Viewed", "u1", { plan: "free", amount: 30 }], // e5
  [D2, "10:00", "Viewed", "u3", { plan: "pro", amount: 40, $device_id: "dev-9", $user_id: "u3" }], // e7
  [D2, "10:00", "Signed Up", "u2", { plan: "pro" }], // e8
  [D3, "10:00", "Purchase", "u2", { plan: "pro", amount: 100 }], // e9
  [D3, "10:00", "Purchase", "u1", { plan: "free", amount: 50 }], // e10
  [D3, "11:00", "Purchase", "u1", { plan: "free", amount: 25 }], // e11
  [D4, "10:00", "Signed Up", "u3", { plan: "pro" }], // e12
  [D5, "09:00", "Viewed", "u1", { plan: "free", amount: 1 }], // e13
  [D5, "09:00", "Viewed", "u2", { plan: "pro", amount: 2 }], // e14
  [D5, "10:00", "Purchase", "u2", { plan: "pro", amount: 60 }], // e15
];
const BULK_PROFILES = 1001; // one more than a page of /engage

let server: RunningServer;
let mp: MixpanelClient;
let legacy: MixpanelClient;
/** Requests the connector sent to /engage (Query Profiles), to see the iterator page. */
let engageRequests = 0;
/** `METHOD /path` of every request `mp` sent, to check below that no action was left out. */
const sent: string[] = [];
const ids: { funnel?: number; buyers?: number; pro?: number; bookmark?: number } = {};

function need(id: number | undefined): number {
  if (id === undefined) throw new Error("an earlier test did not create the report");
  return id;
}

beforeAll(async () => {
  server = await startServer({
    port: 0,
    config: testConfig,
    storage: await DuckDbStorage.open(),
    now: () => NOW,
  });
  const countingFetch: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname === "/api/query/engage") engageRequests++;
    sent.push(`${init?.method ?? "GET"} ${url.pathname}`);
    return fetch(input, init);
  };
  mp = createClient({
    baseUrl: server.url,
    serviceAccount: { username: "sa.owner", secret: "owner-secret" },
    projectId: 1,
    token: "tok_demo",
    retry: { maxRetries: 0 },
    fetch: countingFetch,
  });
  // The project secret (legacy auth): the same project, without project_id on the wire.
  legacy = createClient({ baseUrl: server.url, apiSecret: "sec_demo", retry: { maxRetries: 0 } });

  const report = await mp.importEvents({
    events: EVENTS.map(([day, hhmm, event, distinctId, props], i) => ({
      event,
      properties: {
        distinct_id: distinctId,
        time: Date.parse(`${day}T${hhmm}:00Z`) / 1000,
        $insert_id: `q-${i}`,
        ...props,
      },
    })),
    strict: 1,
  });
  expect(report).toMatchObject({ ok: true, accepted: EVENTS.length });

  await mp.createProfile({
    distinct_id: "u1",
    properties: { $name: "Ann", plan: "free", $email: "ann@example.com" },
  });
  await mp.createProfile({
    distinct_id: "u2",
    properties: { $name: "Bob", plan: "pro", $email: "bob@example.com" },
  });
  await mp.createProfile({ distinct_id: "u3", properties: { $name: "Cy", plan: "pro" } });
  const bulk = await mp.updateMultipleProfiles({
    updates: Array.from({ length: BULK_PROFILES }, (_, i) => ({
      $distinct_id: `bulk-${String(i).padStart(4, "0")}`,
      $set: { bulk: true, n: i },
    })),
  });
  expect(bulk.ok).toBe(true);
  await mp.setGroupProperties({ group_key: "company", group_id: "acme", properties: { size: 5 } });
});
afterAll(async () => {
  await server.stop();
});

const days = (values: number[]) => Object.fromEntries([D1, D2, D3, D4, D5].map((d, i) => [d, values[i]]));

describe("Query API actions against the mpkit server", () => {
  it("segmentation: totals, uniques over merged identities, on, where, CSV, and the project secret", async () => {
    // Viewed per day: D1 e1 e2 e3, D2 e6 e5 e7, D5 e13 e14.
    const general = (await mp.segmentation({ event: "Viewed", ...range, unit: "day" })) as {
      data: { series: string[]; values: Record<string, unknown> };
    };
    expect(general.data.series).toEqual([D1, D2, D3, D4, D5]);
    expect(general.data.values).toEqual({ Viewed: days([3, 3, 0, 0, 2]) });
    // Uniques: on D2 $device:dev-9 and u3 are one user, so 2 (u1, u3), not 3.
    const unique = (await mp.segmentation({ event: "Viewed", ...range, type: "unique" })) as typeof general;
    expect(unique.data.values).toEqual({ Viewed: days([3, 2, 0, 0, 2]) });
    const byPlan = (await mp.segmentation({
      event: "Viewed",
      ...range,
      on: 'properties["plan"]',
    })) as typeof general;
    expect(byPlan.data.values).toEqual({ free: days([2, 2, 0, 0, 1]), pro: days([1, 1, 0, 0, 1]) });
    const filtered = (await mp.segmentation({
      event: "Viewed",
      ...range,
      where: 'properties["amount"] >= 20',
    })) as typeof general;
    expect(filtered.data.values).toEqual({ Viewed: days([1, 2, 0, 0, 0]) });
    const csv = await mp.segmentation({ event: "Viewed", from_date: D1, to_date: D2, format: "csv" });
    // RFC 4180 line ends.
    expect(csv).toBe(`date,Viewed\r\n${D1},3\r\n${D2},3\r\n`);
    const viaSecret = (await legacy.segmentation({ event: "Purchase", ...range })) as typeof general;
    expect(viaSecret.data.values).toEqual({ Purchase: days([0, 0, 3, 0, 1]) });
  });

  it("segmentation/numeric, /sum and /average", async () => {
    // Viewed amounts 10, 20, 5 (D1), 5, 30, 40 (D2), 1, 2 (D5): range 1..40, so buckets of 5.
    const numeric = (await mp.segmentationNumeric({
      event: "Viewed",
      ...range,
      on: 'properties["amount"]',
    })) as { data: { values: Record<string, Record<string, number>> } };
    const nonZero = Object.fromEntries(
      Object.entries(numeric.data.values).map(([label, byDay]) => [
        label,
        Object.fromEntries(Object.entries(byDay).filter(([, n]) => n !== 0)),
      ]),
    );
    expect(nonZero).toMatchObject({
      "0 - 5": { [D5]: 2 },
      "5 - 10": { [D1]: 1, [D2]: 1 },
      "10 - 15": { [D1]: 1 },
      "20 - 25": { [D1]: 1 },
      "30 - 35": { [D2]: 1 },
      "40 - 45": { [D2]: 1 },
    });
    const total = Object.values(numeric.data.values)
      .flatMap((byDay) => Object.values(byDay))
      .reduce((a, b) => a + b, 0);
    expect(total).toBe(8);

    // Purchase amounts: D3 100 + 50 + 25, D5 60.
    const sum = (await mp.segmentationSum({
      event: "Purchase",
      ...range,
      on: 'properties["amount"]',
    })) as { status: string; results: Record<string, number> };
    expect(sum.status).toBe("ok");
    expect(sum.results).toEqual(days([0, 0, 175, 0, 60]));
    const average = (await mp.segmentationAverage({
      event: "Purchase",
      ...range,
      on: 'properties["amount"]',
    })) as typeof sum;
    expect(average.results[D3]).toBeCloseTo(175 / 3, 6);
    expect(average.results[D5]).toBe(60);
    expect(average.results[D1]).toBe(0);
  });

  it("events, events/top, events/names, events/properties, /properties/top and /properties/values", async () => {
    const counts = (await mp.aggregateEventCounts({
      event: ["Viewed", "Purchase"],
      type: "general",
      unit: "day",
      ...range,
    })) as { data: { series: string[]; values: Record<string, unknown> } };
    expect(counts.data.values).toEqual({
      Viewed: days([3, 3, 0, 0, 2]),
      Purchase: days([0, 0, 3, 0, 1]),
    });
    const uniques = (await mp.aggregateEventCounts({
      event: ["Purchase"],
      type: "unique",
      unit: "day",
      ...range,
    })) as typeof counts;
    expect(uniques.data.values).toEqual({ Purchase: days([0, 0, 2, 0, 1]) });

    // Today (D5, half over): Viewed 2, Purchase 1; yesterday only Signed Up, so both changes are 1.
    const top = (await mp.todaysTopEvents({ type: "general" })) as {
      events: { event: string; amount: number; percent_change: number }[];
      type: string;
    };
    expect(top).toEqual({
      events: [
        { amount: 2, event: "Viewed", percent_change: 1 },
        { amount: 1, event: "Purchase", percent_change: 1 },
      ],
      type: "general",
    });
    // Last 31 days by volume: Viewed 8, Purchase 4, Signed Up 3.
    expect(await mp.topEvents({ type: "general" })).toEqual(["Viewed", "Purchase", "Signed Up"]);
    expect(await mp.topEvents({ type: "general", limit: 2 })).toEqual(["Viewed", "Purchase"]);

    const byPlan = (await mp.aggregatedEventPropertyValues({
      event: "Viewed",
      name: "plan",
      type: "general",
      unit: "day",
      ...range,
    })) as typeof counts;
    expect(byPlan.data.values).toEqual({ free: days([2, 2, 0, 0, 1]), pro: days([1, 1, 0, 0, 1]) });
    const onlyPro = (await mp.aggregatedEventPropertyValues({
      event: "Viewed",
      name: "plan",
      values: ["pro"],
      type: "general",
      unit: "day",
      ...range,
    })) as typeof counts;
    expect(onlyPro.data.values).toEqual({ pro: days([1, 1, 0, 0, 1]) });

    // Every Purchase (4) carries plan and amount.
    const props = (await mp.topEventProperties({ event: "Purchase" })) as Record<string, { count: number }>;
    expect(props["plan"]).toEqual({ count: 4 });
    expect(props["amount"]).toEqual({ count: 4 });
    // Viewed plan values: free 5 (e1 e3 e6 e5 e13), pro 3.
    expect(await mp.topEventPropertyValues({ event: "Viewed", name: "plan" })).toEqual(["free", "pro"]);
    expect(await mp.topEventPropertyValues({ event: "Viewed", name: "plan", limit: 1 })).toEqual(["free"]);
  });

  it("retention (birth) and addiction", async () => {
    // Born on Signed Up: u1 D1 11:00, u2 D2 10:00, u3 D4 10:00. Returns are Purchases, interval k
    // covers [birth + k days, birth + k+1 days): u1's D3 10:00 is k=1 (47h), D3 11:00 is k=2 (48h);
    // u2's D3 10:00 is k=1 (24h), D5 10:00 is k=3 (72h); u3 never buys. Cohorts are cut at the last
    // interval that has started by now (D5 12:00).
    const retention = (await mp.queryRetention({
      ...range,
      born_event: "Signed Up",
      event: "Purchase",
      unit: "day",
      interval_count: 3,
    })) as Record<string, { first: number; counts: number[] }>;
    expect(retention[D1]).toEqual({ first: 1, counts: [0, 1, 1, 0] });
    expect(retention[D2]).toEqual({ first: 1, counts: [0, 1, 0, 1] });
    expect(retention[D4]).toEqual({ first: 1, counts: [0, 0] });
    expect(retention[D3]?.first).toBe(0);

    // Distinct days with Viewed in the week of D1: u1 3 (D1 D2 D5), u2 2 (D1 D5), u3 2 (D1 D2 as dev-9/u3).
    const addiction = (await mp.queryFrequency({
      ...range,
      unit: "week",
      addiction_unit: "day",
      event: "Viewed",
    })) as { data: Record<string, number[]> };
    expect(addiction.data).toEqual({ [D1]: [3, 3, 1, 0, 0, 0, 0] });
  });

  it("engage: one profile, filters, group profiles, and the profiles() iterator past one page", async () => {
    const one = (await mp.queryProfile({ distinct_id: "u1" })) as {
      results: { $distinct_id: string; $properties: Record<string, unknown> }[];
      total: number;
    };
    expect(one.total).toBe(1);
    expect(one.results[0]).toMatchObject({
      $distinct_id: "u1",
      $properties: { $name: "Ann", plan: "free", $email: "ann@example.com" },
    });
    const pro = (await mp.queryProfiles({
      where: 'properties["plan"] == "pro"',
      output_properties: ["$name"],
    })) as typeof one;
    expect(pro.total).toBe(2);
    expect(pro.results).toEqual([
      { $distinct_id: "u2", $properties: { $name: "Bob" } },
      { $distinct_id: "u3", $properties: { $name: "Cy" } },
    ]);
    const some = (await mp.queryProfiles({ distinct_ids: ["u3", "u1", "nobody"] })) as typeof one;
    expect(some.results.map((r) => r.$distinct_id)).toEqual(["u1", "u3"]);
    const groups = (await mp.queryProfiles({ data_group_id: "company" })) as typeof one;
    expect(groups.results).toEqual([{ $distinct_id: "acme", $properties: { size: 5 } }]);

    const before = engageRequests;
    const seen: string[] = [];
    for await (const p of mp.profiles({ where: 'properties["bulk"] == true' })) {
      seen.push(String(p["$distinct_id"]));
    }
    expect(seen).toHaveLength(BULK_PROFILES);
    expect(new Set(seen).size).toBe(BULK_PROFILES);
    expect(seen[0]).toBe("bulk-0000");
    expect(seen.at(-1)).toBe("bulk-1000");
    expect(engageRequests - before).toBe(2); // 1000 + 1
    let everyone = 0;
    for await (const _ of mp.profiles()) everyone++;
    expect(everyone).toBe(BULK_PROFILES + 3);
  });

  it("stream/query: a user's activity across their identity cluster, oldest first", async () => {
    const stream = (await mp.profileEventActivity({ distinct_ids: ["u3"], ...range })) as {
      status: string;
      results: { events: { event: string; properties: Record<string, unknown> }[] };
    };
    expect(stream.status).toBe("ok");
    expect(
      stream.results.events.map((e) => [e.event, e.properties["time"], e.properties["distinct_id"]]),
    ).toEqual([
      ["Viewed", Date.parse(`${D1}T10:00:00Z`) / 1000, "u3"],
      ["Viewed", Date.parse(`${D2}T09:00:00Z`) / 1000, "u3"],
      ["Viewed", Date.parse(`${D2}T10:00:00Z`) / 1000, "u3"],
      ["Signed Up", Date.parse(`${D4}T10:00:00Z`) / 1000, "u3"],
    ]);
  });

  it("JQL: a script grouped by event name", async () => {
    const rows = await mp.customJqlQuery({
      script:
        'function main() { return Events({ from_date: params.from, to_date: params.to }).groupBy(["name"], mixpanel.reducer.count()); }',
      params: { from: D1, to: D5 },
    });
    expect(rows).toEqual([
      { key: ["Purchase"], value: 4 },
      { key: ["Signed Up"], value: 3 },
      { key: ["Viewed"], value: 8 },
    ]);
  });
});

describe("saved reports through the connector (mpkit App API) and the Query API", () => {
  it("creates, reads, queries, updates and deletes a saved funnel", async () => {
    const created = (await mp.createSavedFunnel({
      name: "Signup",
      steps: [{ event: "Viewed" }, { event: "Signed Up" }, { event: "Purchase", label: "Bought" }],
      length: 7,
    })) as { status: string; results: { id: number; name: string; type: string } };
    expect(created.status).toBe("ok");
    expect(created.results).toMatchObject({ name: "Signup", type: "funnel", length: 7 });
    const id = created.results.id;
    ids.funnel = id;

    expect(await mp.listSavedFunnels()).toEqual([{ funnel_id: id, name: "Signup" }]);
    const listed = (await mp.listSavedFunnelDefinitions()) as { results: { id: number; steps: unknown[] }[] };
    expect(listed.results.map((f) => [f.id, f.steps.length])).toEqual([[id, 3]]);
    const got = (await mp.getSavedFunnel({ funnel_id: id })) as { results: { steps: { label?: string }[] } };
    expect(got.results.steps[2]?.label).toBe("Bought");

    // Entered by u1, u2 and u3 (as dev-9) on D1 10:00; Signed Up: u1 +1h, u2 +1d, u3 +3d; Purchase
    // after signing up within 7 days of entry: u1 (D3 10:00, 47h after), u2 (D3 10:00, 1d after).
    const report = (await mp.queryFunnel({ funnel_id: id, ...range, unit: "week" })) as {
      meta: { dates: string[] };
      data: Record<
        string,
        {
          steps: { count: number; avg_time: number | null; avg_time_from_start: number | null }[];
          analysis: Record<string, number>;
        }
      >;
    };
    expect(report.meta.dates).toEqual([D1]);
    const week = report.data[D1];
    expect(week?.steps.map((s) => s.count)).toEqual([3, 3, 2]);
    expect(week?.steps.map((s) => s.avg_time)).toEqual([null, (3600 + 86_400 + 259_200) / 3, 127_800]);
    expect(week?.steps[2]?.avg_time_from_start).toBe(172_800);
    expect(week?.analysis).toMatchObject({ starting_amount: 3, completion: 2 });

    // Only pro signups count now: u2 and u3 sign up on pro, only u2 buys.
    const updated = (await mp.updateSavedFunnel({
      funnel_id: id,
      name: "Pro signup",
      steps: [
        { event: "Viewed" },
        { event: "Signed Up", selector: 'properties["plan"] == "pro"' },
        { event: "Purchase" },
      ],
      length: 7,
    })) as { results: { name: string } };
    expect(updated.results.name).toBe("Pro signup");
    const after = (await mp.queryFunnel({ funnel_id: id, ...range, unit: "week" })) as typeof report;
    expect(after.data[D1]?.steps.map((s) => s.count)).toEqual([3, 2, 1]);
    expect(await mp.listSavedFunnels()).toEqual([{ funnel_id: id, name: "Pro signup" }]);

    const scratch = (await mp.createSavedFunnel({
      name: "Scratch",
      steps: [{ event: "Viewed" }, { event: "Purchase" }],
    })) as typeof created;
    expect(await mp.deleteSavedFunnel({ funnel_id: scratch.results.id })).toEqual({ status: "ok" });
    expect(await mp.listSavedFunnels()).toEqual([{ funnel_id: id, name: "Pro signup" }]);
    await expect(mp.getSavedFunnel({ funnel_id: scratch.results.id })).rejects.toMatchObject({ status: 404 });
    // The server validates definitions: one step is not a funnel.
    await expect(mp.createSavedFunnel({ name: "Bad", steps: [{ event: "Viewed" }] })).rejects.toMatchObject({
      status: 400,
    });
  });

  it("saves cohorts, lists them with member counts and filters profiles by them", async () => {
    // Purchased at least twice in the last 7 days: u1 (2 on D3) and u2 (D3, D5).
    const buyers = (await mp.createSavedCohort({
      name: "Buyers",
      description: "2+ purchases this week",
      behaviors: [{ event: "Purchase", min: 2, days: 7 }],
    })) as { results: { id: number } };
    const pro = (await mp.createSavedCohort({
      name: "Pro",
      selector: 'properties["plan"] == "pro"',
    })) as typeof buyers;
    ids.buyers = buyers.results.id;
    ids.pro = pro.results.id;

    const list = (await mp.listSavedCohorts()) as { id: number; name: string; count: number }[];
    expect(list.map((c) => [c.id, c.name, c.count])).toEqual([
      [buyers.results.id, "Buyers", 2],
      [pro.results.id, "Pro", 2],
    ]);
    const members = (await mp.queryProfiles({ filter_by_cohort: { id: buyers.results.id } })) as {
      results: { $distinct_id: string }[];
    };
    expect(members.results.map((r) => r.$distinct_id)).toEqual(["u1", "u2"]);

    await mp.updateSavedCohort({
      cohort_id: pro.results.id,
      name: "Free",
      selector: 'properties["plan"] == "free"',
    });
    const got = (await mp.getSavedCohort({ cohort_id: pro.results.id })) as {
      results: Record<string, unknown>;
    };
    expect(got.results).toMatchObject({ name: "Free", selector: 'properties["plan"] == "free"' });
    const free = (await mp.queryProfiles({ filter_by_cohort: { id: pro.results.id } })) as typeof members;
    expect(free.results.map((r) => r.$distinct_id)).toEqual(["u1"]);
    const definitions = (await mp.listSavedCohortDefinitions()) as { results: { name: string }[] };
    expect(definitions.results.map((c) => c.name)).toEqual(["Buyers", "Free"]);

    await mp.deleteSavedCohort({ cohort_id: pro.results.id });
    expect(((await mp.listSavedCohorts()) as { name: string }[]).map((c) => c.name)).toEqual(["Buyers"]);
  });

  it("saves an Insights report (bookmark) and queries it by bookmark_id", async () => {
    const created = (await mp.createSavedInsightsReport({
      name: "Views",
      events: ["Viewed"],
      type: "unique",
      unit: "day",
      ...range,
    })) as { results: { id: number } };
    const id = created.results.id;
    ids.bookmark = id;
    const insights = (await mp.queryInsights({ bookmark_id: id })) as {
      headers: string[];
      series: Record<string, Record<string, number>>;
      date_range: { from_date: string; to_date: string };
    };
    expect(insights.series).toEqual({
      "Viewed [Unique Users]": Object.fromEntries(
        [D1, D2, D3, D4, D5].map((d, i) => [`${d}T00:00:00+00:00`, [3, 2, 0, 0, 2][i]]),
      ),
    });

    await mp.updateSavedInsightsReport({
      bookmark_id: id,
      name: "Purchases",
      events: ["Purchase"],
      ...range,
    });
    const after = (await mp.queryInsights({ bookmark_id: id })) as typeof insights;
    expect(Object.keys(after.series)).toEqual(["Purchase [Total Events]"]);
    expect(Object.values(after.series["Purchase [Total Events]"] ?? {})).toEqual([0, 0, 3, 0, 1]);
    const got = (await mp.getSavedInsightsReport({ bookmark_id: id })) as { results: { name: string } };
    expect(got.results.name).toBe("Purchases");
    const list = (await mp.listSavedInsightsReports()) as { results: { id: number }[] };
    expect(list.results.map((b) => b.id)).toEqual([id]);

    const scratch = (await mp.createSavedInsightsReport({ name: "x", events: ["Viewed"], last_days: 7 })) as {
      results: { id: number };
    };
    await mp.deleteSavedInsightsReport({ bookmark_id: scratch.results.id });
    await expect(mp.queryInsights({ bookmark_id: scratch.results.id })).rejects.toMatchObject({
      status: 400,
    });
  });

  it("runs the saved-report actions from the mpkit CLI", async () => {
    let stdout = "";
    let stderr = "";
    const run = async (argv: string[], env: Record<string, string> = {}) => {
      stdout = "";
      stderr = "";
      return main(argv, {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text), isTTY: false },
        env: {
          HOME: "/nonexistent",
          MPKIT_BASE_URL: server.url,
          MPKIT_PROJECT_ID: "1",
          MPKIT_SERVICE_ACCOUNT_USERNAME: "sa.analyst",
          MPKIT_SERVICE_ACCOUNT_SECRET: "analyst-secret",
          ...env,
        },
        readStdin: async () => "",
      });
    };
    const code = await run([
      "create-saved-funnel",
      "--name",
      "CLI funnel",
      "--steps",
      '[{"event": "Signed Up"}, {"event": "Purchase"}]',
      "--length",
      "2",
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const id = (JSON.parse(stdout) as { results: { id: number } }).results.id;

    expect(await run(["list-saved-funnels", "--output", "jsonl"])).toBe(0);
    expect(stdout).toBe(
      `${JSON.stringify({ funnel_id: need(ids.funnel), name: "Pro signup" })}\n${JSON.stringify({ funnel_id: id, name: "CLI funnel" })}\n`,
    );
    // Signed Up then Purchase within 2 days: u1 (D1 11:00 → D3 10:00, 47h) and u2 (D2 → D3), not u3.
    expect(
      await run([
        "query-funnel",
        "--funnel-id",
        String(id),
        "--from-date",
        D1,
        "--to-date",
        D5,
        "--unit",
        "week",
      ]),
    ).toBe(0);
    const funnel = JSON.parse(stdout) as { data: Record<string, { steps: { count: number }[] }> };
    expect(funnel.data[D1]?.steps.map((s) => s.count)).toEqual([3, 2]);

    expect(await run(["delete-saved-funnel", "--funnel-id", String(id)])).toBe(0);
    expect(await run(["list-saved-funnel-definitions", "--output", "jsonl"])).toBe(0);
    expect(
      stdout
        .trim()
        .split("\n")
        .map((line) => (JSON.parse(line) as { name: string }).name),
    ).toEqual(["Pro signup"]);
    expect(await run(["get-saved-cohort", "--cohort-id", String(need(ids.buyers))])).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ results: { name: "Buyers" } });
    // A consumer may read saved reports but not change them (analyst or above).
    const consumer = {
      MPKIT_SERVICE_ACCOUNT_USERNAME: "sa.consumer",
      MPKIT_SERVICE_ACCOUNT_SECRET: "consumer-secret",
    };
    expect(await run(["list-saved-cohort-definitions"], consumer)).toBe(0);
    expect(await run(["delete-saved-cohort", "--cohort-id", String(need(ids.buyers))], consumer)).toBe(1);
    expect(stderr).toContain("403");
    expect(((await mp.listSavedCohorts()) as { name: string }[]).map((c) => c.name)).toEqual(["Buyers"]);
    // `--all` pages through /engage with the client's iterator: 1001 profiles, one JSON line each.
    expect(
      await run(["query-profiles", "--all", "--where", 'properties["bulk"] == true', "--output", "jsonl"]),
    ).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(BULK_PROFILES);
    expect(JSON.parse(lines.at(-1) ?? "{}")).toMatchObject({ $distinct_id: "bulk-1000" });
  });

  it("passes every optional Query API parameter the way the server reads it", async () => {
    // Hourly buckets on D3: Purchases at 10:00 (u2, u1) and 11:00 (u1).
    const hourly = (await mp.segmentation({
      event: "Purchase",
      from_date: D3,
      to_date: D3,
      unit: "hour",
    })) as {
      data: { series: string[]; values: Record<string, Record<string, number>> };
    };
    expect(hourly.data.series).toHaveLength(24);
    expect(hourly.data.values["Purchase"]?.[`${D3} 10:00:00`]).toBe(2);
    expect(hourly.data.values["Purchase"]?.[`${D3} 11:00:00`]).toBe(1);
    // `interval`: 2-day buckets from from_date; `limit` keeps the top segment (free 5 views, pro 3).
    const twoDays = (await mp.segmentation({ event: "Viewed", ...range, interval: 2 })) as typeof hourly;
    expect(twoDays.data.values).toEqual({ Viewed: { [D1]: 6, [D3]: 0, [D5]: 2 } });
    const top1 = (await mp.segmentation({
      event: "Viewed",
      ...range,
      on: 'properties["plan"]',
      limit: 1,
    })) as typeof hourly;
    expect(Object.keys(top1.data.values)).toEqual(["free"]);
    const events = await mp.aggregateEventCounts({
      event: ["Purchase"],
      type: "general",
      unit: "day",
      from_date: D3,
      to_date: D4,
      format: "csv",
    });
    expect(events).toBe(`date,Purchase\r\n${D3},3\r\n${D4},0\r\n`);

    // A saved funnel queried with a window in hours, `on`, `where` and `interval`.
    const created = (await mp.createSavedFunnel({
      name: "View to buy",
      steps: [{ event: "Viewed" }, { event: "Purchase" }],
    })) as { results: { id: number } };
    const funnel_id = created.results.id;
    type Steps = { count: number }[];
    const counts = async (input: Record<string, unknown>) => {
      const r = (await mp.queryFunnel({ funnel_id, ...range, ...input })) as {
        data: Record<string, { steps?: Steps } & Record<string, unknown>>;
      };
      return r.data;
    };
    // Entries D1 10:00 (u1, u2, u3 as dev-9); the first Purchases of u1 and u2 are 48h later, and the
    // window is half-open: 48 hours misses them, 49 hours catches them.
    expect(
      (await counts({ unit: "week", length: 48, length_unit: "hour" }))[D1]?.steps?.map((s) => s.count),
    ).toEqual([3, 0]);
    expect(
      (await counts({ unit: "week", length: 49, length_unit: "hour" }))[D1]?.steps?.map((s) => s.count),
    ).toEqual([3, 2]);
    const byPlan = (await counts({ unit: "week", length: 3, on: 'properties["plan"]' }))[D1] as Record<
      string,
      Steps
    >;
    expect(Object.fromEntries(Object.entries(byPlan).map(([k, v]) => [k, v.map((s) => s.count)]))).toEqual({
      $overall: [3, 2],
      free: [2, 1],
      // A user enters each segment once, at their first step-0 event of that segment: u3 viewed on free as
      // dev-9 (D1) and on pro after logging in (D2), so u3 is in both.
      pro: [2, 1],
    });
    expect(
      (await counts({ unit: "week", length: 3, where: 'properties["plan"] == "free"' }))[D1]?.steps?.map(
        (s) => s.count,
      ),
    ).toEqual([2, 1]);
    const twoDayBuckets = await counts({ interval: 2, length: 3 });
    expect(Object.keys(twoDayBuckets)).toEqual([D1, D3, D5]);
    expect(twoDayBuckets[D1]?.steps?.map((s) => s.count)).toEqual([3, 2]);
    // On D5 u1 and u2 view again; u2 buys an hour later.
    expect(twoDayBuckets[D5]?.steps?.map((s) => s.count)).toEqual([2, 1]);

    // Retention: only pro signups (u2 on D2, u3 on D4) with born_where; unbounded counts "k or later".
    const pro = (await mp.queryRetention({
      ...range,
      born_event: "Signed Up",
      born_where: 'properties["plan"] == "pro"',
      event: "Purchase",
      interval_count: 3,
    })) as Record<string, { first: number; counts: number[] }>;
    expect(pro[D1]?.first).toBe(0);
    expect(pro[D2]).toEqual({ first: 1, counts: [0, 1, 0, 1] });
    expect(pro[D4]).toEqual({ first: 1, counts: [0, 0] });
    const unbounded = (await mp.queryRetention({
      ...range,
      born_event: "Signed Up",
      event: "Purchase",
      interval_count: 3,
      unbounded_retention: true,
    })) as typeof pro;
    expect(unbounded[D1]?.counts).toEqual([1, 1, 1, 0]);
    expect(unbounded[D2]?.counts).toEqual([1, 1, 1, 1]);
    const segmented = (await mp.queryRetention({
      ...range,
      born_event: "Signed Up",
      event: "Purchase",
      interval_count: 3,
      on: 'properties["plan"]',
    })) as Record<string, Record<string, { first: number; counts: number[] }>>;
    expect(segmented[D1]?.["free"]).toEqual({ first: 1, counts: [0, 1, 1, 0] });
    expect(segmented[D2]?.["pro"]).toEqual({ first: 1, counts: [0, 1, 0, 1] });
    const addiction = (await mp.queryFrequency({
      ...range,
      unit: "week",
      addiction_unit: "day",
      event: "Viewed",
      on: 'properties["plan"]',
    })) as { data: Record<string, Record<string, number[]>> };
    expect(addiction.data[D1]?.["$overall"]).toEqual([3, 3, 1, 0, 0, 0, 0]);
    // Compounded: cohorts are Purchase users per day (born at their first Purchase: u1 and u2 on D3),
    // returning with any later Purchase: u1 at D3 11:00 (k=0), u2 at D5 10:00 (k=2).
    const compounded = (await mp.queryRetention({
      ...range,
      retention_type: "compounded",
      event: "Purchase",
      interval_count: 2,
    })) as typeof pro;
    expect(compounded[D3]).toEqual({ first: 2, counts: [1, 0, 1] });

    // Engage: cohort members without a profile are left out with include_all_users=false.
    const buyers = need(ids.buyers);
    const withProfiles = (await mp.queryProfiles({
      filter_by_cohort: { id: buyers },
      include_all_users: false,
    })) as { total: number };
    expect(withProfiles.total).toBe(2);
    // As of D3 23:00 only u1 has bought twice in the last 7 days.
    const asOf = (await mp.queryProfiles({
      filter_by_cohort: { id: buyers },
      as_of_timestamp: Date.parse(`${D3}T23:00:00Z`) / 1000,
    })) as { results: { $distinct_id: string }[] };
    expect(asOf.results.map((r) => r.$distinct_id)).toEqual(["u1"]);
  });

  it("answers the project secret (no project_id on the wire) and ignores workspace_id", async () => {
    const profiles = (await legacy.queryProfiles({ where: 'properties["plan"] == "pro"' })) as {
      total: number;
    };
    expect(profiles.total).toBe(2);
    expect(((await legacy.listSavedCohorts()) as { name: string }[]).map((c) => c.name)).toEqual(["Buyers"]);
    expect(await legacy.listSavedFunnels()).toContainEqual({
      funnel_id: need(ids.funnel),
      name: "Pro signup",
    });
    const jql = await legacy.customJqlQuery({
      script: `function main() { return Events({ from_date: "${D3}", to_date: "${D3}" }).reduce(mixpanel.reducer.count()); }`,
    });
    expect(jql).toEqual([3]);
    const insights = (await legacy.queryInsights({ bookmark_id: need(ids.bookmark) })) as { series: object };
    expect(Object.keys(insights.series)).toEqual(["Purchase [Total Events]"]);
    const workspace = createClient({
      baseUrl: server.url,
      serviceAccount: { username: "sa.consumer", secret: "consumer-secret" },
      projectId: 1,
      workspaceId: 7,
      retry: { maxRetries: 0 },
    });
    // Unique users: Viewed 3, Signed Up 3, Purchase 2; ties go by name.
    expect(await workspace.topEvents({ type: "unique" })).toEqual(["Signed Up", "Viewed", "Purchase"]);
  });

  // Runs last (tests run in file order): a Query, JQL or saved-report action added to the catalog
  // without a test here fails this.
  it("exercised every Query API, JQL and saved-report action of the catalog", () => {
    const actions = ["Query", "JQL", "Saved reports (mpkit server)"].flatMap((name) =>
      Object.values(families[name] ?? {}),
    );
    expect(actions.length).toBeGreaterThan(30);
    const missing = actions.filter((action) => {
      const path = new RegExp(`^${action.method} ${action.path.replace(/\{\w+\}/g, "[^/]+")}$`);
      return !sent.some((line) => path.test(line));
    });
    expect(missing.map((action) => action.key)).toEqual([]);
  });
});
