/**
 * A query that cannot be answered as asked. The server turns it into Mixpanel's query-side error body
 * `{"request": ..., "error": ...}` with {@link QueryError.status} (mixpanel-read-side.md section 7).
 *
 * @example
 * ```ts
 * throw new QueryError(400, "'from_date' is a required parameter");
 * ```
 */
export class QueryError extends Error {
  override readonly name = "QueryError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A 400 for a missing or malformed parameter.
 *
 * @example
 * ```ts
 * throw badRequest("'unit' must be one of day, week, month");
 * ```
 */
export function badRequest(message: string): QueryError {
  return new QueryError(400, message);
}
