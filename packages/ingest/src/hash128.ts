/**
 * MurmurHash3's x86 128-bit construction over a string's UTF-16 code units (two units per 32-bit word).
 * De-duplication keys are hashed per event on the ingest hot path, where `crypto`'s MD5 cost more than
 * all the validation around it; collision resistance against accidents is what is needed (keys are scoped
 * to a project), not resistance against an adversary.
 */
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

const word = (s: string, i: number) => s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16) | 0;

/**
 * Hashes a string to 128 bits, returned as a signed 128-bit bigint (DuckDB's HUGEINT range).
 *
 * @example
 * ```ts
 * hash128("Signed Up\0user-1\01724000000\0abc") // a bigint
 * ```
 */
export function hash128(s: string): bigint {
  let h1 = 0x9368e53c;
  let h2 = 0x2f6af274;
  let h3 = 0x31b6d8c3;
  let h4 = 0x4a4fbd3b;
  const n = s.length;
  const blocks = n - (n % 8);
  let i = 0;
  for (; i < blocks; i += 8) {
    let k1 = word(s, i);
    let k2 = word(s, i + 2);
    let k3 = word(s, i + 4);
    let k4 = word(s, i + 6);
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
  const tail = [0, 0, 0, 0];
  for (let j = 0; i + j < n; j++) {
    const w = j >> 1;
    tail[w] = (tail[w] as number) | (s.charCodeAt(i + j) << ((j & 1) * 16));
  }
  if (n > blocks) {
    h1 ^= Math.imul(rotl(Math.imul(tail[0] as number, C1), 15), C2);
    h2 ^= Math.imul(rotl(Math.imul(tail[1] as number, C2), 16), C3);
    h3 ^= Math.imul(rotl(Math.imul(tail[2] as number, C3), 17), C4);
    h4 ^= Math.imul(rotl(Math.imul(tail[3] as number, C4), 18), C1);
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
