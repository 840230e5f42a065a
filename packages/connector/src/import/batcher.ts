/** Mixpanel's /import limits (docs: reference/import-events). */
export const MAX_BATCH_EVENTS = 2000;
/** 10 MB of uncompressed JSON per request. */
export const MAX_BATCH_BYTES = 10 * 1024 * 1024;
/** Mixpanel rejects single events over 1 MB. */
export const MAX_EVENT_BYTES = 1024 * 1024;

/** UTF-8 byte length without allocating (runs once per event). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** One request's worth of serialized events. */
export interface Batch {
  /** Index of the batch's first record in the whole input. */
  readonly offset: number;
  readonly lines: string[];
  /** Size of the JSON array body: the lines, the commas and the brackets. */
  bytes: number;
}

/**
 * Packs serialized events into batches of at most `maxEvents` and `maxBytes` (array syntax included).
 * `add` returns the batches that became full (usually none); `flush` returns the last partial batch.
 */
export class Batcher {
  private current: Batch | undefined;
  constructor(
    private readonly maxEvents: number = MAX_BATCH_EVENTS,
    private readonly maxBytes: number = MAX_BATCH_BYTES,
  ) {}

  add(line: string, bytes: number, index: number): Batch[] {
    const full: Batch[] = [];
    if (this.current !== undefined && this.current.bytes + bytes + 1 > this.maxBytes) {
      full.push(this.current);
      this.current = undefined;
    }
    this.current ??= { offset: index, lines: [], bytes: 2 };
    this.current.lines.push(line);
    this.current.bytes += bytes + (this.current.lines.length > 1 ? 1 : 0);
    if (this.current.lines.length >= this.maxEvents) {
      full.push(this.current);
      this.current = undefined;
    }
    return full;
  }

  flush(): Batch | undefined {
    const last = this.current;
    this.current = undefined;
    return last;
  }
}
