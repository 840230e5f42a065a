/**
 * `/import` bodies decoded and validated on ingest worker threads must give exactly what the in-thread
 * path gives: same packed batch, same identity facts, same `failed_records`, and through the server
 * the same stored events.
 */
import { afterAll, describe, expect, it } from "vitest";
import { prng } from "../src/demo/sample-data.js";
import type { MpkitServer } from "../src/index.js";
import {
  decodeAndNormalizeImport,
  type ImportOptions,
  type ImportOutcome,
} from "../src/ingest/import-batch.js";
import { ImportNormalizer } from "../src/ingest/normalizer.js";
import { exportAll, memoryServer, OWNER } from "./support/fixtures.js";

const NOW = Date.now() - 3_600_000;

/** Random records, a fifth of them invalid in one of Mixpanel's ways, all with an `$insert_id`. */
function randomRecords(seed: number, n: number): unknown[] {
  const r = prng(seed); // seeded, so a failure replays from the printed seed
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const props: Record<string, unknown> = {
      time: NOW - Math.floor(r() * 86_400_000 * 8),
      distinct_id: `user-${Math.floor(r() * 50)}`,
      $insert_id: `id-${seed}-${Math.floor(r() * n * 0.9)}`, // some repeat: duplicates in the batch
      plan: pick(["free", "pro", "team"]),
      price: Math.round(r() * 10000) / 100,
      tags: [pick(["a", "b"]), "c"],
      nested: { depth: { ok: true } },
      text: pick(["plain", 'quote " and \\ back', "line\nbreak", "lone \ud800 surrogate", "é😀"]),
    };
    const roll = r();
    let record: unknown = {
      event: pick(["Signed Up", "Purchase", "$identify", "Page\nViewed"]),
      properties: props,
    };
    if (roll < 0.04) record = { properties: props };
    else if (roll < 0.08) props["time"] = NOW + 86_400_000 * 10;
    else if (roll < 0.12) props["distinct_id"] = pick(["null", "undefined", "0"]);
    else if (roll < 0.16) props["$insert_id"] = "not valid!";
    else if (roll < 0.2) props["deep"] = { a: { b: { c: { d: 1 } } } };
    else if (roll < 0.22) record = "not an object";
    if (r() < 0.1) props["$anon_distinct_id"] = `anon-${Math.floor(r() * 20)}`;
    out.push(record);
  }
  return out;
}

const opts = (mode: "simplified" | "original"): ImportOptions => ({
  strict: true,
  identityMode: mode,
  receivedAtMs: NOW,
  apiHost: "api.example",
  clientIp: "10.0.0.1",
  maxRecords: 2000,
});

/** The outcome with the per-run values (`mp_processing_time_ms`) blanked, for comparison. */
function comparable(o: ImportOutcome) {
  if (o.kind !== "ok") return o;
  return {
    ...o,
    batch: {
      ...o.batch,
      keys: [...o.batch.keys],
      properties: Buffer.from(o.batch.properties)
        .toString("utf8")
        .replace(/"mp_processing_time_ms":\d+/g, '"mp_processing_time_ms":0'),
    },
  };
}

const pool = new ImportNormalizer(2);
afterAll(() => pool.close());

