import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MpkitServer } from "../src/index.js";
import { memoryServer, OWNER } from "./support/fixtures.js";

const T0 = Date.UTC(2024, 0, 1, 10);
const NOW = Date.UTC(2024, 0, 20, 12);
let server: MpkitServer;

async function call(path: string, init: RequestInit = {}) {
  const res = await server.app.request(path, {
    ...init,
    headers: { authorization: OWNER, ...((init.headers as Record<string, string>) ?? {}) },
  });
  const text = await res.text();
  return { status: res.status, body: /^[[{]/.test(text) ? JSON.parse(text) : text, headers: res.headers };
}

const json = (body: unknown, method = "POST"): RequestInit => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

beforeAll(async () => {
  server = await memoryServer({ now: () => NOW });
  const events = [
    { event: "A", properties: { time: T0, $device_id: "d1", $insert_id: "i1", plan: "pro" } },
    { event: "A", properties: { time: T0, $device_id: "d1", $insert_id: "i1", plan: "pro" } },
    { event: "B", properties: { time: T0 + 60_000, $device_id: "d1", $user_id: "u1", $insert_id: "i2" } },
    { event: "A", properties: { time: T0 + 86_400_000, distinct_id: "u2", $insert_id: "i3", plan: 3 } },
  ];
  const res = await server.app.request("/import?strict=1&project_id=1", {
    method: "POST",
    headers: { authorization: OWNER, "content-type": "application/json" },
    body: JSON.stringify(events),
  });
  expect(res.status).toBe(200);
  const data = Buffer.from(
    JSON.stringify({ $token: "tok_demo", $distinct_id: "u1", $set: { plan: "pro" } }),
  ).toString("base64");
  expect((await server.app.request(`/engage?verbose=1&data=${data}`)).status).toBe(200);
});
afterAll(() => server.close());

const SEG =
  '/segmentation?project_id=1&event=A&from_date=2024-01-01&to_date=2024-01-03&on=properties["plan"]&type=unique';

describe("Query API over HTTP", () => {
  it("answers segmentation on both prefixes, GET and POST, with the envelope of the recorded gold response", async () => {
    const a = await call(`/api/2.0${SEG}`);
    const b = await call(`/api/query${SEG}`);
    const [path, query] = SEG.split("?");
    const c = await call(`/api/query${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: query,
    });
    expect(a.status).toBe(200);
    expect(a.body).toEqual({
      data: {
        series: ["2024-01-01", "2024-01-02", "2024-01-03"],
        values: {
          pro: { "2024-01-01": 1, "2024-01-02": 0, "2024-01-03": 0 },
          "3": { "2024-01-01": 0, "2024-01-02": 1, "2024-01-03": 0 },
        },
      },
      legend_size: 2,
    });
    expect(b.body).toEqual(a.body);
    expect(c.body).toEqual(a.body);
    // [MPU-GOLD]: {"legend_size": 1, "data": {"series": [...], "values": {"App Install": {...}}}}
    const plain = await call(
      "/api/2.0/segmentation?project_id=1&event=A&from_date=2024-01-01&to_date=2024-01-02",
    );
    expect(Object.keys(plain.body).sort()).toEqual(["data", "legend_size"]);
    expect(plain.body.data.values).toEqual({ A: { "2024-01-01": 1, "2024-01-02": 1 } });
  });

  it("returns CSV with format=csv", async () => {
    const r = await call(`/api/2.0${SEG}&format=csv`);
    expect(r.headers.get("content-type")).toContain("text/csv");
    expect(r.body).toBe("date,3,pro\r\n2024-01-01,0,1\r\n2024-01-02,1,0\r\n2024-01-03,0,0\r\n");
  });

  it("answers sum and average with computed_at in Mixpanel's format", async () => {
    const r = await call(
      '/api/query/segmentation/sum?project_id=1&event=A&on=properties["plan"]&from_date=2024-01-01&to_date=2024-01-02',
    );
    expect(r.body).toEqual({
      status: "ok",
      computed_at: "2024-01-20T12:00:00.000000+00:00",
      results: { "2024-01-01": 0, "2024-01-02": 3 },
    });
  });

  it("refuses bad requests with Mixpanel's error body", async () => {
    const cases: [string, RegExp][] = [
      [
        "/api/2.0/segmentation?project_id=1&from_date=2024-01-01&to_date=2024-01-02",
        /'event' is a required parameter/,
      ],
      [
        "/api/2.0/segmentation?project_id=1&event=A&from_date=2024-1-01&to_date=2024-01-02",
        /'from_date' is invalid/,
      ],
      [
        "/api/2.0/segmentation?project_id=1&event=A&from_date=2024-01-01&to_date=2024-02-01",
        /to_date cannot be later than today/,
      ],
      [
        "/api/2.0/segmentation?project_id=1&event=A&from_date=2024-01-03&to_date=2024-01-02",
        /cannot be later than 'to_date'/,
      ],
      [
        "/api/2.0/segmentation?project_id=1&event=A&from_date=2024-01-01&to_date=2024-01-02&where=properties[",
        /'where' is invalid/,
      ],
      [
        "/api/2.0/segmentation?project_id=1&event=A&from_date=2024-01-01&to_date=2024-01-02&unit=year",
        /'unit' must be one of/,
      ],
      [
        "/api/2.0/funnels?project_id=1&funnel_id=999&from_date=2024-01-01&to_date=2024-01-02",
        /funnel_id 999 does not exist/,
      ],
      [
        "/api/2.0/retention?project_id=1&from_date=2024-01-01&to_date=2024-01-02",
        /'born_event' is a required parameter/,
      ],
      [
        "/api/2.0/retention/addiction?project_id=1&from_date=2024-01-01&to_date=2024-01-02&unit=day",
        /'addiction_unit' is a required/,
      ],
      ["/api/2.0/engage?project_id=1&page=1", /'session_id' is required/],
    ];
    for (const [path, message] of cases) {
      const r = await call(path);
      expect(r.status, path).toBe(400);
      expect(Object.keys(r.body), path).toEqual(["request", "error"]);
      expect(r.body.request).toBe(path);
      expect(r.body.error, path).toMatch(message);
    }
  });

  it("answers funnels with the recorded step fields, and funnels/list", async () => {
    const created = await call(
      "/api/app/projects/1/funnels",
      json({ name: "Signup", steps: [{ event: "A" }, { event: "B" }] }),
    );
    expect(created.status).toBe(200);
    const id = created.body.results.id;
    const r = await call(
      `/api/query/funnels?project_id=1&funnel_id=${id}&from_date=2024-01-01&to_date=2024-01-02`,
    );
    const day = r.body.data["2024-01-01"];
    // [AB-REC] step keys of a real funnel record.
    expect(Object.keys(day.steps[0]).sort()).toEqual(
      [
        "avg_time",
        "avg_time_from_start",
        "count",
        "event",
        "goal",
        "overall_conv_ratio",
        "step_conv_ratio",
        "step_label",
      ].sort(),
    );
    expect(day.steps.map((s: { count: number }) => s.count)).toEqual([1, 1]);
    expect(day.steps[1].avg_time).toBe(60);
    expect(r.body.data["2024-01-02"].analysis).toEqual({
      completion: 0,
      starting_amount: 1,
      steps: 2,
      worst: 1,
    });
    expect(r.body.meta).toEqual({ dates: ["2024-01-01", "2024-01-02"] });
    const list = await call("/api/2.0/funnels/list?project_id=1");
    expect(list.body).toContainEqual({ funnel_id: id, name: "Signup" });
  });

  it("answers retention (no data wrapper) and addiction (data wrapper)", async () => {
    const r = await call(
      "/api/query/retention?project_id=1&born_event=A&from_date=2024-01-01&to_date=2024-01-02&interval_count=2",
    );
    expect(r.body).toEqual({
      "2024-01-01": { counts: [1, 0, 0], first: 1 },
      "2024-01-02": { counts: [0, 0, 0], first: 1 },
    });
    const a = await call(
      "/api/query/retention/addiction?project_id=1&unit=day&addiction_unit=hour&from_date=2024-01-01&to_date=2024-01-01",
    );
    expect(a.body.data["2024-01-01"]).toHaveLength(24);
    expect(a.body.data["2024-01-01"].slice(0, 2)).toEqual([1, 0]);
  });

  it("saves cohorts and Insights reports through the App API and answers for them", async () => {
    const cohort = await call(
      "/api/app/projects/1/cohorts",
      json({ name: "Did A", behaviors: [{ event: "A", min: 1, days: 30 }], description: "d" }),
    );
    expect(cohort.status).toBe(200);
    const list = await call("/api/2.0/cohorts/list?project_id=1", { method: "POST" });
    const entry = list.body.find((c: { id: number }) => c.id === cohort.body.results.id);
    // [AB-REC] key set of a real cohort record.
    expect(Object.keys(entry).sort()).toEqual(
      ["count", "created", "data_group_id", "description", "id", "is_visible", "name", "project_id"].sort(),
    );
    expect(entry).toMatchObject({
      count: 2,
      is_visible: 1,
      project_id: 1,
      name: "Did A",
      data_group_id: null,
    });
    expect(entry.created).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const members = await call(
      `/api/2.0/engage?project_id=1&filter_by_cohort={"id":${cohort.body.results.id}}`,
    );
    expect(members.body.results.map((r: { $distinct_id: string }) => r.$distinct_id)).toEqual(["u1", "u2"]);
    expect(members.body.total).toBe(2);
    const onlyProfiles = await call(
      `/api/2.0/engage?project_id=1&include_all_users=false&filter_by_cohort={"id":${cohort.body.results.id}}`,
    );
    expect(onlyProfiles.body.results).toEqual([
      { $distinct_id: "u1", $properties: expect.objectContaining({ plan: "pro" }) },
    ]);

    const bookmark = await call(
      "/api/app/projects/1/bookmarks",
      json({
        name: "Weekly",
        events: ["A"],
        type: "unique",
        unit: "day",
        from_date: "2024-01-01",
        to_date: "2024-01-02",
      }),
    );
    const ins = await call(`/api/query/insights?project_id=1&bookmark_id=${bookmark.body.results.id}`);
    expect(ins.body).toMatchObject({
      date_range: { from_date: "2024-01-01T00:00:00+00:00", to_date: "2024-01-02T23:59:59.999000+00:00" },
      headers: ["$event"],
      series: { "A [Unique Users]": { "2024-01-01T00:00:00+00:00": 1, "2024-01-02T00:00:00+00:00": 1 } },
    });

    const updated = await call(
      `/api/app/projects/1/cohorts/${cohort.body.results.id}`,
      json({ name: "Renamed", behaviors: [] }, "PUT"),
    );
    expect(updated.body.results.name).toBe("Renamed");
    expect(
      (await call(`/api/app/projects/1/cohorts/${cohort.body.results.id}`, { method: "DELETE" })).status,
    ).toBe(200);
    expect((await call(`/api/app/projects/1/cohorts/${cohort.body.results.id}`)).status).toBe(404);
    const bad = await call("/api/app/projects/1/funnels", json({ name: "x", steps: [{ event: "A" }] }));
    expect(bad.status).toBe(400);
  });

  it("answers the events family and the stream", async () => {
    const names = await call("/api/2.0/events/names?project_id=1&type=general");
    expect(names.body).toEqual(["A", "B"]);
    const values = await call("/api/2.0/events/properties/values?project_id=1&event=A&name=plan");
    expect(values.body.sort()).toEqual(["3", "pro"]);
    const top = await call("/api/2.0/events/properties/top?project_id=1&event=A");
    expect(top.body["plan"]).toEqual({ count: 2 });
    const stream = await call(
      '/api/2.0/stream/query?project_id=1&distinct_ids=["$device:d1"]&from_date=2024-01-01&to_date=2024-01-02',
    );
    expect(stream.body.status).toBe("ok");
    expect(stream.body.results.events.map((e: { event: string }) => e.event)).toEqual(["A", "B"]);
    expect(stream.body.results.events[0].properties).toMatchObject({ time: T0 / 1000, distinct_id: "u1" });
  });
});

describe("Query API limits", () => {
  it("answers 429 with Retry-After past the hourly limit", async () => {
    const limited = await memoryServer({ now: () => NOW, limits: { query: { perHour: 2 } } });
    try {
      const path = "/api/2.0/events/names?project_id=1&type=general";
      const go = () => limited.app.request(path, { headers: { authorization: OWNER } });
      expect((await go()).status).toBe(200);
      expect((await go()).status).toBe(200);
      const res = await go();
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      const body = await res.json();
      expect(body.request).toBe(path);
      expect(body.error).toMatch(/^Query rate limit exceeded for project_id: 1\. .*3\/2 queries/);
    } finally {
      await limited.close();
    }
  });
});
