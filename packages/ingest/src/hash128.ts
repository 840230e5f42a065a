/**
 * MurmurHash3's x86 128-bit construction over a string's UTF-16 code units (two units per 32-bit word).
 * De-duplication keys are hashed per event on the ingest hot path, where `crypto`'s MD5 cost more than
 * all the validation around it; collision resistance against accidents is what is needed (keys are scoped
 * to a project), not resistance against an adversary.
 */
import { digitCount, putDigits } from "./digits.js";

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));

function fmix(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return x ^ (x >>> 16);
}

/**
 * The code units being hashed. Keys are written here part by part (see {@link dedupeKey}) rather than
 * joined into one string first: on the `/import` hot path the joined string was a rope that V8 had to
 * flatten before the first `charCodeAt`, which cost about as much as the hash itself.
 */
let units = new Uint16Array(256);

/** Makes room for `n` code units, keeping the first `keep`. */
function reserve(n: number, keep: number): Uint16Array {
  if (n > units.length) {
    let size = units.length;
    while (size < n) size *= 2;
    const grown = new Uint16Array(size);
    grown.set(units.subarray(0, keep));
    units = grown;
  }
  return units;
}

/** Appends a string's code units at `at`; returns the new length. */
function putString(s: string, at: number): number {
  const buf = reserve(at + s.length, at);
  for (let j = 0; j < s.length; j++) buf[at + j] = s.charCodeAt(j);
  return at + s.length;
}

/** Appends a number as `String(n)` would write it (a non-negative safe integer digit by digit). */
function putInteger(n: number, at: number): number {
  if (!Number.isSafeInteger(n) || n < 0) return putString(String(n), at);
  const digits = digitCount(n);
  return putDigits(reserve(at + digits, at), at, n, digits);
}

/**
 * Hashes the four parts of a de-duplication key joined by U+0000, exactly as
 * `hash128(`${a}\0${b}\0${n}\0${c}`)` would, without building that string.
 *
 * @example
 * ```ts
 * hash128Key("Signed Up", "user-1", 1724000000, "abc") ===
 *   hash128("Signed Up\u0000user-1\u00001724000000\u0000abc"); // true
 * ```
 */
export function hash128Key(a: string, b: string, n: number, c: string): bigint {
  let at = putString(a, 0);
  at = putString("\0", at);
  at = putString(b, at);
  at = putString("\0", at);
  at = putInteger(n, at);
  at = putString("\0", at);
  at = putString(c, at);
  return hashUnitsAndShrink(at);
}

/**
 * Hashes a string to 128 bits, returned as a signed 128-bit bigint (DuckDB's HUGEINT range).
 *
 * @example
 * ```ts
 * hash128("Signed Up\u0000user-1\u00001724000000\u0000abc") // a bigint
 * ```
 */
export function hash128(s: string): bigint {
  const n = putString(s, 0); // first: writing may replace `units` with a larger array
  return hashUnitsAndShrink(n);
}

/** Hashes the first `n` scratch units; a scratch grown past 64K units by one huge key is let go. */
function hashUnitsAndShrink(n: number): bigint {
  const h = hashUnits(units, n);
  if (units.length > 65_536) units = new Uint16Array(256);
  return h;
}

function hashUnits(u: Uint16Array, n: number): bigint {
  let h1 = 0x9368e53c;
  let h2 = 0x2f6af274;
  let h3 = 0x31b6d8c3;
  let h4 = 0x4a4fbd3b;
  const blocks = n - (n % 8);
  let i = 0;
  for (; i < blocks; i += 8) {
    let k1 = (u[i] as number) | ((u[i + 1] as number) << 16);
    let k2 = (u[i + 2] as number) | ((u[i + 3] as number) << 16);
    let k3 = (u[i + 4] as number) | ((u[i + 5] as number) << 16);
    let k4 = (u[i + 6] as number) | ((u[i + 7] as number) << 16);
    k1 = Math.imul(rotl(Math.imul(k1, C1), 15), C2);
    h1 ^= k1;
    h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;
    k2 = Math.imul(rotl(Math.imul(k2, C2), 16), C3);
    h2 ^= k2;
    h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;
    k3 = Math.imul(rotl(Math.imul(k3, C3), 17), C4);
    h3 ^= k3;
    h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;
    k4 = Math.imul(rotl(Math.imul(k4, C4), 18), C1);
    h4 ^= k4;
    h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
  }
  // Tail: up to 7 code units, zero-padded into four words.
  let t0 = 0;
  let t1 = 0;
  let t2 = 0;
  let t3 = 0;
  for (let j = 0; i + j < n; j++) {
    const unit = (u[i + j] as number) << ((j & 1) * 16);
    const w = j >> 1;
    if (w === 0) t0 |= unit;
    else if (w === 1) t1 |= unit;
    else if (w === 2) t2 |= unit;
    else t3 |= unit;
  }
  if (n > blocks) {
    h1 ^= Math.imul(rotl(Math.imul(t0, C1), 15), C2);
    h2 ^= Math.imul(rotl(Math.imul(t1, C2), 16), C3);
    h3 ^= Math.imul(rotl(Math.imul(t2, C3), 17), C4);
    h4 ^= Math.imul(rotl(Math.imul(t3, C4), 18), C1);
  }
  const len = n * 2;
  h1 ^= len;
  h2 ^= len;
  h3 ^= len;
  h4 ^= len;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  const hi = (BigInt(h1 >>> 0) << 32n) | BigInt(h2 >>> 0);
  const lo = (BigInt(h3 >>> 0) << 32n) | BigInt(h4 >>> 0);
  return BigInt.asIntN(128, (hi << 64n) | lo);
}
