import type { JsonRecord } from "../schema.js";
import { type ChunkSource, chunksOf } from "./lines.js";

/**
 * Streams RFC 4180 CSV rows (quoted fields, doubled quotes, newlines inside quotes) in constant memory.
 * @example
 * for await (const row of csvRows(["a,b\n1,\"x,y\"\n"])) console.log(row); // ["a","b"], ["1","x,y"]
 */
export async function* csvRows(source: ChunkSource): AsyncGenerator<string[]> {
  const decoder = new TextDecoder();
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let afterQuote = false;
  let sawAny = false;
  for await (const chunk of chunksOf(source)) {
    const text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    for (let i = 0; i < text.length; i++) {
      const char = text[i];
      sawAny = true;
      if (quoted) {
        if (char === '"') {
          quoted = false;
          afterQuote = true;
        } else field += char;
        continue;
      }
      if (char === '"') {
        if (afterQuote) field += '"';
        quoted = true;
        afterQuote = false;
      } else if (char === ",") {
        row.push(field);
        field = "";
        afterQuote = false;
      } else if (char === "\n") {
        row.push(field.endsWith("\r") && !afterQuote ? field.slice(0, -1) : field);
        yield row;
        row = [];
        field = "";
        afterQuote = false;
        sawAny = false;
      } else if (char === "\r" && afterQuote) {
        // CRLF after a closing quote
      } else {
        field += char;
        afterQuote = false;
      }
    }
  }
  if (sawAny) {
    row.push(field.endsWith("\r") ? field.slice(0, -1) : field);
    yield row;
  }
}

/** CSV rows as objects keyed by the header row; empty lines are skipped. */
export async function* csvRecords(source: ChunkSource): AsyncGenerator<Record<string, string>> {
  let header: string[] | undefined;
  for await (const row of csvRows(source)) {
    if (row.length === 1 && row[0] === "") continue;
    if (header === undefined) {
      header = row;
      continue;
    }
    const record: Record<string, string> = {};
    header.forEach((name, index) => {
      const value = row[index];
      if (value !== undefined && value !== "") record[name] = value;
    });
    yield record;
  }
}

/**
 * Turns a flat CSV row into a Mixpanel event: the `event` column is the name, every other column a
 * property. `time` becomes a number (epoch seconds/ms as given, or parsed from ISO 8601) because
 * /import rejects string times; other values stay strings, since guessing types would corrupt ids
 * such as "007".
 */
export function csvRowToEvent(row: Record<string, string>): JsonRecord {
  const { event, ...rest } = row;
  const properties: Record<string, unknown> = { ...rest };
  const time = rest["time"];
  if (time !== undefined) {
    const numeric = Number(time);
    properties["time"] = Number.isFinite(numeric) ? numeric : Date.parse(time);
  }
  return { event, properties };
}
