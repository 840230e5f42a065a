/** One CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * CSV of the segmentation envelope (open question Q15; layout recorded in docs/compatibility.md): a
 * header `date,<segment>...` (largest total first, then by name), then one line per bucket in `series` order.
 *
 * @example
 * ```ts
 * segmentationCsv({ data: { series: ["2024-01-01"], values: { a: { "2024-01-01": 1 } } }, legend_size: 1 });
 * // "date,a\r\n2024-01-01,1\r\n"
 * ```
 */
export function segmentationCsv(r: {
  data: { series: readonly string[]; values: Record<string, Record<string, number>> };
}): string {
  // JSON objects list integer-like keys first whatever the insertion order, so order columns here:
  // largest total first, then by name.
  const total = (s: string) => Object.values(r.data.values[s] ?? {}).reduce((a, b) => a + b, 0);
  const segments = Object.keys(r.data.values).sort(
    (a, b) => total(b) - total(a) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const lines = [["date", ...segments].map(csvField).join(",")];
  for (const date of r.data.series) {
    lines.push([date, ...segments.map((s) => r.data.values[s]?.[date] ?? 0)].map(csvField).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}

/**
 * CSV of a date-keyed map of numbers (`/segmentation/sum` and `/average`): `date,value`.
 *
 * @example
 * ```ts
 * resultsCsv({ "2024-01-01": 3 }) // "date,value\r\n2024-01-01,3\r\n"
 * ```
 */
export function resultsCsv(results: Record<string, number>): string {
  const lines = ["date,value", ...Object.entries(results).map(([d, v]) => `${csvField(d)},${csvField(v)}`)];
  return `${lines.join("\r\n")}\r\n`;
}
