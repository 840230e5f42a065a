// Node-only helpers, imported as "@mpkit/connector/node" so the core stays runtime-neutral.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { type RecordFormat, readRecords } from "./import/read-records.js";
import type { JsonRecord } from "./schema.js";

/** The format a file name implies (`.gz` is looked through); `auto` when unknown. */
export function formatFromPath(path: string): RecordFormat {
  const name = path.toLowerCase().replace(/\.gz$/, "");
  if (name.endsWith(".csv")) return "csv";
  if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) return "ndjson";
  if (name.endsWith(".json")) return "auto";
  return "auto";
}

/**
 * Streams records from a file (NDJSON, JSON array or CSV; gzipped or not) in constant memory.
 * `onBytes` reports bytes read from disk, for progress bars.
 * @example
 * const report = await mixpanel.importEvents({ events: readRecordsFromFile("events.ndjson.gz") });
 */
export function readRecordsFromFile(
  path: string,
  options: { format?: RecordFormat; onBytes?: (bytesRead: number) => void } = {},
): AsyncGenerator<JsonRecord> {
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  const counted = (async function* () {
    let total = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.byteLength;
      options.onBytes?.(total);
      yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
  })();
  return readRecords(counted, options.format ?? formatFromPath(path));
}

/** File size in bytes, for progress totals. */
export async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}
