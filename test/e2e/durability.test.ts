/**
 * Durable acknowledgement, proved on the built `mpkit serve` in a child process: a 200 from `/import`
 * means committed. Concurrent clients import batches with unique `$insert_id`s; the server is killed
 * mid-stream (SIGKILL: no chance to flush anything) or stopped gracefully (SIGTERM, SIGINT), restarted
 * on the same data directory, and read back through `/api/2.0/export`.
 */
import { afterAll, describe, expect, it } from "vitest";
import { P1 } from "./support/config.js";
import { basic, exportEvents, request } from "./support/http.js";
import { type ChildServer, spawnServer, tempDir } from "./support/servers.js";

const CLIENTS = 6;
/**
 * Half the clients send bodies small enough to be validated on the main thread, half send bodies large
 * enough (~100 KB) to go through the ingest worker threads: both paths must ack only what is committed.
 */
const batchSize = (client: number) => (client % 2 === 0 ? 100 : 500);

interface Batch {
  readonly id: string;
  readonly events: { event: string; properties: Record<string, unknown> }[];
}

function makeBatch(client: number, n: number): Batch {
  const id = `c${client}-b${n}`;
  const base = Date.now() - 3_600_000;
  const events = Array.from({ length: batchSize(client) }, (_, i) => ({
    event: "Durable",
    properties: {
      token: P1.token,
      distinct_id: `client-${client}`,
      time: base - i * 1000,
      $insert_id: `${id}-e${i}`,
      batch: id,
      i,
    },
  }));
  return { id, events };
}

interface LoadResult {
  /** Batches the server answered 200 for: committed, by contract. */
  readonly acked: Batch[];
  /** Batches whose request failed (connection reset or refused): committed or not, but never in part. */
  readonly unacked: Batch[];
  readonly other: string[];
}

/**
 * Runs `CLIENTS` concurrent importers against `url` until each one's connection fails (the server is
 * gone); `onAck` sees the running count of acknowledged batches, to pull the trigger mid-stream.
 */
async function load(url: string, onAck: (acked: number) => void): Promise<LoadResult> {
  const result: LoadResult = { acked: [], unacked: [], other: [] };
  const client = async (c: number) => {
    // Bounded, so a server that never goes away cannot hang the test.
    for (let n = 0; n < 2000; n++) {
      const batch = makeBatch(c, n);
      try {
        // strict=1: any invalid record would make it a 400, so a 200 means the whole batch was taken.
        const res = await request(`${url}/import?strict=1`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: basic(P1.secret) },
          body: JSON.stringify(batch.events),
        });
        if (
          res.status === 200 &&
          (JSON.parse(res.body) as { num_records_imported?: number }).num_records_imported ===
            batch.events.length
        ) {
          result.acked.push(batch);
          onAck(result.acked.length);
        } else {
          // Not acknowledged, so it must not be half-stored either; the test expects none of these.
          result.unacked.push(batch);
          result.other.push(`${res.status} ${res.body.slice(0, 120)}`);
          return;
        }
      } catch {
        result.unacked.push(batch);
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  return result;
}

/** `$insert_id` → how many times export returned it. */
async function exportedCounts(url: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const line of await exportEvents(url, P1)) {
    const id = String(line.properties["$insert_id"]);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** Every acknowledged batch is there exactly once; any other batch is all there once or not at all. */
function assertBatches(counts: Map<string, number>, acked: readonly Batch[], unacked: readonly Batch[]) {
  for (const b of acked) {
    const missing = b.events.filter((e) => counts.get(String(e.properties["$insert_id"])) !== 1);
    expect(missing.length, `acknowledged batch ${b.id}: events missing or duplicated`).toBe(0);
  }
  for (const b of unacked) {
    const present = b.events.filter((e) => counts.has(String(e.properties["$insert_id"]))).length;
    expect([0, b.events.length], `unacknowledged batch ${b.id} is partly stored (${present})`).toContain(
      present,
    );
  }
  for (const [id, n] of counts) expect(n, `${id} exported ${n} times`).toBe(1);
}

const events = (batches: readonly Batch[]) => batches.reduce((n, b) => n + b.events.length, 0);

const dirs: { remove(): void }[] = [];
const children: ChildServer[] = [];
afterAll(async () => {
  for (const c of children) await c.kill("SIGKILL");
  for (const d of dirs) d.remove();
});

async function serve(dataDir: string): Promise<ChildServer> {
  const child = await spawnServer(dataDir);
  children.push(child);
  return child;
}

describe("durable acknowledgement (mpkit serve in a child process)", () => {
  it("SIGKILL during a sustained import loses no acknowledged event and stores none twice", async () => {
    const dir = tempDir("sigkill");
    dirs.push(dir);
    const first = await serve(dir.path);
    let killed: Promise<unknown> | undefined;
    const result = await load(first.url, (acked) => {
      // Kill while every other client has a batch in flight.
      if (acked >= 30 && killed === undefined) killed = first.kill("SIGKILL");
    });
    const exit = await killed;
    expect(exit).toEqual({ code: null, signal: "SIGKILL" });
    expect(result.acked.length).toBeGreaterThanOrEqual(30);
    expect(result.unacked.length).toBeGreaterThanOrEqual(1);
    expect(result.other).toEqual([]);

    const second = await serve(dir.path);
    const counts = await exportedCounts(second.url);
    assertBatches(counts, result.acked, result.unacked);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(events(result.acked));
    // Both paths were exercised: acknowledged batches of both sizes.
    expect(new Set(result.acked.map((b) => b.events.length))).toEqual(new Set([100, 500]));

    // A client retries what it never got an answer for: /import de-duplicates on $insert_id (with
    // event, distinct_id and time), so afterwards every batch is there exactly once.
    for (const b of result.unacked) {
      const res = await request(`${second.url}/import?strict=1`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: basic(P1.secret) },
        body: JSON.stringify(b.events),
      });
      expect(res.status).toBe(200);
    }
    const after = await exportedCounts(second.url);
    assertBatches(after, [...result.acked, ...result.unacked], []);
    expect(after.size).toBe(events(result.acked) + events(result.unacked));
    await second.kill("SIGTERM");
  }, 90_000);

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`${signal} during a sustained import stops gracefully with every acknowledged event stored`, async () => {
      const dir = tempDir(signal.toLowerCase());
      dirs.push(dir);
      const first = await serve(dir.path);
      let stopped: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
      const result = await load(first.url, (acked) => {
        if (acked >= 20 && stopped === undefined) stopped = first.kill(signal);
      });
      // The CLI handles the signal: in-flight requests finish, writes flush, exit code 0.
      expect(await stopped).toEqual({ code: 0, signal: null });
      expect(first.output()).toContain(`${signal} received, flushing and shutting down`);
      expect(result.acked.length).toBeGreaterThanOrEqual(20);
      expect(result.other).toEqual([]);

      const second = await serve(dir.path);
      const counts = await exportedCounts(second.url);
      assertBatches(counts, result.acked, result.unacked);
      await second.kill("SIGTERM");
    }, 60_000);
  }
});
