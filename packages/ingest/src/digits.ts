/**
 * Decimal digits of non-negative safe integers, written as character codes into a buffer: the ingest
 * hot path writes times and counts this way (into the de-dup key's scratch, into a batch's UTF-8
 * properties) instead of making a string of each number first.
 */

/** How many decimal digits `n` (a non-negative safe integer) has. */
export function digitCount(n: number): number {
  let digits = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) digits += 1;
  return digits;
}

/**
 * Writes `n`'s `digits` decimal digits (see {@link digitCount}) as ASCII codes at `at`, as `String(n)`
 * spells them; returns the index after the last one.
 *
 * @example
 * ```ts
 * const buf = new Uint8Array(4);
 * putDigits(buf, 0, 1724, digitCount(1724)); // 4; buf holds "1724"
 * ```
 */
export function putDigits(buf: Uint8Array | Uint16Array, at: number, n: number, digits: number): number {
  let x = n;
  for (let j = at + digits - 1; j >= at; j--) {
    buf[j] = 0x30 + (x % 10);
    x = Math.floor(x / 10);
  }
  return at + digits;
}
