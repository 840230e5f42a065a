/**
 * Errors: one base class, one HTTP subclass keyed by status, and one factory (`errorFromResponse`),
 * combining ky's `HTTPError`, stripe's `generateV1Error` switch and octokit's redacted request.
 */

/** The request an error came from, with every secret already redacted. */
export interface RedactedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Base class of every error the connector throws.
 * @example
 * try { await client.segmentation({ event: "Signup", from_date: "2024-01-01", to_date: "2024-01-31" }); }
 * catch (error) { if (error instanceof MixpanelError) console.error(error.message); }
 */
export class MixpanelError extends Error {
  override name = "MixpanelError";
  /** The redacted request, when the error happened while calling Mixpanel. */
  readonly request: RedactedRequest | undefined;
  constructor(message: string, options: { cause?: unknown; request?: RedactedRequest } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.request = options.request;
  }
}

/** Inputs or options that fail validation before anything is sent (names the bad key). */
export class ValidationError extends MixpanelError {
  override name = "ValidationError";
}

/**
 * Mixpanel answered with a non-2xx status. `body` is Mixpanel's error body (parsed JSON when it was
 * JSON, otherwise text), e.g. `{"request": "/api/query/...", "error": "..."}` on the Query API or
 * `{"code": 400, "error": "...", "status": "Bad Request"}` on ingestion.
 */
export class MixpanelHttpError extends MixpanelError {
  override name = "MixpanelHttpError";
  readonly status: number;
  /** Mixpanel's machine-readable code when the body carries one (`code`, `type` or `status`). */
  readonly code: string | undefined;
  /** A request id from the response headers, for Mixpanel support. */
  readonly requestId: string | undefined;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
  constructor(
    message: string,
    init: {
      status: number;
      body: unknown;
      headers?: Record<string, string>;
      request?: RedactedRequest;
      code?: string | undefined;
    },
  ) {
    super(message, init.request === undefined ? {} : { request: init.request });
    this.status = init.status;
    this.body = init.body;
    this.headers = init.headers ?? {};
    this.code = init.code;
    this.requestId = this.headers["x-request-id"] ?? this.headers["x-mp-request-id"];
  }
}

/** 401: wrong or missing credentials. */
export class AuthenticationError extends MixpanelHttpError {
  override name = "AuthenticationError";
}
/** 403: the credential is valid but lacks the project role (e.g. a consumer exporting raw data). */
export class PermissionError extends MixpanelHttpError {
  override name = "PermissionError";
}
/** 400, 404 and other 4xx: Mixpanel rejected the request; retrying it unchanged will not help. */
export class InvalidRequestError extends MixpanelHttpError {
  override name = "InvalidRequestError";
}
/** 413: the body is over Mixpanel's limit (10 MB uncompressed for /import). */
export class PayloadTooLargeError extends InvalidRequestError {
  override name = "PayloadTooLargeError";
}
/** 429: rate limited. `retryAfterMs` comes from `Retry-After` when Mixpanel sends it. */
export class RateLimitError extends MixpanelHttpError {
  override name = "RateLimitError";
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    init: ConstructorParameters<typeof MixpanelHttpError>[1] & { retryAfterMs?: number | undefined },
  ) {
    super(message, init);
    this.retryAfterMs = init.retryAfterMs;
  }
}
/** 5xx: Mixpanel failed; safe to retry idempotent requests. */
export class ServerError extends MixpanelHttpError {
  override name = "ServerError";
}
/** The request never got an HTTP response (DNS, refused connection, reset). */
export class NetworkError extends MixpanelError {
  override name = "NetworkError";
}
/** No response within `timeoutMs`. */
export class TimeoutError extends MixpanelError {
  override name = "TimeoutError";
  readonly timeoutMs: number;
  constructor(timeoutMs: number, options: { request?: RedactedRequest } = {}) {
    super(`Request timed out after ${timeoutMs} ms`, options);
    this.timeoutMs = timeoutMs;
  }
}

/**
 * Ingestion answered 200 (or strict 400) but accepted no record: `{"status": 0, "error": "..."}` on
 * /track and /engage, or every record listed in `failed_records` on /import. Mixpanel keeps HTTP 200
 * for validation failures on /track and /engage (docs: reference/track-event), so without this class
 * such a call would look like success.
 */
export class IngestionRejectedError extends InvalidRequestError {
  override name = "IngestionRejectedError";
}

function pickMessage(body: unknown, status: number): string {
  if (typeof body === "string" && body.trim() !== "") return body.trim().slice(0, 500);
  if (body !== null && typeof body === "object") {
    const record = body as Record<string, unknown>;
    for (const key of ["error", "message", "detail"]) {
      const value = record[key];
      if (typeof value === "string" && value !== "") return value;
    }
  }
  return `HTTP ${status}`;
}

function pickCode(body: unknown): string | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const record = body as Record<string, unknown>;
  for (const key of ["code", "type", "status"]) {
    const value = record[key];
    if (typeof value === "string" || typeof value === "number") return String(value);
  }
  return undefined;
}

/**
 * Builds the right error subclass for a non-2xx response.
 * @example
 * const error = errorFromResponse({ status: 429, body: { error: "slow down" }, retryAfterMs: 2000 });
 * error instanceof RateLimitError; // true
 */
export function errorFromResponse(init: {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  request?: RedactedRequest;
  retryAfterMs?: number | undefined;
}): MixpanelHttpError {
  const { status, body } = init;
  const message = `Mixpanel ${status}: ${pickMessage(body, status)}`;
  const args = { ...init, code: pickCode(body) };
  if (status === 401) return new AuthenticationError(message, args);
  if (status === 403) return new PermissionError(message, args);
  if (status === 413) return new PayloadTooLargeError(message, args);
  if (status === 429) return new RateLimitError(message, args);
  if (status >= 500) return new ServerError(message, args);
  if (status >= 400) return new InvalidRequestError(message, args);
  return new MixpanelHttpError(message, args);
}
