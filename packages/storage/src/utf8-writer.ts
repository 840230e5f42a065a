/**
 * A growable buffer of UTF-8 bytes, written a string or a byte at a time.
 *
 * Event properties are serialized straight into one of these per batch (see
 * `EventBatchBuilder.addEvent`): building each event's JSON as a JavaScript string made a rope of
 * small pieces that V8 then had to flatten, copy into the worker's reply and re-encode as UTF-8 for
 * the database, three passes over every byte; written as bytes, the column crosses to the writer
 * thread as one transferred buffer and binds to the database as is.
 *
 * @example
 * ```ts
 * const out = new Utf8Writer();
 * out.string('{"a":"é"}');
 * out.view(); // Uint8Array of 10 bytes
 * ```
 */
export class Utf8Writer {
  /** The buffer; valid up to {@link length}. Replaced by a larger one as it fills. */
  bytes: Uint8Array;
  /** Bytes written so far. A writer may set it back to undo what it wrote after that point. */
  length = 0;

  constructor(capacity = 1024) {
    this.bytes = new Uint8Array(Math.max(16, capacity));
  }

  /** Makes room for `n` more bytes and returns the (possibly new) buffer. */
  reserve(n: number): Uint8Array {
    const need = this.length + n;
    if (need > this.bytes.length) {
      let size = this.bytes.length * 2;
      while (size < need) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    return this.bytes;
  }

  /** Appends one byte. */
  byte(b: number): void {
    this.reserve(1)[this.length++] = b;
  }

  /**
   * Appends a string as UTF-8. A lone surrogate becomes U+FFFD (EF BF BD), as `TextEncoder` and
   * `Buffer.from` encode it.
   */
  string(s: string): void {
    const n = s.length;
    const buf = this.reserve(n * 3);
    let at = this.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) buf[at++] = c;
      else if (c < 0x800) {
        buf[at++] = 0xc0 | (c >> 6);
        buf[at++] = 0x80 | (c & 0x3f);
      } else if (c < 0xd800 || c > 0xdfff) {
        buf[at++] = 0xe0 | (c >> 12);
        buf[at++] = 0x80 | ((c >> 6) & 0x3f);
        buf[at++] = 0x80 | (c & 0x3f);
      } else {
        const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (c < 0xdc00 && d >= 0xdc00 && d <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          buf[at++] = 0xf0 | (cp >> 18);
          buf[at++] = 0x80 | ((cp >> 12) & 0x3f);
          buf[at++] = 0x80 | ((cp >> 6) & 0x3f);
          buf[at++] = 0x80 | (cp & 0x3f);
          i += 1;
        } else {
          buf[at++] = 0xef;
          buf[at++] = 0xbf;
          buf[at++] = 0xbd;
        }
      }
    }
    this.length = at;
  }

  /** Appends bytes (short runs: a loop beats `TypedArray.set`'s call for the few bytes of a JSON key). */
  raw(src: Uint8Array): void {
    const n = src.length;
    const buf = this.reserve(n);
    let at = this.length;
    for (let i = 0; i < n; i++) buf[at++] = src[i] as number;
    this.length = at;
  }

  /** The bytes written so far (a view of the buffer, not a copy). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}
