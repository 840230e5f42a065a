/**
 * Benchmark: JQL on the storage-backed source (issue 6), three scripts over N synthetic events, each
 * beside the equivalent hand-written DuckDB SQL measured in the same run on the same database:
 *
 * 1. `Events().groupBy(["name"], mixpanel.reducer.count())`: pushed into SQL whole;
 * 2. a `groupByUser` funnel (view -> signup -> purchase, steps reached per user), counted per step:
 *    the selected events stream through the sandbox in time order;
 * 3. `filter`/`map` with custom functions, then a count per mapped value: every event streams
 *    through the sandbox.
 *
 * Events are generated inside DuckDB with `range()` (not through HTTP). Peak memory: the process's
 * RSS sampled every 20 ms during each query (the sandbox worker thread is in this process), and
 * `process.resourceUsage().maxRSS` at the end.
 *
 * Run: `npm run bench -- jql --events 1000000`
 */
import { type JqlDataSource, runJqlToJson } from "@mpkit/jql";
import { sql } from "@mpkit/sql";
import { DuckDbStorage } from "@mpkit/storage-duckdb";
import { createStorageJqlSource } from "../packages/server/src/jql/storage-source.js";
import { SYNTHETIC_PROPERTIES_SQL } from "./support/data.js";

export interface BenchResult {
  name: string;
  lines: string[];
}

const FROM = "2024-01-01";
const TO = "2024-01-31";
const FROM_MS = Date.UTC(2024, 0, 1);
const TO_MS = Date.UTC(2024, 1, 1);
// 499,999 users: prime-ish with respect to the 8 event names, so each user sees several names.
const USERS = 499_999;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** Runs `work` while sampling RSS; returns its result, wall time and the peak RSS seen. */
async function measure<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; peakRss: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const start = performance.now();
  try {
    const value = await work();
    return { value, ms: performance.now() - start, peakRss: Math.max(peak, process.memoryUsage.rss()) };
  } finally {
    clearInterval(timer);
  }
}

const R = `from_date: "${FROM}", to_date: "${TO}"`;

const GROUP_BY_NAME = `function main() {
  return Events({${R}}).groupBy(["name"], mixpanel.reducer.count());
}`;

const FUNNEL = `function main() {
  var steps = ["event_0", "event_1", "event_2"];
  return Events({${R}, event_selectors: [{event: "event_0"}, {event: "event_1"}, {event: "event_2"}]})
    .groupByUser(function(state, events) {
      state = state || 0;
      for (var i = 0; i < events.length; i++)
        if (state < steps.length && events[i].name === steps[state]) state++;
      return state;
    })
    .groupBy([function(row) { return row.value; }], mixpanel.reducer.count());
}`;

const FILTER_MAP = `function main() {
  return Events({${R}})
    .filter(function(e) { return e.properties.$os === "iOS" && e.properties.price > 50; })
    .map(function(e) { return e.properties.plan + ":" + e.properties.country; })
    .groupBy([function(x) { return x; }], mixpanel.reducer.count());
}`;

const RANGE_SQL = `e.project_id = 1 AND e.time_ms >= ${FROM_MS} AND e.time_ms < ${TO_MS}`;
const IDENTITY = `LEFT JOIN identities i ON i.project_id = e.project_id AND i.distinct_id = e.distinct_id`;

const HAND_GROUP_BY_NAME = `SELECT e.event AS key, count(*) AS value FROM events e WHERE ${RANGE_SQL} GROUP BY 1 ORDER BY 1`;

// Steps reached in order per resolved user: first view, then the first signup after it, then the
// first purchase after that (event times are distinct per user in this data set).
const HAND_FUNNEL = `WITH ev AS (
    SELECT COALESCE(i.canonical_id, e.distinct_id) AS u, e.event, e.time_ms FROM events e ${IDENTITY}
    WHERE ${RANGE_SQL} AND e.event IN ('event_0', 'event_1', 'event_2')),
  s1 AS (SELECT u, min(time_ms) AS t FROM ev WHERE event = 'event_0' GROUP BY u),
  s2 AS (SELECT s1.u, min(ev.time_ms) AS t FROM s1 JOIN ev ON ev.u = s1.u AND ev.event = 'event_1' AND ev.time_ms > s1.t GROUP BY s1.u),
  s3 AS (SELECT s2.u, min(ev.time_ms) AS t FROM s2 JOIN ev ON ev.u = s2.u AND ev.event = 'event_2' AND ev.time_ms > s2.t GROUP BY s2.u),
  n AS (SELECT (SELECT count(DISTINCT u) FROM ev) AS n0, (SELECT count(*) FROM s1) AS n1,
               (SELECT count(*) FROM s2) AS n2, (SELECT count(*) FROM s3) AS n3)
  SELECT * FROM (VALUES (0, (SELECT n0 - n1 FROM n)), (1, (SELECT n1 - n2 FROM n)),
                        (2, (SELECT n2 - n3 FROM n)), (3, (SELECT n3 FROM n))) t(key, value)
  WHERE value > 0 ORDER BY key`;

