/**
 * The connector's import (issue 5's benchmark): 1M events from an NDJSON file into a local mpkit server
 * through `client.importEvents(readRecordsFromFile(...))` — streamed, batched, `$insert_id` assigned,
 * gzipped, 4 requests in flight. Baseline in the same run: the same events posted by a bare `fetch` loop
 * from pre-built 2000-event JSON bodies with the same concurrency (no file reading, no gzip, no ids), into
 * a fresh server.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@mpkit/connector";
import { readRecordsFromFile } from "@mpkit/connector/node";
import { benchEvent } from "./support/data.js";
import { benchAuth, spawnServer } from "./support/spawn-server.js";

const CONCURRENCY = 4;

export async function run(opts: { events: number }): Promise<{ name: string; lines: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), "mpkit-bench-conn-"));
  const n = opts.events;
  const end = Date.now() - 3_600_000;
  const file = join(dir, "events.ndjson");
  const lines: string[] = [];
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(JSON.stringify(benchEvent(i, 50_000, 30, end)));
  writeFileSync(file, `${parts.join("\n")}\n`);
  parts.length = 0;
  try {
    // --- the connector, streaming the file
    const ours = await spawnServer(join(dir, "a"));
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    const client = createClient({
      baseUrl: ours.url,
      serviceAccount: { username: "bench", secret: "bench-secret" },
      projectId: 1,
    });
    const t0 = performance.now();
    const report = await client.importEvents({ events: readRecordsFromFile(file), concurrency: CONCURRENCY });
    const s = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const serverRss = await ours.stop();
    if (report.accepted !== n) throw new Error(`connector imported ${report.accepted} of ${n}`);

    // --- baseline: bare fetch of pre-built bodies
    const bodies: string[] = [];
    for (let i = 0; i < n; i += 2000) {
      const batch = [];
      for (let j = i; j < Math.min(n, i + 2000); j++) batch.push(benchEvent(j, 50_000, 30, end));
      bodies.push(JSON.stringify(batch));
    }
    const base = await spawnServer(join(dir, "b"));
    let next = 0;
    const t1 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (;;) {
          const body = bodies[next++];
          if (body === undefined) return;
          const res = await fetch(`${base.url}/import?strict=1&project_id=1`, {
            method: "POST",
            headers: { authorization: benchAuth, "content-type": "application/json" },
            body,
          });
          if (res.status !== 200) throw new Error(`baseline import failed: ${res.status}`);
          await res.arrayBuffer();
        }
      }),
    );
    const bs = (performance.now() - t1) / 1000;
    await base.stop();
    lines.push(
      `connector importEvents from NDJSON: ${Math.round(n / s).toLocaleString("en-US")} events/s ` +
        `(${n.toLocaleString("en-US")} events, ${report.batches} batches, gzip, concurrency ${CONCURRENCY})`,
      `baseline (bare fetch of pre-built bodies, no gzip): ${Math.round(n / bs).toLocaleString("en-US")} events/s; ` +
        `time ratio connector/baseline ${(s / bs).toFixed(2)}x`,
      `connector process peak RSS during import: ${Math.round(peakRss / 1e6)} MB (before: ${Math.round(rssBefore / 1e6)} MB); ` +
        `server peak RSS: ${serverRss ?? "?"} MB`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { name: "connector import (1M events from NDJSON)", lines };
}
