import { keyHalves } from "@mpkit/storage";

/**
 * A 128-bit key as four 32-bit words, in the layout a `BigUint64Array` of `[hi, lo]` has in memory
 * (which is how `EventBatch.keys` carries keys), so a batch's keys are read through a `Uint32Array`
 * view of the same bytes without creating a BigInt per key.
 */
const scratch64 = new BigUint64Array(2);
const scratch32 = new Uint32Array(scratch64.buffer);

/** Writes a signed or unsigned 128-bit key's four words into `out`. */
export function keyWords(key: bigint, out: Uint32Array): void {
  const [hi, lo] = keyHalves(key);
  scratch64[0] = hi;
  scratch64[1] = lo;
  out.set(scratch32);
}

/** The words of a batch's keys (`EventBatch.keys`, `[hi, lo]` per key): four per key, no copy. */
export function batchKeyWords(keys: BigUint64Array): Uint32Array {
  return new Uint32Array(keys.buffer, keys.byteOffset, keys.length * 2);
}

/**
 * A set of 128-bit keys in one flat `Uint32Array` (open addressing, linear probing): 17 bytes per
 * slot and at least two slots per key, no per-key objects, so ten million keys take ~570 MB (~855 MB
 * for the moment the table doubles). Keys go in and out as four 32-bit words: the `/import` hot path
 * checks every event's key here on the thread that owns the database, and BigInt arithmetic (a heap
 * allocation per operation) was most of that thread's cost per event.
 *
 * The DuckDB adapter keeps every stored event's de-duplication key here and checks new events against it
 * before appending, instead of a primary-key index: DuckDB's `INSERT ... ON CONFLICT` costs about three
 * times a plain append (measured in bench notes), and a retried batch must still never double an event.
 *
 * @example
 * ```ts
 * const keys = new KeySet();
 * keys.add(42n); // true
 * keys.add(42n); // false: already present
 * ```
 */
export class KeySet {
  private words: Uint32Array;
  private used: Uint8Array;
  private mask: number;
  private count = 0;
  private readonly probe = new Uint32Array(4);

  constructor(capacity = 1 << 16) {
    let size = 1 << 4;
    while (size < capacity * 2) size <<= 1;
    this.words = new Uint32Array(size * 4);
    this.used = new Uint8Array(size);
    this.mask = size - 1;
  }

  /** Number of keys. */
  get size(): number {
    return this.count;
  }

  /** The slot holding the key, or the empty slot where it would go. */
  private slot(a: number, b: number, c: number, d: number): number {
    const { words, used, mask } = this;
    // Real keys are uniform hashes; folding all four words also spreads keys that differ in one word only.
    let i = (a ^ b ^ c ^ d) & mask;
    while (
      used[i] === 1 &&
      (words[i * 4] !== a || words[i * 4 + 1] !== b || words[i * 4 + 2] !== c || words[i * 4 + 3] !== d)
    ) {
      i = (i + 1) & mask;
    }
    return i;
  }

  /** True when the key is present. */
  has(key: bigint): boolean {
    const w = this.probe;
    keyWords(key, w);
    return this.used[this.slot(w[0] as number, w[1] as number, w[2] as number, w[3] as number)] === 1;
  }

  /** Adds a key; returns false when it was already present. */
  add(key: bigint): boolean {
    const w = this.probe;
    keyWords(key, w);
    return this.addWords(w[0] as number, w[1] as number, w[2] as number, w[3] as number);
  }

  /** Adds a key given as its four words (see {@link keyWords}); returns false when it was present. */
  addWords(a: number, b: number, c: number, d: number): boolean {
    let i = this.slot(a, b, c, d);
    if (this.used[i] === 1) return false;
    // Grow before inserting: if growing fails (out of memory), the key is not half-added, so the
    // caller's transaction fails with the set unchanged and a retry can store the event.
    if ((this.count + 1) * 2 > this.mask + 1) {
      this.grow();
      i = this.slot(a, b, c, d);
    }
    this.put(i, a, b, c, d);
    this.count += 1;
    return true;
  }

  /** Removes a key (used to undo the keys of a rolled-back transaction). */
  delete(key: bigint): void {
    const w = this.probe;
    keyWords(key, w);
    this.deleteWords(w[0] as number, w[1] as number, w[2] as number, w[3] as number);
  }

  /** Removes a key given as its four words. */
  deleteWords(a: number, b: number, c: number, d: number): void {
    const { words, used } = this;
    let i = this.slot(a, b, c, d);
    if (used[i] !== 1) return;
    used[i] = 0;
    this.count -= 1;
    // Re-insert the rest of the probe cluster so later lookups do not stop at the hole.
    i = (i + 1) & this.mask;
    while (used[i] === 1) {
      used[i] = 0;
      this.rehome(words, i);
      i = (i + 1) & this.mask;
    }
  }

  /** Puts the key held at slot `i` of `from` (this table's words or the old ones) where it belongs now. */
  private rehome(from: Uint32Array, i: number): void {
    const a = from[i * 4] as number;
    const b = from[i * 4 + 1] as number;
    const c = from[i * 4 + 2] as number;
    const d = from[i * 4 + 3] as number;
    this.put(this.slot(a, b, c, d), a, b, c, d);
  }

  private put(i: number, a: number, b: number, c: number, d: number): void {
    this.used[i] = 1;
    this.words[i * 4] = a;
    this.words[i * 4 + 1] = b;
    this.words[i * 4 + 2] = c;
    this.words[i * 4 + 3] = d;
  }

  private grow(): void {
    const { words, used } = this;
    const size = (this.mask + 1) * 2;
    // Both arrays are allocated before either replaces the old ones (an allocation can fail).
    const grownWords = new Uint32Array(size * 4);
    const grownUsed = new Uint8Array(size);
    this.words = grownWords;
    this.used = grownUsed;
    this.mask = size - 1;
    for (let i = 0; i < used.length; i++) if (used[i] === 1) this.rehome(words, i);
  }
}
