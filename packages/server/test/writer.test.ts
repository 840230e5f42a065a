import { sql } from "@mpkit/sql";
import type { EventRecord } from "@mpkit/storage";
import { DuckDbStorage } from "@mpkit/storage-duckdb";
import { describe, expect, it } from "vitest";
import { Writer } from "../src/write/writer.js";

const ev = (i: number): EventRecord => ({
  event: "e",
  timeMs: i,
  distinctId: "u",
  dedupeKey: BigInt(i),
  propertiesJson: "{}",
});

describe("group-commit writer", () => {
  it("commits concurrent jobs together and isolates a failing job", async () => {
    const storage = await DuckDbStorage.open();
    await storage.migrate();
    let transactions = 0;
    const counting = {
      ...storage,
      engine: storage.engine,
      transaction: <T>(work: Parameters<typeof storage.transaction<T>>[0]) => {
        transactions += 1;
        return storage.transaction(work);
      },
    } as typeof storage;
    const writer = new Writer(counting);
    const jobs = Array.from({ length: 20 }, (_, i) => writer.submit((tx) => tx.insertEvents(1, [ev(i)])));
    await Promise.all(jobs);
    // The first job starts a transaction alone; the 19 that queued meanwhile share the next one.
    expect(transactions).toBe(2);
    transactions = 0;
    const good = writer.submit((tx) => tx.insertEvents(1, [ev(100)]));
    const more = [
      writer.submit((tx) => tx.insertEvents(1, [ev(101)])),
      writer.submit((tx) => tx.insertEvents(1, [ev(102)])),
    ];
    const failing = writer.submit(async () => {
      throw new Error("bad job");
    });
    await expect(failing).rejects.toThrow("bad job");
    await Promise.all([good, ...more]);
    // A failing job fails its group transaction; each member is retried alone so the others commit.
    expect(transactions).toBe(1 + 1 + 3);
    const rows = await storage.query(sql`SELECT count(*)::INTEGER AS n FROM events`);
    expect(rows).toEqual([{ n: 23 }]);
    await writer.close();
    await expect(writer.submit(async () => 1)).rejects.toThrow("shutting down");
    await storage.close();
  });
});
