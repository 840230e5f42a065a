import { describe, expect, it } from "vitest";
import { KeySet } from "../src/key-set.js";

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
});
