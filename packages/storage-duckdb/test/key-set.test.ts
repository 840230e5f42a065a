import { packEvents } from "@mpkit/storage";
import { describe, expect, it } from "vitest";
import { batchKeyWords, KeySet, keyWords } from "../src/key-set.js";

describe("KeySet", () => {
  it("behaves like a Set of bigints through growth and deletions (against a naive Set)", () => {
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    const keys = new KeySet(4);
    const naive = new Set<bigint>();
    for (let i = 0; i < 20000; i++) {
      // A small key space forces collisions, duplicates and long probe chains.
      const k = BigInt.asIntN(128, (BigInt(rand() % 3000) << 70n) | BigInt(rand() % 64));
      const op = rand() % 10;
      if (op < 7) {
        expect(keys.add(k)).toBe(!naive.has(k));
        naive.add(k);
      } else {
        keys.delete(k);
        naive.delete(k);
      }
      expect(keys.size).toBe(naive.size);
    }
    for (const k of naive) expect(keys.has(k)).toBe(true);
  });

  it("handles negative (signed 128-bit) keys", () => {
    const keys = new KeySet();
    expect(keys.add(-1n)).toBe(true);
    expect(keys.has(-1n)).toBe(true);
    expect(keys.has(1n)).toBe(false);
    expect(keys.add(-1n)).toBe(false);
  });

  it("reads a packed batch's keys as the same words as the keys themselves", () => {
    const keys = [0n, 1n, -1n, (1n << 127n) - 1n, -(1n << 127n), 0x0123456789abcdef_fedcba9876543210n, -42n];
    const batch = packEvents(
      keys.map((dedupeKey, i) => ({
        event: "e",
        timeMs: i,
        distinctId: "d",
        dedupeKey,
        propertiesJson: "{}",
      })),
    );
    const words = batchKeyWords(batch.keys);
    const set = new KeySet();
    keys.forEach((key, i) => {
      const w = new Uint32Array(4);
      keyWords(key, w);
      expect([...words.subarray(i * 4, i * 4 + 4)]).toEqual([...w]);
      expect(set.addWords(w[0] as number, w[1] as number, w[2] as number, w[3] as number)).toBe(true);
      expect(set.has(key)).toBe(true);
    });
    expect(set.add(-1n)).toBe(false);
  });
});
