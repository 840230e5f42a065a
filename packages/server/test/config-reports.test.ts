import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMpkitServer, type MpkitServer } from "../src/index.js";
import { b64, configRejection, OWNER, testConfig } from "./support/fixtures.js";

// Saved reports declared in the `--config` file: validated like the App API, loaded into the reports
// store at start, upserted by id so a restart (same DuckDB file) neither duplicates nor loses them.

const NOW = Date.parse("2024-03-15T12:00:00Z");
const D1 = "2024-03-11";
const D2 = "2024-03-12";
const at = (day: string, hhmm: string) => Date.parse(`${day}T${hhmm}:00Z`);

const reports = {
  funnels: [
    {
      id: 10,
      name: "Signup",
      steps: [{ event: "Viewed" }, { event: "Signed Up", selector: 'properties["plan"] == "pro"' }],
      length: 2,
    },
  ],
  cohorts: [{ id: 20, name: "Viewers", behaviors: [{ event: "Viewed", min: 1, days: 7 }] }],
  bookmarks: [{ id: 30, name: "Views", events: ["Viewed"], type: "unique", from_date: D1, to_date: D2 }],
};

function configWith(projectReports: unknown) {
  const [first, ...rest] = testConfig.projects;
  return { ...testConfig, projects: [{ ...first, reports: projectReports }, ...rest] };
}

let dir: string;
let configPath: string;
let server: MpkitServer | undefined;

async function start(): Promise<MpkitServer> {
  await server?.close();
  server = await createMpkitServer({ configPath, dataDir: dir, now: () => NOW });
  return server;
}

