import type { EventRecord } from "./records.js";

/**
 * Events packed column by column for one bulk insert.
 *
 * The server validates `/import` bodies in worker threads and hands each batch to the thread that owns
 * the database as a handful of strings and one transferable array, so that thread only checks
 * de-duplication keys and issues a single statement, instead of one native call per value (which bound
 * ingestion to ~60k events/s on one core). Every engine can read these columns in bulk: DuckDB unnests
 * them in SQL; ClickHouse takes the same values as one columnar insert.
 *
 * Build one with {@link packEvents} (or {@link EventBatchBuilder} while validating).
 *
 * @example
 * ```ts
 * const batch = packEvents([{ event: "Signed Up", timeMs: 1724000000000, distinctId: "u1",
 *   dedupeKey: 42n, propertiesJson: "{}" }]);
 * await storage.transaction((tx) => tx.insertEventBatch(1, batch));
 * ```
 */
export interface EventBatch {
  readonly count: number;
  /**
   * Each event's {@link EventRecord.dedupeKey} as two unsigned 64-bit halves, high then low:
   * `[hi0, lo0, hi1, lo1, ...]`. Transferable between threads.
   */
  readonly keys: BigUint64Array;
  /** The same keys as signed decimal integers joined by `,`. */
  readonly keyText: string;
  /** Event names as a JSON array of strings. */
  readonly events: string;
  /** Event times in epoch milliseconds, joined by `,`. */
  readonly times: string;
  /** distinct_ids as a JSON array of strings. */
  readonly distinctIds: string;
  /**
   * Each event's {@link EventRecord.propertiesJson}, joined by U+001E (record separator): JSON text
   * never contains a raw control character other than whitespace, so the separator is unambiguous
   * without scanning the texts.
   */
  readonly properties: string;
}

const MASK64 = (1n << 64n) - 1n;

/**
 * A 128-bit key's unsigned high and low 64-bit halves, the form {@link EventBatch.keys} carries and
 * engines' key sets compare.
 */
export function keyHalves(key: bigint): [hi: bigint, lo: bigint] {
  return [(key >> 64n) & MASK64, key & MASK64];
}

/** Separates the property texts of {@link EventBatch.properties}. */
export const PROPERTIES_SEPARATOR = "\u001e";

/**
 * Accumulates events into an {@link EventBatch}, one at a time, so a validator can pack as it goes.
 *
 * @example
 * ```ts
 * const b = new EventBatchBuilder(records.length);
 * for (const r of records) b.add(r);
 * const batch = b.finish();
 * ```
 */
export class EventBatchBuilder {
  private keys: BigUint64Array;
  private count = 0;
  private readonly keyText: string[] = [];
  private readonly events: string[] = [];
  private readonly times: number[] = [];
  private readonly distinctIds: string[] = [];
  private readonly properties: string[] = [];

  constructor(expected = 16) {
    this.keys = new BigUint64Array(Math.max(1, expected) * 2);
  }

  add(e: EventRecord): void {
    if (this.count * 2 === this.keys.length) {
      const grown = new BigUint64Array(this.keys.length * 2);
      grown.set(this.keys);
      this.keys = grown;
    }
    const [hi, lo] = keyHalves(e.dedupeKey);
    this.keys[this.count * 2] = hi;
    this.keys[this.count * 2 + 1] = lo;
    this.count += 1;
    this.keyText.push(e.dedupeKey.toString());
    this.events.push(e.event);
    this.times.push(e.timeMs);
    this.distinctIds.push(e.distinctId);
    this.properties.push(e.propertiesJson);
  }

  finish(): EventBatch {
    return {
      count: this.count,
      keys: this.keys.length === this.count * 2 ? this.keys : this.keys.slice(0, this.count * 2),
      keyText: this.keyText.join(","),
      events: JSON.stringify(this.events),
      times: this.times.join(","),
      distinctIds: JSON.stringify(this.distinctIds),
      properties: this.properties.join(PROPERTIES_SEPARATOR),
    };
  }
}

/** Packs events for {@link WriteTransaction.insertEventBatch}. */
export function packEvents(events: readonly EventRecord[]): EventBatch {
  const b = new EventBatchBuilder(events.length);
  for (const e of events) b.add(e);
  return b.finish();
}
