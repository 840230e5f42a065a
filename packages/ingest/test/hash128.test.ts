import { describe, expect, it } from "vitest";
import { hash128, hash128Key } from "../src/hash128.js";
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

  it("keeps the keys earlier versions stored (a retried event still matches its stored copy)", () => {
    // Values computed by the first implementation, which hashed the joined string.
    expect(hash128("Signed Up\u0000user-1\u00001724000000\u0000abc")).toBe(
      167241644433657713247272666379646986258n,
    );
    expect(hash128("")).toBe(-131588698745794003717122884491493401158n);
    expect(hash128("😀é\u0000x".repeat(40))).toBe(-69674012371088200424337221119100651885n);
    expect(dedupeKey("Signed Up", "user-1", 1_724_000_000_999, "abc")).toBe(
      167241644433657713247272666379646986258n,
    );
  });

  it("hashes a key's parts exactly as it hashes the joined string", () => {
    // Seeded generator: names, ids and insert ids of every length around the 8-unit block boundary,
    // astral characters, lone surrogates, long strings that grow the scratch buffer, and odd numbers.
    let seed = 7;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const alphabet = ["a", "Z", "0", "é", "😀", "\u0000", "\ud800", " ", "-"];
    const text = (max: number) => {
      let s = "";
      for (let n = rand(max); n > 0; n--) s += alphabet[rand(alphabet.length)];
      return s;
    };
    const numbers = [0, 9, 10, 1_724_000_000, 2 ** 53 - 1, 2 ** 53, 1e21, -1, 0.5];
    for (let i = 0; i < 20_000; i++) {
      const a = text(i % 50 === 0 ? 600 : 20);
      const b = text(20);
      const c = text(40);
      const n = i % 10 === 0 ? (numbers[rand(numbers.length)] as number) : 1_600_000_000 + rand(200_000_000);
      expect(hash128Key(a, b, n, c)).toBe(hash128(`${a}\u0000${b}\u0000${n}\u0000${c}`));
    }
  });
});