const HAND_FILTER_MAP = `SELECT json_extract_string(e.properties, '$.plan') || ':' || json_extract_string(e.properties, '$.country') AS key,
    count(*) AS value
  FROM events e
  WHERE ${RANGE_SQL} AND json_extract_string(e.properties, '$."$os"') = 'iOS'
    AND CAST(json_extract(e.properties, '$.price') AS DOUBLE) > 50
  GROUP BY 1 ORDER BY 1`;

/** Hand-written results as JQL rows, to check both sides agree. */
const asRows = (rows: Record<string, unknown>[]) =>
  JSON.stringify(
    rows.map((r) => ({
      key: [typeof r["key"] === "bigint" ? Number(r["key"]) : r["key"]],
      value: Number(r["value"]),
    })),
  );

export async function run(opts: { events: number }): Promise<BenchResult> {
  const n = Math.floor(opts.events);
  const storage = await DuckDbStorage.open();
  await storage.migrate();
  const t0 = performance.now();
  // ~180-byte property objects; one event every 250 ms from 2024-01-01 (10M events: 29 days).
  await storage.query(sql`INSERT INTO events (dedupe_key, project_id, event, time_ms, distinct_id, properties) SELECT
      CAST(i AS HUGEINT), 1, 'event_' || (i % 8), ${FROM_MS} + i * ${Math.floor((TO_MS - FROM_MS - 2 * 86_400_000) / n)},
      'user_' || (i % ${USERS}),
      ${sql.raw(SYNTHETIC_PROPERTIES_SQL)}
    FROM range(${n}) t(i)`);
  // One user in ten merged into a canonical id shared with the next one (identity resolution on).
  await storage.query(sql`INSERT INTO identities (project_id, distinct_id, canonical_id) SELECT 1, 'user_' || u, 'canon_' || (u // 20)
    FROM range(0, ${USERS}, 10) t(u)`);
  const load = performance.now() - t0;
  const baseRss = process.memoryUsage.rss();

  const source: JqlDataSource = createStorageJqlSource({ storage, projectId: 1, timezone: "UTC" });
  // The benchmark measures throughput, not Mixpanel's 2-minute limit. At 10M events the funnel
  // holds ~500k users' states in the sandbox, more than the 256 MB default allows (412 memory).
  const limits = { timeoutMs: 60 * 60_000, memoryMb: 1536 };
  const lines = [
    `events: ${n.toLocaleString("en-US")} (generated in DuckDB in ${(load / 1000).toFixed(1)} s; RSS after load ${mb(baseRss)})`,
  ];
  const cases: [string, string, string][] = [
    ["groupBy(name, count) [pushed into SQL]", GROUP_BY_NAME, HAND_GROUP_BY_NAME],
    ["groupByUser funnel [sandbox, 3 of 8 event names selected in SQL]", FUNNEL, HAND_FUNNEL],
    ["filter/map with custom functions [sandbox, every event]", FILTER_MAP, HAND_FILTER_MAP],
  ];
  for (const [label, script, hand] of cases) {
    const handRun = await measure(() => storage.query(sql.raw(hand)));
    const jqlRun = await measure(() => runJqlToJson({ script, source, limits, timezone: "UTC" }));
    const same = asRows(handRun.value) === jqlRun.value;
    lines.push(
      `${label}:`,
      `  JQL: ${(jqlRun.ms / 1000).toFixed(2)} s, ${Math.round(n / (jqlRun.ms / 1000)).toLocaleString("en-US")} events/s, peak RSS ${mb(jqlRun.peakRss)}`,
      `  hand-written DuckDB SQL: ${(handRun.ms / 1000).toFixed(2)} s, ${Math.round(n / (handRun.ms / 1000)).toLocaleString("en-US")} events/s, peak RSS ${mb(handRun.peakRss)}`,
      `  ratio JQL/SQL: ${(jqlRun.ms / handRun.ms).toFixed(2)}x; results ${same ? "identical" : `DIFFER: jql ${jqlRun.value.slice(0, 200)} sql ${asRows(handRun.value).slice(0, 200)}`}`,
    );
  }
  lines.push(`process maxRSS: ${mb(process.resourceUsage().maxRSS * 1024)}`);
  await storage.close();
  return { name: "jql", lines };
}
