/**
 * DuckDB's raw export reads the table in rowid slices sized by the bytes earlier slices returned, all in
 * one transaction: memory stays near the target whatever the events' width, and an export is one
 * snapshot even while the writer commits.
 */
import type { EventRecord } from "@mpkit/storage";
import { afterEach, describe, expect, it } from "vitest";
import { DuckDbStorage } from "../src/index.js";

let key = 0n;
const ev = (i: number, width: number, distinctId = "u1"): EventRecord => {
  key += 1n;
  return {
    event: "e",
    timeMs: 1_000 + i,
    distinctId,
    dedupeKey: key,
    propertiesJson: JSON.stringify({ i, pad: "x".repeat(width) }),
  };
};

const decoder = new TextDecoder();
let storage: DuckDbStorage;
afterEach(() => storage.close());

describe("DuckDB raw export slices", () => {
  it("follow the byte target when events turn wide, and return every line once", async () => {
    const target = 64 * 1024;
    storage = await DuckDbStorage.open({ exportSliceBytes: target });
    await storage.migrate();
    await storage.transaction(async (tx) => {
      await tx.insertEvents(
        1,
        Array.from({ length: 20_000 }, (_, i) => ev(i, 10)),
      );
      await tx.insertEvents(
        1,
        Array.from({ length: 2_000 }, (_, i) => ev(20_000 + i, 10_000)),
      );
      await tx.insertEvents(
        1,
        Array.from({ length: 20_000 }, (_, i) => ev(22_000 + i, 10)),
      );
    });
    const sizes: number[] = [];
    const seen = new Set<number>();
    for await (const chunk of storage.exportLines({ projectId: 1, fromMs: 0, toMs: 1e12 })) {
      sizes.push(chunk.byteLength);
      for (const line of decoder.decode(chunk).split("\n")) {
        if (line !== "") seen.add((JSON.parse(line) as { properties: { i: number } }).properties.i);
      }
    }
    expect(seen.size).toBe(42_000);
    expect(sizes.length).toBeGreaterThan(50);
    // A slice may overshoot once where the width changes; the rest stay near the target.
    expect(sizes.filter((s) => s > 4 * target).length).toBeLessThanOrEqual(2);
    expect(Math.max(...sizes)).toBeLessThan(32 * 1024 * 1024);
  });

  it("is one snapshot: rows and identity links committed during an export are not seen", async () => {
    storage = await DuckDbStorage.open({ exportSliceBytes: 16 * 1024 });
    await storage.migrate();
    await storage.transaction((tx) =>
      tx.insertEvents(
        1,
        Array.from({ length: 5_000 }, (_, i) => ev(i, 20)),
      ),
    );
    const chunks = storage.exportLines({ projectId: 1, fromMs: 0, toMs: 1e12 })[Symbol.asyncIterator]();
    const first = await chunks.next();
    expect(first.done).toBe(false);
    let text = decoder.decode(first.value as Uint8Array);
    await storage.transaction(async (tx) => {
      await tx.insertEvents(
        1,
        Array.from({ length: 1_000 }, (_, i) => ev(10_000 + i, 20)),
      );
      await tx.putIdentityLinks(1, [{ distinctId: "u1", canonicalId: "merged" }]);
    });
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) {
      text += decoder.decode(next.value);
    }
    const lines = text.split("\n").filter((l) => l !== "");
    expect(lines).toHaveLength(5_000);
    expect(lines.every((l) => l.includes('"distinct_id":"u1"'))).toBe(true);
    // A new export sees both.
    let after = "";
    for await (const chunk of storage.exportLines({ projectId: 1, fromMs: 0, toMs: 1e12 })) {
      after += decoder.decode(chunk);
    }
    const afterLines = after.split("\n").filter((l) => l !== "");
    expect(afterLines).toHaveLength(6_000);
    expect(afterLines.every((l) => l.includes('"distinct_id":"merged"'))).toBe(true);
  });
});