describe("ingest workers", () => {
  it("validate random bodies exactly as the main thread does", async () => {
    const seed = Number(process.env["IMPORT_SEED"] ?? Date.now() % 1e9);
    console.log(`import worker differential seed: ${seed} (IMPORT_SEED=${seed} replays)`);
    for (let round = 0; round < 6; round++) {
      const records = randomRecords(seed + round, 2000);
      const text =
        round % 2 === 0 ? JSON.stringify(records) : records.map((x) => JSON.stringify(x)).join("\n");
      const body = Buffer.from(text);
      expect(body.byteLength).toBeGreaterThan(64 * 1024); // large enough to go to a worker
      const mode = round % 3 === 0 ? "original" : "simplified";
      const inline = decodeAndNormalizeImport(Buffer.from(text), opts(mode));
      const viaWorker = await pool.normalize(body, opts(mode));
      expect(comparable(viaWorker)).toEqual(comparable(inline));
      expect(inline.kind === "ok" && inline.failed.length > 0 && inline.batch.count > 0).toBe(true);
    }
  });

  it("report an undecodable body like the main thread, and keep working after it", async () => {
    const broken = Buffer.from(`[${'{"event":"a"},'.repeat(10_000)}`);
    const inline = decodeAndNormalizeImport(Buffer.from(broken), opts("simplified"));
    expect(inline.kind).toBe("undecodable");
    expect(await pool.normalize(broken, opts("simplified"))).toEqual(inline);
    const ok = Buffer.from(JSON.stringify(randomRecords(7, 1000)));
    expect((await pool.normalize(ok, opts("simplified"))).kind).toBe("ok");
  });

  it("run many jobs at once and answer each with its own outcome", async () => {
    const bodies = Array.from({ length: 12 }, (_, i) => JSON.stringify(randomRecords(100 + i, 800)));
    const results = await Promise.all(bodies.map((b) => pool.normalize(Buffer.from(b), opts("simplified"))));
    results.forEach((result, i) => {
      expect(comparable(result)).toEqual(
        comparable(decodeAndNormalizeImport(Buffer.from(bodies[i] as string), opts("simplified"))),
      );
    });
  });
});

describe("a dead ingest worker", () => {
  it("fails only its in-flight jobs and is replaced for the next one", async () => {
    const single = new ImportNormalizer(1);
    try {
      // Heavy enough (2000 records x 200 properties) that the job is still running when the worker dies.
      const wide = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`p${i}`, `value ${i}`]));
      const heavy = JSON.stringify(
        Array.from({ length: 2000 }, (_, i) => ({
          event: "e",
          properties: { ...wide, time: NOW, distinct_id: `u${i}`, $insert_id: `h${i}` },
        })),
      );
      expect((await single.normalize(Buffer.from(heavy), opts("simplified"))).kind).toBe("ok");
      const slot = (
        single as unknown as { workers: ({ worker: { terminate(): Promise<number> } } | undefined)[] }
      ).workers[0];
      const inFlight = single.normalize(Buffer.from(heavy), opts("simplified"));
      await slot?.worker.terminate();
      await expect(inFlight).rejects.toThrow(/ingest worker exited/);
      const after = await single.normalize(Buffer.from(heavy), opts("simplified"));
      expect(after.kind === "ok" && after.batch.count).toBe(2000);
    } finally {
      await single.close();
    }
  });
});

describe("/import through the workers", () => {
  let server: MpkitServer;
  afterAll(() => server.close());

  it("stores what an in-thread server stores, de-duplicates retries and resolves identities", async () => {
    // Real clocks (the export's "today" must match the helper's across midnight); receipt-time
    // properties are blanked before comparing.
    server = await memoryServer({ ingestWorkers: 2 });
    const inlineServer = await memoryServer({ ingestWorkers: 0 });
    try {
      const records = randomRecords(4242, 2000);
      const body = JSON.stringify(records);
      const send = (s: MpkitServer, path: string) =>
        s.app.request(path, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: OWNER },
          body,
        });
      for (const path of ["/import?strict=1&project_id=1", "/import?strict=1&project_id=2"]) {
        const a = await send(server, path);
        const b = await send(inlineServer, path);
        expect(a.status).toBe(400); // strict, with invalid records
        expect(await a.json()).toEqual(await b.json());
      }
      // The body went through a worker (workers start on first use).
      const pool = server.context.importNormalizer as unknown as { workers: unknown[] };
      expect(pool.workers.some((w) => w !== undefined)).toBe(true);
      // A retried batch stores nothing new.
      const before = (await exportAll(server, 1)).length;
      expect((await send(server, "/import?strict=1&project_id=1")).status).toBe(400);
      expect((await exportAll(server, 1)).length).toBe(before);
      const strip = (lines: Awaited<ReturnType<typeof exportAll>>) =>
        lines
          .map((l) =>
            JSON.stringify({
              ...l,
              properties: { ...l.properties, mp_processing_time_ms: 0, $mp_api_timestamp_ms: 0 },
            }),
          )
          .sort();
      for (const projectId of [1, 2]) {
        const ours = await exportAll(server, projectId);
        expect(ours.length).toBeGreaterThan(1000);
        expect(strip(ours)).toEqual(strip(await exportAll(inlineServer, projectId)));
      }
    } finally {
      await inlineServer.close();
    }
  });
});
