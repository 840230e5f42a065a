import { describe, expect, it } from "vitest";
import { hash128 } from "../src/hash128.js";
import { dedupeKey } from "../src/insert-id.js";

describe("hash128", () => {
  it("gives distinct keys for a million near-identical inputs (no collision in 128 bits, nor in any 32-bit lane pair)", () => {
    const seen = new Set<bigint>();
    const low64 = new Set<bigint>();
    for (let i = 0; i < 1_000_000; i++) {
      const h = hash128(`Page Viewed\0user-${i % 1000}\0${1_700_000_000 + (i % 7)}\0b-${i.toString(36)}`);
      seen.add(h);
      low64.add(BigInt.asUintN(64, h));
    }
    expect(seen.size).toBe(1_000_000);
    expect(low64.size).toBe(1_000_000);
  });

  it("depends on every part of the key, including the tail and the length", () => {
    const keys = ["", "a", "a\0", "ab", "abcdefgh", "abcdefghi", "abcdefgi", "é", "😀", "\u0000\u0000"];
    expect(new Set(keys.map(hash128)).size).toBe(keys.length);
    expect(dedupeKey("e", "u", 1_000_999, "i")).toBe(dedupeKey("e", "u", 1_000_000, "i"));
    expect(dedupeKey("e", "u", 1_001_000, "i")).not.toBe(dedupeKey("e", "u", 1_000_000, "i"));
  });

  it("spreads single-bit changes over the output (avalanche)", () => {
    let flipped = 0;
    const trials = 2000;
    for (let i = 0; i < trials; i++) {
      const a = BigInt.asUintN(128, hash128(`key-${i}`));
      const b = BigInt.asUintN(128, hash128(`key-${i ^ 1}`));
      flipped += (a ^ b).toString(2).split("1").length - 1;
    }
    const mean = flipped / trials;
    expect(mean).toBeGreaterThan(60);
    expect(mean).toBeLessThan(68);
  });
});
