/**
 * Query API engine vs hand-written DuckDB SQL on the same data in the same run (issue: Query API,
 * "Proof"): segmentation (general, unique, with `on`), a 3-step funnel and a 30-day retention. Data is
 * generated inside DuckDB with `range()`: N events, N/20 users (10% of them merged into another id),
 * 91 days, 8 event names, a few properties.
 */
import { QueryEngine } from "@mpkit/query";
import { sql } from "@mpkit/sql";
import { DuckDbStorage } from "@mpkit/storage-duckdb";

export interface BenchResult {
  readonly name: string;
  readonly lines: string[];
}

const DAY = 86_400_000;
const runs = 3;

async function median(work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await work();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

export async function run(opts: { events: number }): Promise<BenchResult> {
  const n = opts.events;
  const users = Math.max(100, Math.floor(n / 20));
  const end = Date.UTC(2024, 3, 1);
  const start = end - 91 * DAY;
  const storage = await DuckDbStorage.open();
  await storage.migrate();
  const t0 = performance.now();
  await storage.query(sql`INSERT INTO events (dedupe_key, project_id, event, time_ms, distinct_id, properties)
    SELECT i::HUGEINT, 1, 'e' || (i % 8), ${start}::BIGINT + (hash(i) % ${91 * DAY})::BIGINT, 'u' || (hash(i * 7) % ${users}),
      json_object('$os', ['iOS','Android','Windows','Mac'][(i % 4) + 1], 'plan', ['free','pro','team'][(i % 3) + 1], 'n', i % 10)
    FROM range(${n}) t(i)`);
  await storage.query(
    sql`INSERT INTO identities SELECT 1, 'u' || i, 'u' || (i + 1) FROM range(0, ${users}, 10) t(i)`,
  );
  const lines = [
    `data: ${n.toLocaleString("en-US")} events, ${users.toLocaleString("en-US")} users, generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  ];
  const engine = new QueryEngine(storage);
  const project = { id: 1, timezone: "UTC" };
  const now = end + DAY;
  const from = new Date(start).toISOString().slice(0, 10);
  const to = new Date(end - DAY).toISOString().slice(0, 10);
  const resolved = sql.raw("COALESCE(i.canonical_id, e.distinct_id)");
  const join = sql.raw(
    "LEFT JOIN identities i ON i.project_id = e.project_id AND i.distinct_id = e.distinct_id",
  );
  const range = sql`e.project_id = 1 AND e.time_ms >= ${start}::BIGINT AND e.time_ms < ${end}::BIGINT`;
  const funnel = await engine.reports.create(
    1,
    "funnel",
    { name: "bench", steps: [{ event: "e0" }, { event: "e1" }, { event: "e2" }], length: 7 },
    now,
  );

  const cases: { name: string; engine: () => Promise<unknown>; baseline: () => Promise<unknown> }[] = [
    {
      name: "segmentation general by day",
      engine: () =>
        engine.run(
          "segmentation",
          project,
          new URLSearchParams({ event: "e1", from_date: from, to_date: to }),
          now,
        ),
      baseline: () =>
        storage.query(
          sql`SELECT e.time_ms // 86400000 AS d, count(*) FROM events e WHERE ${range} AND e.event = 'e1' GROUP BY d`,
        ),
    },
    {
      name: "segmentation unique by day",
      engine: () =>
        engine.run(
          "segmentation",
          project,
          new URLSearchParams({ event: "e1", from_date: from, to_date: to, type: "unique" }),
          now,
        ),
      baseline: () =>
        storage.query(
          sql`SELECT e.time_ms // 86400000 AS d, count(DISTINCT ${resolved}) FROM events e ${join} WHERE ${range} AND e.event = 'e1' GROUP BY d`,
        ),
    },
    {
      name: 'segmentation on properties["$os"]',
      engine: () =>
        engine.run(
          "segmentation",
          project,
          new URLSearchParams({ event: "e1", from_date: from, to_date: to, on: 'properties["$os"]' }),
          now,
        ),
      baseline: () =>
        storage.query(sql`SELECT e.time_ms // 86400000 AS d, coalesce(json_extract_string(e.properties, '$."$os"'), 'undefined') AS os, count(*)
          FROM events e WHERE ${range} AND e.event = 'e1' GROUP BY d, os`),
    },
    {
      name: "3-step funnel, 7-day window",
      engine: () =>
        engine.run(
          "funnels",
          project,
          new URLSearchParams({ funnel_id: String(funnel.id), from_date: from, to_date: to }),
          now,
        ),
      baseline: () =>
        storage.query(sql`WITH ev AS MATERIALIZED (SELECT ${resolved} AS uid, e.time_ms, e.event FROM events e ${join}
            WHERE e.project_id = 1 AND e.time_ms >= ${start}::BIGINT AND e.time_ms < ${end + 7 * DAY}::BIGINT AND e.event IN ('e0','e1','e2')),
          s0 AS (SELECT time_ms // 86400000 AS d, uid, min(time_ms) AS t0 FROM ev WHERE event = 'e0' AND time_ms < ${end}::BIGINT GROUP BY d, uid),
          s1 AS (SELECT s0.d, s0.uid, s0.t0, min(ev.time_ms) AS t1 FROM s0 JOIN ev ON ev.uid = s0.uid AND ev.event = 'e1'
            AND ev.time_ms >= s0.t0 AND ev.time_ms < s0.t0 + ${7 * DAY}::BIGINT GROUP BY ALL),
          s2 AS (SELECT s1.d, s1.uid, s1.t0, s1.t1, min(ev.time_ms) AS t2 FROM s1 JOIN ev ON ev.uid = s1.uid AND ev.event = 'e2'
            AND ev.time_ms >= s1.t1 AND ev.time_ms < s1.t0 + ${7 * DAY}::BIGINT GROUP BY ALL)
          SELECT d, 0, count(*) FROM s0 GROUP BY d UNION ALL SELECT d, 1, count(*) FROM s1 GROUP BY d
          UNION ALL SELECT d, 2, count(*) FROM s2 GROUP BY d`),
    },
    {
      name: "retention, 30 daily intervals",
      engine: () =>
        engine.run(
          "retention",
          project,
          new URLSearchParams({
            born_event: "e0",
            event: "e1",
            from_date: from,
            to_date: to,
            interval_count: "30",
            unit: "day",
          }),
          now,
        ),
      baseline: () =>
        storage.query(sql`WITH born AS (SELECT ${resolved} AS uid, min(e.time_ms) AS t0 FROM events e ${join}
            WHERE e.project_id = 1 AND e.event = 'e0' AND e.time_ms < ${end}::BIGINT GROUP BY uid),
          cohort AS (SELECT uid, t0, t0 // 86400000 AS d FROM born WHERE t0 >= ${start}::BIGINT),
          r AS (SELECT ${resolved} AS uid, e.time_ms FROM events e ${join} WHERE e.project_id = 1 AND e.event = 'e1'
            AND e.time_ms >= ${start}::BIGINT AND e.time_ms < ${end + 31 * DAY}::BIGINT)
          SELECT d, (r.time_ms - c.t0) // 86400000 AS k, count(DISTINCT c.uid) FROM cohort c JOIN r ON r.uid = c.uid
            AND r.time_ms > c.t0 AND r.time_ms < c.t0 + ${31 * DAY}::BIGINT GROUP BY ALL`),
    },
  ];
  for (const c of cases) {
    await c.baseline();
    const base = await median(c.baseline);
    await c.engine();
    const mine = await median(c.engine);
    lines.push(
      `${c.name.padEnd(36)} engine ${mine.toFixed(0).padStart(6)} ms   hand-written SQL ${base.toFixed(0).padStart(6)} ms   ratio ${(mine / base).toFixed(2)}x`,
    );
  }
  lines.push(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  await storage.close();
  return { name: `query (${n.toLocaleString("en-US")} events)`, lines };
}
