import type { EventRecord } from "./records.js";
import { Utf8Writer } from "./utf8-writer.js";

/**
 * Events packed column by column for one bulk insert.
 *
 * The server validates `/import` bodies in worker threads and hands each batch to the thread that owns
 * the database as a few strings and two transferable arrays, so that thread only checks de-duplication
 * keys and issues a single statement, instead of one native call per value (which bound ingestion to
 * ~60k events/s on one core). Every engine can read these columns in bulk: DuckDB unnests them in SQL;
 * ClickHouse takes the same values as one columnar insert.
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
   * Each event's {@link EventRecord.propertiesJson} as UTF-8, joined by the byte 0x1E (U+001E, record
   * separator): JSON text never contains a raw control character other than whitespace, so the
   * separator is unambiguous without scanning the texts. Transferable between threads.
   */
  readonly properties: Uint8Array;
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
const SEPARATOR_BYTE = PROPERTIES_SEPARATOR.charCodeAt(0);

/**
 * Accumulates events into an {@link EventBatch}, one at a time, so a validator can pack as it goes:
 * either whole records ({@link add}), or the columns with the properties written straight into the
 * batch's buffer ({@link addEvent}).
 *
 * @example
 * ```ts
 * const b = new EventBatchBuilder(records.length);
 * for (const r of records) b.add(r);
 * b.addEvent("Signed Up", 1724000000000, "u1", 42n).string('{"plan":"pro"}');
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
  private readonly properties: Utf8Writer;

  constructor(expected = 16) {
    this.keys = new BigUint64Array(Math.max(1, expected) * 2);
    // ~200 bytes of properties per event is typical (Mixpanel's SDKs send 15-30 properties).
    this.properties = new Utf8Writer(Math.max(1, expected) * 256);
  }

  /** Adds a whole record. */
  add(e: EventRecord): void {
    this.addEvent(e.event, e.timeMs, e.distinctId, e.dedupeKey).string(e.propertiesJson);
  }

  /**
   * Adds an event's columns and returns the writer its properties go to: the caller writes exactly one
   * JSON object text (UTF-8) before the next call.
   */
  addEvent(event: string, timeMs: number, distinctId: string, dedupeKey: bigint): Utf8Writer {
    if (this.count * 2 === this.keys.length) {
      const grown = new BigUint64Array(this.keys.length * 2);
      grown.set(this.keys);
      this.keys = grown;
    }
    const [hi, lo] = keyHalves(dedupeKey);
    this.keys[this.count * 2] = hi;
    this.keys[this.count * 2 + 1] = lo;
    if (this.count > 0) this.properties.byte(SEPARATOR_BYTE);
    this.count += 1;
    this.keyText.push(dedupeKey.toString());
    this.events.push(event);
    this.times.push(timeMs);
    this.distinctIds.push(distinctId);
    return this.properties;
  }

  finish(): EventBatch {
    return {
      count: this.count,
      keys: this.keys.length === this.count * 2 ? this.keys : this.keys.slice(0, this.count * 2),
      keyText: this.keyText.join(","),
      events: JSON.stringify(this.events),
      times: this.times.join(","),
      distinctIds: JSON.stringify(this.distinctIds),
      // Mostly full (the builder sizes it for ~256 bytes an event); a buffer less than half used is
      // copied down, so a batch waiting for the writer does not hold twice its size.
      properties:
        this.properties.length * 2 < this.properties.bytes.length
          ? this.properties.view().slice()
          : this.properties.view(),
    };
  }
}

/** Packs events for {@link WriteTransaction.insertEventBatch}. */
export function packEvents(events: readonly EventRecord[]): EventBatch {
  const b = new EventBatchBuilder(events.length);
  for (const e of events) b.add(e);
  return b.finish();
}
