import { keyHalves } from "@mpkit/storage";

/**
 * A set of 128-bit keys in two flat `BigUint64Array`s (open addressing, linear probing): 16 bytes per
 * slot, no per-key objects, so ten million keys cost about 256 MB at most.
 *
 * The DuckDB adapter keeps every stored event's de-duplication key here and checks new events against it
 * before appending, instead of a primary-key index: DuckDB's `INSERT ... ON CONFLICT` costs about three
 * times a plain append (measured in bench notes), and a retried batch must still never double an event.
 */
export class KeySet {
  private hi: BigUint64Array;
  private lo: BigUint64Array;
  private used: Uint8Array;
  private mask: number;
  private count = 0;

  constructor(capacity = 1 << 16) {
    let size = 1 << 4;
    while (size < capacity * 2) size <<= 1;
    this.hi = new BigUint64Array(size);
    this.lo = new BigUint64Array(size);
    this.used = new Uint8Array(size);
    this.mask = size - 1;
  }

  /** Number of keys. */
  get size(): number {
    return this.count;
  }

  private slot(hi: bigint, lo: bigint): number {
    // The keys are already uniformly distributed hashes: their low bits are a good slot index.
    let i = Number(lo & 0xffffffffn) & this.mask;
    while (this.used[i] === 1 && (this.hi[i] !== hi || this.lo[i] !== lo)) i = (i + 1) & this.mask;
    return i;
  }

  /** True when the key is present. */
  has(key: bigint): boolean {
    const [hi, lo] = keyHalves(key);
    return this.used[this.slot(hi, lo)] === 1;
  }

  /** Adds a key; returns false when it was already present. */
  add(key: bigint): boolean {
    const [hi, lo] = keyHalves(key);
    return this.addHalves(hi, lo);
  }

  /** Adds a key given as its unsigned high and low 64-bit halves; returns false when it was present. */
  addHalves(hi: bigint, lo: bigint): boolean {
    const i = this.slot(hi, lo);
    if (this.used[i] === 1) return false;
    this.used[i] = 1;
    this.hi[i] = hi;
    this.lo[i] = lo;
    this.count += 1;
    if (this.count * 2 > this.mask + 1) this.grow();
    return true;
  }

  /** Removes a key (used to undo the keys of a rolled-back transaction). */
  delete(key: bigint): void {
    const [hi, lo] = keyHalves(key);
    this.deleteHalves(hi, lo);
  }

  /** Removes a key given as its unsigned halves. */
  deleteHalves(hi: bigint, lo: bigint): void {
    let i = this.slot(hi, lo);
    if (this.used[i] !== 1) return;
    this.used[i] = 0;
    this.count -= 1;
    // Re-insert the rest of the probe cluster so later lookups do not stop at the hole.
    i = (i + 1) & this.mask;
    while (this.used[i] === 1) {
      const h = this.hi[i] as bigint;
      const l = this.lo[i] as bigint;
      this.used[i] = 0;
      const j = this.slot(h, l);
      this.used[j] = 1;
      this.hi[j] = h;
      this.lo[j] = l;
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const { hi, lo, used } = this;
    const size = (this.mask + 1) * 2;
    this.hi = new BigUint64Array(size);
    this.lo = new BigUint64Array(size);
    this.used = new Uint8Array(size);
    this.mask = size - 1;
    for (let i = 0; i < used.length; i++) {
      if (used[i] !== 1) continue;
      const j = this.slot(hi[i] as bigint, lo[i] as bigint);
      this.used[j] = 1;
      this.hi[j] = hi[i] as bigint;
      this.lo[j] = lo[i] as bigint;
    }
  }
}
