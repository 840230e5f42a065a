/**
 * Ingest and export throughput (issue: "The server, part 1", section 7).
 *
 * Ingest: `/import` with 2000-event batches from 8 concurrent clients, durable acks, against a server in
 * its own process on a DuckDB file, beside DuckDB's own bulk load of the same events (`read_json`) in
 * this run. Export: `/api/2.0/export` streamed as JSONL, beside DuckDB's `COPY ... (FORMAT JSON)`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, get as httpGet, request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { benchEvent } from "./support/data.js";
import { benchAuth, spawnServer } from "./support/spawn-server.js";

/** POSTs a JSON body and resolves with the status and the response text. */
function post(url: string, body: Buffer, agent: Agent): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: "POST",
        agent,
        headers: {
          authorization: benchAuth,
          "content-type": "application/json",
          "content-length": String(body.byteLength),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** The machine's CPU time counters (Linux `/proc/stat`, in ticks), or undefined elsewhere. */
function hostCpu(): { busy: number; idle: number } | undefined {
  try {
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
      readFileSync("/proc/stat", "utf8")
        .slice(0, 200)
        .split("\n")[0]
        ?.trim()
        .split(/\s+/)
        .slice(1)
        .map(Number) ?? [];
    return { busy: user + nice + system + irq + softirq + steal, idle: idle + iowait };
  } catch {
    return undefined;
  }
}

export interface BenchResult {
  readonly name: string;
  readonly lines: string[];
}

const BATCH = 2000;
const CLIENTS = Number(process.env["BENCH_CLIENTS"] ?? 8);

export async function run(opts: { events: number }): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), "mpkit-bench-"));
  const n = opts.events;
  const end = Date.now() - 3_600_000;
  const bodies: Buffer[] = [];
  const ndjson: string[] = [];
  let bytes = 0;
  for (let i = 0; i < n; i += BATCH) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + BATCH); j++) batch.push(benchEvent(j, 50_000, 30, end));
    const body = Buffer.from(JSON.stringify(batch));
    bytes += body.byteLength;
    bodies.push(body);
    for (const e of batch) ndjson.push(JSON.stringify(e));
  }
  const lines: string[] = [];
  const server = await spawnServer(dir);
  try {
    // --- ingest through the server
    // node:http with keep-alive and bodies encoded up front: the load generator shares the 2 cores with
    // the server, so it should cost as little as possible (undici's fetch cost ~2.6 us of CPU per event).
    let next = 0;
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const clientCpu0 = process.cpuUsage();
    const host0 = hostCpu();
    const t0 = performance.now();
    // CLOCK_MONOTONIC seconds, for `perf record -k CLOCK_MONOTONIC` and `perf report --time start,end`.
    const monotonic = () => (Number(process.hrtime.bigint()) / 1e9).toFixed(6);
    const perfStart = monotonic();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (;;) {
          const i = next++;
          const body = bodies[i];
          if (body === undefined) return;
          const { status, text } = await post(`${server.url}/import?strict=1&project_id=1`, body, agent);
          if (status !== 200) throw new Error(`import failed: ${status} ${text}`);
        }
      }),
    );
    agent.destroy();
    if (process.env["BENCH_PERF_WINDOW"])
      console.error(`ingest perf window: --time ${perfStart},${monotonic()}`);
    const ingestS = (performance.now() - t0) / 1000;
    const clientCpu = process.cpuUsage(clientCpu0);
    const host1 = hostCpu();
    const clientCpuS = (clientCpu.user + clientCpu.system) / 1e6;
    const ours = n / ingestS;

    // --- DuckDB's own bulk load of the same events
    const file = join(dir, "events.ndjson");
    writeFileSync(file, `${ndjson.join("\n")}\n`);
    const db = await DuckDBInstance.create(join(dir, "baseline.duckdb"));
    const conn = await db.connect();
    const t1 = performance.now();
    await conn.run(
      `CREATE TABLE events AS SELECT event, (properties->>'$.time')::BIGINT AS time_ms,
         properties->>'$.distinct_id' AS distinct_id, properties->>'$."$insert_id"' AS insert_id, properties
       FROM read_json('${file}', format='newline_delimited', columns={event: 'VARCHAR', properties: 'JSON'})`,
    );
    const baseS = (performance.now() - t1) / 1000;
    const base = n / baseS;
    lines.push(
      `ingest: ${Math.round(ours).toLocaleString("en-US")} events/s, ${(bytes / 1e6 / ingestS).toFixed(1)} MB/s ` +
        `(${n.toLocaleString("en-US")} events, ${CLIENTS} clients x ${BATCH}/batch, durable acks)`,
      `ingest CPU: load-generating clients ${clientCpuS.toFixed(1)} s over ${ingestS.toFixed(1)} s of wall time (2 cores shared with the server)` +
        (host0 !== undefined && host1 !== undefined
          ? `; the machine's cores were ${Math.round((100 * (host1.busy - host0.busy)) / (host1.busy - host0.busy + host1.idle - host0.idle))}% busy`
          : ""),
      `ingest baseline (DuckDB read_json bulk load, no HTTP/validation/dedupe): ${Math.round(base).toLocaleString("en-US")} events/s; ` +
        `ours/baseline = ${(ours / base).toFixed(2)} (time ratio ${(ingestS / baseS).toFixed(2)}x)`,
    );

    // --- export through the server
    const from = new Date(end - 31 * 86_400_000).toISOString().slice(0, 10);
    const to = new Date().toISOString().slice(0, 10);
    const t2 = performance.now();
    // node:http rather than fetch: undici's web-stream body reading tops out below what the server sends,
    // and the point is to measure the server.
    const { count, exportedBytes } = await new Promise<{ count: number; exportedBytes: number }>(
      (resolve, reject) => {
        const req = httpGet(
          `${server.url}/api/2.0/export?project_id=1&from_date=${from}&to_date=${to}`,
          { headers: { authorization: benchAuth } },
          (res) => {
            let lines = 0;
            let bytes = 0;
            res.on("data", (chunk: Buffer) => {
              bytes += chunk.byteLength;
              for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
            });
            res.on("end", () => resolve({ count: lines, exportedBytes: bytes }));
            res.on("error", reject);
          },
        );
        req.on("error", reject);
      },
    );
    const exportS = (performance.now() - t2) / 1000;
    if (count !== n) throw new Error(`export returned ${count} lines, expected ${n}`);
    const t3 = performance.now();
    await conn.run(
      `COPY (SELECT event, time_ms, distinct_id, properties FROM events) TO '${join(dir, "out.jsonl")}' (FORMAT JSON)`,
    );
    const copyS = (performance.now() - t3) / 1000;
    lines.push(
      `export: ${Math.round(count / exportS).toLocaleString("en-US")} events/s streamed as JSONL over HTTP ` +
        `(${(exportedBytes / 1e6 / exportS).toFixed(1)} MB/s)`,
      `export baseline (DuckDB COPY ... FORMAT JSON to a file): ${Math.round(n / copyS).toLocaleString("en-US")} events/s; ` +
        `time ratio ours/baseline ${(exportS / copyS).toFixed(2)}x`,
    );
    conn.closeSync();
    db.closeSync();
  } finally {
    const rss = await server.stop();
    lines.push(
      `server peak RSS: ${rss ?? "?"} MB; server CPU over the whole run: ${server.cpuSeconds() ?? "?"} s`,
    );
    rmSync(dir, { recursive: true, force: true });
  }
  return { name: "ingest + export", lines };
}
