import { ValidationError } from "../errors.js";
import type { JsonRecord } from "../schema.js";
import { csvRecords, csvRowToEvent } from "./csv.js";
import { gunzipIfNeeded } from "./decompress.js";
import { jsonArrayElements } from "./json-array.js";
import { type ChunkSource, splitLines } from "./lines.js";

/** Input formats the importer reads. `auto` sniffs: `[` means a JSON array, otherwise NDJSON. */
export type RecordFormat = "ndjson" | "json" | "csv" | "auto";

/** Parses NDJSON lines one at a time; a bad line fails with its line number. */
export async function* ndjsonRecords(source: ChunkSource): AsyncGenerator<JsonRecord> {
  let line = 0;
  for await (const text of splitLines(source)) {
    line++;
    if (text.trim() === "") continue;
    try {
      yield JSON.parse(text) as JsonRecord;
    } catch (error) {
      throw new ValidationError(`NDJSON line ${line} is not valid JSON: ${(error as Error).message}`);
    }
  }
}

async function* sniff(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<JsonRecord> {
  const iterator = source[Symbol.asyncIterator]();
  const buffered: (Uint8Array | string)[] = [];
  let first = "";
  while (first.trim() === "") {
    const next = await iterator.next();
    if (next.done) break;
    buffered.push(next.value);
    first +=
      typeof next.value === "string" ? next.value : new TextDecoder().decode(next.value.subarray(0, 64));
  }
  const replay = (async function* () {
    yield* buffered;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  })();
  if (first.trimStart().startsWith("[")) yield* jsonArrayElements(replay) as AsyncGenerator<JsonRecord>;
  else yield* ndjsonRecords(replay);
}

/**
 * Reads records from bytes in any supported format, gunzipping first when needed; constant memory.
 * CSV rows become events (see `csvRowToEvent`).
 * @example
 * for await (const event of readRecords(response.body, "ndjson")) console.log(event.event);
 */
export async function* readRecords(
  source: ChunkSource,
  format: RecordFormat = "auto",
): AsyncGenerator<JsonRecord> {
  const bytes = gunzipIfNeeded(source);
  if (format === "csv") {
    for await (const row of csvRecords(bytes)) yield csvRowToEvent(row);
  } else if (format === "json") yield* jsonArrayElements(bytes) as AsyncGenerator<JsonRecord>;
  else if (format === "ndjson") yield* ndjsonRecords(bytes);
  else yield* sniff(bytes);
}
