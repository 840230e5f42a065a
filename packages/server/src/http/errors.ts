/**
 * One error type for the whole server, rendered by a single `onError` handler. The body is already in
 * the shape the endpoint family uses: `{"request", "error"}` on the query and export side,
 * `{"code", "error", "status"}` on `/import`.
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === "object" && body !== null && "error" in body ? String(body.error) : String(body));
  }
}

/** HTTP reason phrases used in `/import` bodies (`"status": "Bad Request"`). */
const REASONS: Record<number, string> = {
  200: "OK",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  413: "Request Entity Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** Reason phrase for a status code. */
export function reason(status: number): string {
  return REASONS[status] ?? "Error";
}

/**
 * A query/export-side error: `{"request": "<path and query as called>", "error": "<message>"}`, the
 * shape of Mixpanel's real 400 and 429 bodies.
 */
export function queryError(status: number, request: string, message: string): ApiError {
  return new ApiError(status, { request, error: message });
}

/** An `/import`-style error: `{"code": 413, "error": "...", "status": "Request Entity Too Large"}`. */
export function importError(status: number, message: string): ApiError {
  return new ApiError(status, { code: status, error: message, status: reason(status) });
}
