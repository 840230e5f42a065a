import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ImportError, type ImportProgress, insertIdFor, readRecords } from "@mpkit/connector";
import { readRecordsFromFile } from "@mpkit/connector/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectedAuth, wireClient } from "./support/fixtures.js";
import { startWireServer, type WireServer } from "./support/wire-server.js";

let server: WireServer;
beforeAll(async () => {
  server = await startWireServer();
});
afterAll(() => server.close());

const importOk = () =>
  server.handle((request) => ({
    body: { code: 200, num_records_imported: (request.json() as unknown[]).length, status: "OK" },
  }));

function* events(count: number, extra = "") {
  for (let i = 0; i < count; i++)
    yield { event: "E", properties: { distinct_id: `u${i}`, time: 1_700_000_000 + i, pad: extra } };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe("importEvents", () => {
  it("batches ≤2000 events, gzips, sets $insert_id before the first attempt, reports progress", async () => {
    importOk();
    server.requests.length = 0;
    const progress: ImportProgress[] = [];
    const report = await wireClient(server).importEvents(
      { events: events(4500) },
      { onProgress: (p) => progress.push(p) },
    );
    expect(report).toMatchObject({ ok: true, read: 4500, sent: 4500, accepted: 4500, failed: 0, batches: 3 });
    expect(server.requests.map((r) => (r.json() as unknown[]).length).sort()).toEqual([2000, 2000, 500]);
    const first = server.requests[0];
    expect(first?.headers["content-encoding"]).toBe("gzip");
    expect(first?.raw[0]).toBe(0x1f);
    expect(first?.headers["authorization"]).toBe(expectedAuth.serviceAccount);
    expect(first?.query.toString()).toBe("strict=1&project_id=12345");
    const ids = server.requests.flatMap((r) =>
      (r.json() as { properties: { $insert_id: string } }[]).map((e) => e.properties.$insert_id),
    );
    expect(new Set(ids).size).toBe(4500);
    expect(progress.at(-1)).toMatchObject({ sent: 4500, batches: 3 });
  });

  it("keeps the same $insert_id across retries and runs (deterministic)", async () => {
    server.requests.length = 0;
    server.handle((request, index) =>
      index === 0
        ? { status: 503, body: "" }
        : { body: { code: 200, num_records_imported: (request.json() as unknown[]).length, status: "OK" } },
    );
    await wireClient(server).importEvents({ events: events(3) });
    const [a, b] = server.requests.map((r) => r.text());
    expect(a).toBe(b);
    expect(insertIdFor("x")).toBe(insertIdFor("x"));
  });

  it("splits batches at 10 MB and keeps given $insert_ids", async () => {
    importOk();
    server.requests.length = 0;
    const big = "x".repeat(900_000);
    const report = await wireClient(server).importEvents({ events: events(25, big) });
    expect(report.accepted).toBe(25);
    for (const request of server.requests) expect(request.body.length).toBeLessThanOrEqual(10 * 1024 * 1024);
    expect(server.requests.length).toBe(3);
    server.requests.length = 0;
    await wireClient(server).importEvents({
      events: [{ event: "E", properties: { $insert_id: "mine", distinct_id: "u" } }],
    });
    expect(
      (server.requests[0]?.json() as { properties: { $insert_id: string } }[] | undefined)?.[0]?.properties
        .$insert_id,
    ).toBe("mine");
  });

  it("reports strict per-record failures (HTTP 400 with failed_records) with global indexes", async () => {
    server.handle((request) => {
      const batch = request.json() as unknown[];
      return {
        status: 400,
        body: {
          code: 400,
          error: "some data points in the request failed validation",
          failed_records: [
            { index: 1, $insert_id: "x", field: "properties.time", message: "'properties.time' is invalid" },
          ],
          num_records_imported: batch.length - 1,
          status: "Bad Request",
        },
      };
    });
    const report = await wireClient(server).importEvents({ events: events(5), batch_size: 2 });
    expect(report.ok).toBe(false);
    expect(report.accepted).toBe(2);
    expect(report.failed).toBe(3);
    expect(report.failedRecords.map((f) => f.index)).toEqual(expect.arrayContaining([1, 3, 5 - 0]));
    expect(report.failedRecords[0]).toMatchObject({ field: "properties.time", insert_id: "x" });
  });

  it("bounds concurrency", async () => {
    let active = 0;
    let peak = 0;
    server.handle(async (request) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, 15));
      active--;
      return {
        body: { code: 200, num_records_imported: (request.json() as unknown[]).length, status: "OK" },
      };
    });
    await wireClient(server).importEvents({ events: events(40), batch_size: 2, concurrency: 3 });
    expect(peak).toBe(3);
  });

  it("stops with ImportError (carrying the partial report) when a batch fails for good", async () => {
    server.handle(() => ({
      status: 401,
      body: { code: 401, error: "Invalid credentials", status: "Unauthorized" },
    }));
    const error = await wireClient(server)
      .importEvents({ events: events(10), batch_size: 5 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).cause).toMatchObject({ name: "AuthenticationError" });
    expect((error as ImportError).report.accepted).toBe(0);
  });

  it("accepts async iterables", async () => {
    importOk();
    async function* source() {
      yield* events(7);
    }
    expect((await wireClient(server).importEvents({ events: source() })).accepted).toBe(7);
  });
});

describe("record readers", () => {
  const dir = mkdtempSync(join(tmpdir(), "mpkit-import-"));
  const rows = [
    { event: "A", properties: { distinct_id: "u1", time: 1 } },
    { event: "B", properties: { distinct_id: "u2", time: 2, note: 'é, "q"' } },
  ];
  it("reads NDJSON, JSON arrays, CSV and gzip files", async () => {
    writeFileSync(join(dir, "e.ndjson"), rows.map((r) => JSON.stringify(r)).join("\r\n"));
    writeFileSync(join(dir, "e.json"), JSON.stringify(rows, null, 2));
    writeFileSync(join(dir, "e.json.gz"), gzipSync(JSON.stringify(rows)));
    writeFileSync(join(dir, "e.ndjson.gz"), gzipSync(rows.map((r) => JSON.stringify(r)).join("\n")));
    writeFileSync(join(dir, "e.csv"), 'event,distinct_id,time,note\nA,u1,1,\nB,u2,2,"é, ""q"""\n');
    for (const name of ["e.ndjson", "e.json", "e.json.gz", "e.ndjson.gz"]) {
      expect(await collect(readRecordsFromFile(join(dir, name))), name).toEqual(rows);
    }
    expect(await collect(readRecordsFromFile(join(dir, "e.csv")))).toEqual([
      { event: "A", properties: { distinct_id: "u1", time: 1 } },
      { event: "B", properties: { distinct_id: "u2", time: 2, note: 'é, "q"' } },
    ]);
  });
  it("handles chunks split inside UTF-8 sequences and JSON strings", async () => {
    const text = JSON.stringify([{ a: "é]}," }, { b: [1, { c: '\\"' }] }]);
    const bytes = new TextEncoder().encode(text);
    const chunks = Array.from(bytes, (byte) => new Uint8Array([byte]));
    expect(await collect(readRecords(chunks, "json"))).toEqual(JSON.parse(text));
    expect(await collect(readRecords(chunks))).toEqual(JSON.parse(text));
  });
  it("names the bad NDJSON line", async () => {
    await expect(collect(readRecords(['{"a":1}\n{oops\n'], "ndjson"))).rejects.toThrow(/line 2/);
  });
});
