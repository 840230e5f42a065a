/** A seeded PRNG (mulberry32): a failing fuzz run is replayed by setting its printed seed. */
export class Random {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.int(0, 255);
    return out;
  }

  /** A string mixing ASCII, punctuation, JSON/base64/URL metacharacters and non-ASCII text. */
  text(maxLength: number): string {
    const alphabet = 'abcXYZ019 _-+/=%&?#{}[]",:\\\n\té漢🙂\u0000';
    const chars = [...alphabet];
    let s = "";
    const n = this.int(0, maxLength);
    for (let i = 0; i < n; i++) s += this.pick(chars);
    return s;
  }
}

/** The seed: `MPKIT_FUZZ_SEED` to replay a run, otherwise a fresh one. */
export function fuzzSeed(): number {
  const fromEnv = process.env["MPKIT_FUZZ_SEED"];
  if (fromEnv !== undefined && fromEnv !== "") return Number(fromEnv) >>> 0;
  return Math.floor(Math.random() * 2 ** 32) >>> 0;
}
