import type { ResponseType } from "../catalog/define.js";
import { errorFromResponse, MixpanelError, NetworkError, TimeoutError } from "../errors.js";
import type { PreparedRequest } from "../prepare.js";
import { type Compressor, gzip } from "./gzip.js";
import { redactBodyText, redactRequest } from "./redact.js";
import { type RetryOptions, resolveRetryOptions, retryDelay, shouldRetry } from "./retry.js";
import { parseRetryAfter } from "./retry-after.js";
import { attemptSignal, sleep } from "./timeout.js";

/** Per-call settings; the same keys on the client set the defaults. */
export interface RequestSettings {
  /**
   * Per-attempt time limit for the response (for streams: until the headers arrive). Mixpanel stops
   * JQL scripts after 2 minutes (docs: reference/query-jql), so the default waits that long.
   * @default 120000
   */
  timeoutMs?: number | undefined;
  /** Retry policy, a max retry count, or `false` for no retries. @default see `RetryOptions` */
  retry?: RetryOptions | number | false | undefined;
  /** Cancels the call, including any backoff wait. */
  signal?: AbortSignal | undefined;
  /** Overrides the action's response type. */
  responseType?: ResponseType | undefined;
}

/** Runtime seams (stripe's `HttpClient`, the MCP SDK's `FetchLike`). */
export interface Runtime {
  fetch: typeof fetch;
  compress: Compressor;
  debug: ((line: string) => void) | undefined;
}

export interface HttpResponse<T = unknown> {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly data: T;
}

/** Defaults for `Runtime`. */
export function defaultRuntime(overrides: Partial<Runtime> = {}): Runtime {
  return {
    fetch: overrides.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    compress: overrides.compress ?? gzip,
    debug: overrides.debug,
  };
}

function headerRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

function parseBody(text: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function readData(response: Response, type: ResponseType): Promise<unknown> {
  if (type === "stream") return response.body;
  if (type === "binary") return new Uint8Array(await response.arrayBuffer());
  const text = await response.text();
  return type === "text" ? text : parseBody(text);
}

/**
 * Sends a prepared request with timeout, abort, retries (honouring `Retry-After`) and debug logging.
 * `accept` lets a status count as an answer rather than an error (strict /import's 400 that lists
 * per-record failures while still importing the valid records).
 */
export async function send(
  request: PreparedRequest,
  settings: RequestSettings & { defaults?: RequestSettings },
  runtime: Runtime,
  accept: (status: number, body: unknown) => boolean = () => false,
): Promise<HttpResponse> {
  const retry = resolveRetryOptions(settings.defaults?.retry, settings.retry);
  const timeoutMs = settings.timeoutMs ?? settings.defaults?.timeoutMs ?? 120_000;
  const responseType = settings.responseType ?? settings.defaults?.responseType ?? "json";
  const signal = settings.signal ?? settings.defaults?.signal;
  const redacted = redactRequest(request, request.secrets);
  const headers = { ...request.headers };
  let body: BodyInit | undefined = request.body;
  if (request.gzip && request.body !== undefined) {
    body = (await runtime.compress(new TextEncoder().encode(request.body))) as BodyInit;
    headers["content-encoding"] = "gzip";
  }
  for (let attempt = 0; ; attempt++) {
    const started = Date.now();
    if (runtime.debug !== undefined) {
      const bodyText =
        request.body === undefined
          ? ""
          : ` ${redactBodyText(request.body.slice(0, 2000), headers["content-type"], request.secrets)}`;
      runtime.debug(`→ ${redacted.method} ${redacted.url} ${JSON.stringify(redacted.headers)}${bodyText}`);
    }
    const attemptAbort = attemptSignal(timeoutMs, signal);
    let error: unknown;
    try {
      const response = await runtime.fetch(request.url, {
        method: request.method,
        headers,
        body,
        signal: attemptAbort.signal,
      });
      const responseHeaders = headerRecord(response.headers);
      runtime.debug?.(`← ${response.status} ${request.method} ${redacted.url} in ${Date.now() - started} ms`);
      if (response.ok) {
        const data = await readData(response, responseType);
        if (responseType === "stream") attemptAbort.stopTimer();
        else attemptAbort.clear();
        return { status: response.status, headers: responseHeaders, data };
      }
      const errorBody = parseBody(await response.text());
      attemptAbort.clear();
      if (accept(response.status, errorBody))
        return { status: response.status, headers: responseHeaders, data: errorBody };
      error = errorFromResponse({
        status: response.status,
        body: errorBody,
        headers: responseHeaders,
        request: redacted,
        retryAfterMs: parseRetryAfter(responseHeaders["retry-after"]),
      });
    } catch (caught) {
      attemptAbort.clear();
      if (signal?.aborted) throw signal.reason;
      if (attemptAbort.timedOut()) error = new TimeoutError(timeoutMs, { request: redacted });
      else if (caught instanceof MixpanelError) error = caught;
      else
        error = new NetworkError(
          `Network error calling ${redacted.url}: ${(caught as Error)?.message ?? caught}`,
          { cause: caught, request: redacted },
        );
    }
    const delay = shouldRetry(error, attempt, retry, request.idempotent)
      ? retryDelay(error, attempt, retry)
      : undefined;
    if (delay === undefined) throw error;
    runtime.debug?.(
      `↻ retry ${attempt + 1}/${retry.maxRetries} in ${delay} ms after ${(error as Error).message}`,
    );
    await sleep(delay, signal);
  }
}
