/** Reads a numeric column from a driver row (DuckDB gives BIGINT as `bigint`). */
export function num(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string") return Number(v);
  return 0;
}

/** `computed_at`: ISO 8601 UTC with microseconds and `+00:00` (section 3.3). */
export function computedAt(nowMs: number): string {
  return new Date(nowMs).toISOString().replace("Z", "000+00:00");
}

/** A ratio where 0/0 is 0 (section 3.4 "Zero-count behaviour"). */
export function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}
