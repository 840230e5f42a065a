/**
 * The storage contract: one suite that every adapter must pass (DuckDB now, ClickHouse next), the way
 * Hono runs one router suite against every router. Adapters call `storageContract(name, open)` from
 * their own test file; a skipped case must carry a written reason.
 */
import { sql } from "@mpkit/sql";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { StorageAdapter } from "../adapter.js";
import { packEvents } from "../event-batch.js";
import type { EventRecord, ExportRow } from "../records.js";

const decoder = new TextDecoder();
let keySeq = 1n;
function ev(partial: Partial<EventRecord> & { event: string; timeMs: number }): EventRecord {
  keySeq += 1n;
  return {
    distinctId: "u1",
    dedupeKey: keySeq,
    propertiesJson: "{}",
    ...partial,
  };
}

async function collect(iter: AsyncIterable<ExportRow[]>): Promise<ExportRow[]> {
  const out: ExportRow[] = [];
  for await (const rows of iter) out.push(...rows);
  return out;
}

/** Registers the storage contract suite for one adapter. */
export function storageContract(name: string, open: () => Promise<StorageAdapter>): void {
  describe(`storage contract: ${name}`, () => {
    let storage: StorageAdapter;
    beforeEach(async () => {
      storage = await open();
      await storage.migrate();
    });
    afterEach(async () => {
      await storage.close();
    });

    it("stores events and exports them within the time range", async () => {
      await storage.transaction((tx) =>
        tx.insertEvents(1, [
          ev({ event: "a", timeMs: 1000, propertiesJson: '{"x":1}' }),
          ev({ event: "b", timeMs: 2000 }),
          ev({ event: "a", timeMs: 3000 }),
        ]),
      );
      const rows = await collect(storage.exportEvents({ projectId: 1, fromMs: 1000, toMs: 3000 }));
      expect(rows.map((r) => [r.event, r.timeMs]).sort()).toEqual([
        ["a", 1000],
        ["b", 2000],
      ]);
      expect(rows.find((r) => r.event === "a")?.propertiesJson).toBe('{"x":1}');
    });

    it("skips duplicate dedupe keys, within a batch and across transactions", async () => {
      const a = ev({ event: "a", timeMs: 1000 });
      const first = await storage.transaction((tx) => tx.insertEvents(1, [a, a]));
      const again = await storage.transaction((tx) => tx.insertEvents(1, [a]));
      expect(first.inserted).toBe(1);
      expect(again.inserted).toBe(0);
      expect(await collect(storage.exportEvents({ projectId: 1, fromMs: 0, toMs: 10_000 }))).toHaveLength(1);
    });

    it("stores a packed batch, skipping only the duplicate rows and keeping every column in order", async () => {
      const stored = ev({ event: "stored", timeMs: 500 });
      await storage.transaction((tx) => tx.insertEvents(1, [stored]));
      const rows = Array.from({ length: 50 }, (_, i) =>
        ev({
          event: `e${i} \n\u0000 "q" é😀`,
          timeMs: 1_000 + i,
          distinctId: `d${i},\n`,
          dedupeKey: i % 10 === 0 ? -(2n ** 127n) + BigInt(i) : 2n ** 126n + BigInt(i) * 7919n,
          propertiesJson: JSON.stringify({ i, s: "a\nb,c" }),
        }),
      );
      // Duplicates: a key stored by an earlier transaction, and one repeated inside the batch.
      const batch = packEvents([...rows.slice(0, 25), stored, rows[3] as EventRecord, ...rows.slice(25)]);
      const result = await storage.transaction((tx) => tx.insertEventBatch(1, batch));
      expect(result.inserted).toBe(50);
      const out = await collect(storage.exportEvents({ projectId: 1, fromMs: 1_000, toMs: 10_000 }));
      expect(out.map((r) => [r.event, r.timeMs, r.distinctId, JSON.parse(r.propertiesJson)]).sort()).toEqual(
        rows.map((r) => [r.event, r.timeMs, r.distinctId, JSON.parse(r.propertiesJson)]).sort(),
      );
      const again = await storage.transaction((tx) => tx.insertEventBatch(1, packEvents(rows)));
      expect(again.inserted).toBe(0);
    });

    it("keeps properties text with raw whitespace (pretty-printed JSON) intact in a batch", async () => {
      const pretty = JSON.stringify({ a: [1, 2], b: "x\ny" }, null, 2);
      await storage.transaction((tx) =>
        tx.insertEventBatch(1, packEvents([ev({ event: "pretty", timeMs: 1, propertiesJson: pretty })])),
      );
      const [row] = await collect(storage.exportEvents({ projectId: 1, fromMs: 0, toMs: 10 }));
      expect(JSON.parse(row?.propertiesJson ?? "null")).toEqual({ a: [1, 2], b: "x\ny" });
    });

    it("keeps the same event sent to two projects in both", async () => {
      const a = ev({ event: "a", timeMs: 1000 });
      const r = await storage.transaction(async (tx) => [
        await tx.insertEvents(1, [a]),
        await tx.insertEvents(2, [a]),
      ]);
      expect(r.map((x) => x.inserted)).toEqual([1, 1]);
    });

    it("forgets the keys of a rolled-back transaction, so the events can be sent again", async () => {
      const a = ev({ event: "a", timeMs: 1000 });
      await expect(
        storage.transaction(async (tx) => {
          await tx.insertEvents(1, [a]);
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      const again = await storage.transaction((tx) => tx.insertEvents(1, [a]));
      expect(again.inserted).toBe(1);
    });

    it("forgets every key of a large rolled-back transaction, and only those", async () => {
      // Keys of both signs and across the 128-bit range; some stored before the failed transaction.
      const keys = Array.from({ length: 3000 }, (_, i) =>
        BigInt.asIntN(128, (BigInt(i) * 0x9e3779b97f4a7c15f39cc0605cedc835n) ^ (BigInt(i) << 100n)),
      );
      const events = keys.map((dedupeKey, i) => ev({ event: "bulk", timeMs: 5000 + i, dedupeKey }));
      const stored = events.filter((_, i) => i % 10 === 0);
      await storage.transaction((tx) => tx.insertEvents(3, stored));
      await expect(
        storage.transaction(async (tx) => {
          await tx.insertEvents(3, events.slice(0, 1500));
          await tx.insertEvents(3, events.slice(1500));
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      const again = await storage.transaction(async (tx) => [
        await tx.insertEvents(3, events.slice(0, 1500)),
        await tx.insertEvents(3, events.slice(1500)),
      ]);
      expect(again.map((r) => r.inserted)).toEqual([1350, 1350]);
      const retried = await storage.transaction((tx) => tx.insertEvents(3, events));
      expect(retried.inserted).toBe(0);
    });

    it("keeps projects apart and filters by event name and limit", async () => {
      await storage.transaction(async (tx) => {
        await tx.insertEvents(1, [ev({ event: "a", timeMs: 1 }), ev({ event: "b", timeMs: 2 })]);
        await tx.insertEvents(2, [ev({ event: "a", timeMs: 1 })]);
      });
      const p1 = await collect(storage.exportEvents({ projectId: 1, fromMs: 0, toMs: 10, events: ["a"] }));
      expect(p1.map((r) => r.event)).toEqual(["a"]);
      const limited = await collect(storage.exportEvents({ projectId: 1, fromMs: 0, toMs: 10, limit: 1 }));
      expect(limited).toHaveLength(1);
      const none = await collect(storage.exportEvents({ projectId: 1, fromMs: 0, toMs: 10, events: [] }));
      expect(none).toHaveLength(0);
    });

    it("renders export lines in Mixpanel's layout, escaping like JSON.stringify", async () => {
      const tricky = 'quote " backslash \\ tab \t newline \n unicode é 😀 nul \u0000 slash /';
      const props = `{"$insert_id":"x1","a":${JSON.stringify(tricky)},"n":1.5}`;
      await storage.transaction((tx) =>
        tx.insertEvents(1, [
          ev({ event: tricky, timeMs: 1_700_000_000_123, distinctId: tricky, propertiesJson: props }),
          ev({ event: "empty", timeMs: 1_700_000_001_000, propertiesJson: "{}" }),
        ]),
      );
      const q = { projectId: 1, fromMs: 0, toMs: 2e12 };
      let text = "";
      for await (const chunk of storage.exportLines(q)) text += decoder.decode(chunk);
      const lines = text.split("\n");
      expect(lines.pop()).toBe("");
      const parsed = lines.map(
        (l) => JSON.parse(l) as { event: string; properties: Record<string, unknown> },
      );
      const byEvent = new Map(parsed.map((p) => [p.event, p]));
      expect(byEvent.get(tricky)).toEqual({
        event: tricky,
        properties: { time: 1_700_000_000, distinct_id: tricky, $insert_id: "x1", a: tricky, n: 1.5 },
      });
      expect(lines.find((l) => l.includes('"empty"'))).toBe(
        '{"event":"empty","properties":{"time":1700000001,"distinct_id":"u1"}}',
      );
      let ms = "";
      for await (const chunk of storage.exportLines(q, undefined, { timeInMs: true }))
        ms += decoder.decode(chunk);
      expect(ms).toContain('"time":1700000000123,');
    });

    it("streams a large export completely, in whole lines, and honours limit across chunks", async () => {
      // Large enough for engines that read in slices (DuckDB: 65,536 rows) to use several.
      const n = 140_000;
      const rows = (project: number) =>
        Array.from({ length: n / 2 }, (_, i) =>
          ev({ event: `e${project}`, timeMs: 1_000 + i, propertiesJson: `{"i":${i},"p":${project}}` }),
        );
      await storage.transaction(async (tx) => {
        for (let k = 0; k < 2; k++) {
          await tx.insertEvents(1, rows(1).slice(k * (n / 4), (k + 1) * (n / 4)));
          await tx.insertEvents(2, rows(2).slice(k * (n / 4), (k + 1) * (n / 4)));
        }
        await tx.insertEvents(1, rows(3));
      });
      const read = async (limit?: number) => {
        const q = { projectId: 1, fromMs: 0, toMs: 1e12, ...(limit === undefined ? {} : { limit }) };
        let text = "";
        for await (const chunk of storage.exportLines(q)) {
          const part = decoder.decode(chunk);
          expect(part.endsWith("\n")).toBe(true); // chunks hold whole lines
          text += part;
        }
        return text.split("\n").filter((l) => l !== "");
      };
      const all = await read();
      expect(all).toHaveLength(n);
      const seen = new Set(
        all.map((l) => {
          const p = (JSON.parse(l) as { properties: { i: number; p: number } }).properties;
          return `${p.p}:${p.i}`;
        }),
      );
      expect(seen.size).toBe(n);
      expect([...seen].some((k) => k.startsWith("2:"))).toBe(false);
      expect(await read(100_000)).toHaveLength(100_000);
      expect(await read(5)).toHaveLength(5);
    });

    it("resolves distinct ids through identity links at read time, retroactively", async () => {
      await storage.transaction((tx) =>
        tx.insertEvents(1, [ev({ event: "a", timeMs: 1, distinctId: "$device:d1" })]),
      );
      await storage.transaction((tx) =>
        tx.putIdentityLinks(1, [{ distinctId: "$device:d1", canonicalId: "user-9" }]),
      );
      const rows = await collect(storage.exportEvents({ projectId: 1, fromMs: 0, toMs: 10 }));
      expect(rows[0]?.distinctId).toBe("user-9");
      await storage.transaction(async (tx) => {
        expect(await tx.getCanonicalIds(1, ["$device:d1", "nope"])).toEqual(
          new Map([["$device:d1", "user-9"]]),
        );
        expect(await tx.getClusterMembers(1, ["user-9"])).toEqual([
          { distinctId: "$device:d1", canonicalId: "user-9" },
        ]);
      });
    });

    it("applies a filter built from the adapter's column expressions", async () => {
      await storage.transaction((tx) =>
        tx.insertEvents(1, [
          ev({ event: "a", timeMs: 1, propertiesJson: '{"plan":"pro"}' }),
          ev({ event: "a", timeMs: 2, propertiesJson: '{"plan":"free"}' }),
        ]),
      );
      const rows = await collect(
        storage.exportEvents({ projectId: 1, fromMs: 0, toMs: 10 }, (c) => sql`${c.timeMs} > ${1}`),
      );
      expect(rows.map((r) => r.timeMs)).toEqual([2]);
    });

    it("creates, replaces, reads and deletes profiles", async () => {
      await storage.transaction((tx) =>
        tx.putProfiles(1, [
          { groupKey: "", id: "u1", properties: { $name: "Ann", n: 1 } },
          { groupKey: "company", id: "c1", properties: { size: 3 } },
        ]),
      );
      await storage.transaction((tx) =>
        tx.putProfiles(1, [{ groupKey: "", id: "u1", properties: { n: 2 } }]),
      );
      const got = await storage.transaction((tx) =>
        tx.getProfiles(1, [
          { groupKey: "", id: "u1" },
          { groupKey: "company", id: "c1" },
          { groupKey: "", id: "missing" },
        ]),
      );
      expect(got.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
        { groupKey: "company", id: "c1", properties: { size: 3 } },
        { groupKey: "", id: "u1", properties: { n: 2 } },
      ]);
      await storage.transaction((tx) => tx.deleteProfiles(1, [{ groupKey: "", id: "u1" }]));
      const after = await storage.transaction((tx) => tx.getProfiles(1, [{ groupKey: "", id: "u1" }]));
      expect(after).toEqual([]);
    });

    it("rolls back a failed transaction", async () => {
      await expect(
        storage.transaction(async (tx) => {
          await tx.insertEvents(1, [ev({ event: "a", timeMs: 1 })]);
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect(await collect(storage.exportEvents({ projectId: 1, fromMs: 0, toMs: 10 }))).toHaveLength(0);
    });

    it("runs read queries", async () => {
      await storage.transaction((tx) => tx.insertEvents(1, [ev({ event: "a", timeMs: 5 })]));
      const rows = await storage.query(
        sql`SELECT count(*)::INTEGER AS n FROM events WHERE project_id = ${1}`,
      );
      expect(rows).toEqual([{ n: 1 }]);
    });
  });
}
