import { UsageError } from "./io.js";

/** Output formats of action commands. */
export type OutputFormat = "json" | "jsonl" | "csv" | "table";

export function parseFormat(value: string | undefined, fallback: OutputFormat): OutputFormat {
  const format = value ?? fallback;
  if (format === "json" || format === "jsonl" || format === "csv" || format === "table") return format;
  throw new UsageError(`--output must be json, jsonl, csv or table, not "${format}"`);
}

/** The rows a result holds: arrays as is, `{ results: [...] }` unwrapped, anything else one row. */
export function rowsOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === "object") {
    const results = (value as Record<string, unknown>)["results"];
    if (Array.isArray(results)) return results;
  }
  return [value];
}

function cellText(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function csvCell(value: unknown): string {
  const text = cellText(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function columnsOf(rows: unknown[]): string[] {
  const columns = new Set<string>();
  for (const row of rows) {
    if (row !== null && typeof row === "object" && !Array.isArray(row))
      for (const key of Object.keys(row)) columns.add(key);
  }
  return [...columns];
}

function objectRows(rows: unknown[]): { columns: string[]; cells: string[][] } {
  const columns = columnsOf(rows);
  if (columns.length === 0) return { columns: ["value"], cells: rows.map((row) => [cellText(row)]) };
  return {
    columns,
    cells: rows.map((row) => columns.map((column) => cellText((row as Record<string, unknown>)?.[column]))),
  };
}

/** CSV (RFC 4180) of rows; nested values as JSON text. */
export function toCsv(rows: unknown[]): string {
  const { columns, cells } = objectRows(rows);
  return `${[columns.map(csvCell).join(","), ...cells.map((row) => row.map(csvCell).join(","))].join("\n")}\n`;
}

/** A plain-text table; a single object is shown as key/value pairs. */
export function toTable(value: unknown): string {
  let rows = rowsOf(value);
  if (rows.length === 1 && rows[0] !== null && typeof rows[0] === "object" && !Array.isArray(rows[0])) {
    rows = Object.entries(rows[0] as Record<string, unknown>).map(([key, inner]) => ({ key, value: inner }));
  }
  const { columns, cells } = objectRows(rows);
  const widths = columns.map((column, index) =>
    Math.min(60, Math.max(column.length, ...cells.map((row) => (row[index] ?? "").length))),
  );
  const line = (values: string[]) =>
    values
      .map((text, index) => {
        const width = widths[index] ?? 0;
        return (text.length > width ? `${text.slice(0, width - 1)}…` : text).padEnd(width);
      })
      .join("  ")
      .trimEnd();
  return `${[line(columns), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n")}\n`;
}

/** Formats one whole result. */
export function formatResult(value: unknown, format: OutputFormat): string {
  if (typeof value === "string" && format !== "json") return value.endsWith("\n") ? value : `${value}\n`;
  switch (format) {
    case "json":
      return `${JSON.stringify(value, null, 2)}\n`;
    case "jsonl":
      return rowsOf(value)
        .map((row) => `${JSON.stringify(row)}\n`)
        .join("");
    case "csv":
      return toCsv(rowsOf(value));
    case "table":
      return toTable(value);
  }
}

/** Writes a stream of rows as they come (jsonl, or csv with the first row's columns). */
export async function writeRows(
  rows: AsyncIterable<unknown>,
  format: OutputFormat,
  write: (text: string) => void,
): Promise<number> {
  let count = 0;
  let columns: string[] | undefined;
  const buffered: unknown[] = [];
  for await (const row of rows) {
    count++;
    if (format === "csv") {
      if (columns === undefined) {
        columns = columnsOf([row]);
        write(`${columns.map(csvCell).join(",")}\n`);
      }
      write(`${columns.map((column) => csvCell((row as Record<string, unknown>)?.[column])).join(",")}\n`);
    } else if (format === "json" || format === "table") buffered.push(row);
    else write(`${JSON.stringify(row)}\n`);
  }
  if (format === "json" || format === "table") write(formatResult(buffered, format));
  return count;
}