async function get(path: string): Promise<unknown> {
  if (server === undefined) throw new Error("no server");
  const res = await server.app.request(path, { headers: { authorization: OWNER } });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mpkit-config-reports-"));
  configPath = join(dir, "config.json");
  writeFileSync(configPath, JSON.stringify(configWith(reports)));
  const s = await start();
  // u1 views then signs up on pro within the hour; u2 views and signs up on free; u3 only views (D2).
  const events = [
    ["Viewed", "u1", at(D1, "10:00"), {}],
    ["Signed Up", "u1", at(D1, "11:00"), { plan: "pro" }],
    ["Viewed", "u2", at(D1, "10:00"), {}],
    ["Signed Up", "u2", at(D1, "12:00"), { plan: "free" }],
    ["Viewed", "u3", at(D2, "10:00"), {}],
    ["Viewed", "u3", at(D2, "11:00"), {}],
  ] as const;
  const res = await s.app.request("/import?strict=1&project_id=1", {
    method: "POST",
    headers: { authorization: OWNER, "content-type": "application/json" },
    body: JSON.stringify(
      events.map(([event, id, time, props], i) => ({
        event,
        properties: { distinct_id: id, time, $insert_id: `c-${i}`, ...props },
      })),
    ),
  });
  expect(res.status).toBe(200);
  const profile = b64({ $token: "tok_demo", $distinct_id: "u1", $set: { $name: "Ann" } });
  expect((await s.app.request(`/engage?verbose=1&data=${profile}`)).status).toBe(200);
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("saved reports from the --config file", () => {
  it("answers funnels/list, funnels, cohorts/list, engage filter_by_cohort and insights for them", async () => {
    expect(await get("/api/query/funnels/list?project_id=1")).toEqual([{ funnel_id: 10, name: "Signup" }]);
    // Viewed: u1, u2, u3; then a pro Signed Up within 2 days: only u1.
    const funnel = (await get(
      `/api/query/funnels?project_id=1&funnel_id=10&from_date=${D1}&to_date=${D2}&unit=week`,
    )) as { data: Record<string, { steps: { count: number }[] }> };
    expect(funnel.data[D1]?.steps.map((s) => s.count)).toEqual([3, 1]);

    // Viewed at least once in the 7 days before 2024-03-15 12:00: u1, u2 and u3.
    const cohorts = (await get("/api/query/cohorts/list?project_id=1")) as Record<string, unknown>[];
    expect(cohorts.map((c) => [c["id"], c["name"], c["count"]])).toEqual([[20, "Viewers", 3]]);
    const members = (await get(
      `/api/query/engage?project_id=1&filter_by_cohort=${encodeURIComponent('{"id":20}')}`,
    )) as {
      results: unknown[];
      total: number;
    };
    expect(members.total).toBe(3);
    // u2 and u3 have no profile: listed with empty properties (include_all_users defaults to true).
    expect(members.results).toEqual([
      // The profile update stamped `$last_seen` with the server clock.
      { $distinct_id: "u1", $properties: { $name: "Ann", $last_seen: "2024-03-15T12:00:00" } },
      { $distinct_id: "u2", $properties: {} },
      { $distinct_id: "u3", $properties: {} },
    ]);

    const insights = (await get("/api/query/insights?project_id=1&bookmark_id=30")) as {
      series: Record<string, Record<string, number>>;
    };
    expect(insights.series).toEqual({
      "Viewed [Unique Users]": { [`${D1}T00:00:00+00:00`]: 2, [`${D2}T00:00:00+00:00`]: 1 },
    });
  });

  it("upserts by id on restart: nothing duplicated, config changes applied, App API ids continue after them", async () => {
    const before = (await get("/api/app/projects/1/funnels")) as { results: Record<string, unknown>[] };
    const created = before.results[0]?.["created"];
    await start();
    const again = (await get("/api/app/projects/1/funnels")) as typeof before;
    expect(again.results).toHaveLength(1);
    // Unchanged definitions are left alone: same creation and modification times.
    expect(again.results[0]).toEqual(before.results[0]);
    expect(((await get("/api/app/projects/1/cohorts")) as typeof before).results).toHaveLength(1);
    expect(((await get("/api/app/projects/1/bookmarks")) as typeof before).results).toHaveLength(1);

    // A new report through the App API is numbered after the configured ones.
    if (server === undefined) throw new Error("no server");
    const res = await server.app.request("/api/app/projects/1/funnels", {
      method: "POST",
      headers: { authorization: OWNER, "content-type": "application/json" },
      body: JSON.stringify({ name: "API funnel", steps: [{ event: "Viewed" }, { event: "Signed Up" }] }),
    });
    expect(((await res.json()) as { results: { id: number } }).results.id).toBe(31);

    // Renaming the configured funnel and dropping its selector replaces it in place on the next start.
    const [funnel] = reports.funnels;
    writeFileSync(
      configPath,
      JSON.stringify(
        configWith({
          ...reports,
          funnels: [{ ...funnel, name: "Any signup", steps: [{ event: "Viewed" }, { event: "Signed Up" }] }],
        }),
      ),
    );
    await start();
    expect(await get("/api/query/funnels/list?project_id=1")).toEqual([
      { funnel_id: 10, name: "Any signup" },
      { funnel_id: 31, name: "API funnel" },
    ]);
    const renamed = (await get("/api/app/projects/1/funnels/10")) as { results: Record<string, unknown> };
    expect(renamed.results["created"]).toBe(created);
    const funnel10 = (await get(
      `/api/query/funnels?project_id=1&funnel_id=10&from_date=${D1}&to_date=${D2}&unit=week`,
    )) as { data: Record<string, { steps: { count: number }[] }> };
    expect(funnel10.data[D1]?.steps.map((s) => s.count)).toEqual([3, 2]);
  });

  it("refuses invalid reports at start, each with its path, using the App API's validation", () => {
    const invalid = {
      funnels: [{ id: 1, name: "One step", steps: [{ event: "Viewed" }] }],
      cohorts: [{ id: 1, name: "Dup", selector: 'properties["plan" ==' }],
      bookmarks: [{ id: 2, name: "No events", events: [] }],
    };
    expect(configRejection(configWith({ ...invalid, dashboards: [] }))).toContain(
      "projects.0.reports: Unrecognized key",
    );
    const message = configRejection(configWith(invalid));
    expect(message).toContain("projects.0.reports.funnels.0: 'steps' must list at least 2 steps");
    expect(message).toContain("projects.0.reports.cohorts.0.id: duplicate report id 1");
    expect(message).toContain("projects.0.reports.cohorts.0: 'selector' is invalid");
    expect(message).toContain(
      "projects.0.reports.bookmarks.0: 'events' must be a non-empty list of event names",
    );
  });
});
