import { IngestionRejectedError, type RedactedRequest } from "./errors.js";

/** One record Mixpanel refused, with its position in what you sent. */
export interface FailedRecord {
  /** Index in the records given to the call (across batches for `importEvents`). */
  readonly index: number;
  readonly insert_id?: string | undefined;
  /** The offending field, e.g. `properties.time`. */
  readonly field?: string | undefined;
  readonly message: string;
}

/**
 * Outcome of an ingestion call. Mixpanel answers 200 even when /track or /engage rejected the data,
 * and strict /import answers 400 while still importing the valid records (docs: reference/import-events),
 * so the outcome is read from the body, never from the status alone.
 */
export interface IngestResult {
  /** True when every record was accepted. */
  readonly ok: boolean;
  /** Records Mixpanel accepted, when it says (`num_records_imported`), otherwise inferred. */
  readonly accepted: number;
  readonly failed: readonly FailedRecord[];
  /** Mixpanel's error message, if any. */
  readonly error: string | null;
  /** The raw response body. */
  readonly raw: unknown;
}

function failedRecords(value: unknown, offset: number): FailedRecord[] {
  if (!Array.isArray(value)) return [];
  return value.map((item: Record<string, unknown>) => ({
    index: offset + (typeof item["index"] === "number" ? item["index"] : 0),
    // Mixpanel's spec names it `insert_id`, its narrative docs `$insert_id`; read both.
    insert_id: (item["$insert_id"] ?? item["insert_id"]) as string | undefined,
    field: item["field"] as string | undefined,
    message: String(item["message"] ?? "rejected"),
  }));
}

/**
 * Normalises an ingestion response body (`1`/`0`, verbose `{status, error}`, or strict /import JSON)
 * and throws `IngestionRejectedError` when nothing was accepted.
 * @example
 * readIngestResult({ code: 200, num_records_imported: 2, status: "OK" }, 2).ok; // true
 */
export function readIngestResult(
  body: unknown,
  recordCount: number,
  options: { offset?: number; status?: number; request?: RedactedRequest; throwOnRejection?: boolean } = {},
): IngestResult {
  const offset = options.offset ?? 0;
  let result: IngestResult;
  if (body === 1 || body === "1")
    result = { ok: true, accepted: recordCount, failed: [], error: null, raw: body };
  else if (body === 0 || body === "0") {
    result = {
      ok: false,
      accepted: 0,
      failed: allFailed(recordCount, offset, "rejected (Mixpanel answered 0)"),
      error: "0",
      raw: body,
    };
  } else if (body !== null && typeof body === "object") {
    const record = body as Record<string, unknown>;
    const failed = failedRecords(record["failed_records"], offset);
    const error = typeof record["error"] === "string" ? record["error"] : null;
    const imported = record["num_records_imported"];
    const statusZero = record["status"] === 0 || record["status"] === "0";
    const accepted =
      typeof imported === "number" ? imported : statusZero ? 0 : Math.max(0, recordCount - failed.length);
    const allRejected = statusZero && failed.length === 0;
    result = {
      ok: !statusZero && failed.length === 0 && error === null,
      accepted,
      failed: allRejected ? allFailed(recordCount, offset, error ?? "rejected") : failed,
      error,
      raw: body,
    };
  } else {
    result = {
      ok: false,
      accepted: 0,
      failed: allFailed(recordCount, offset, `unexpected response ${String(body)}`),
      error: String(body),
      raw: body,
    };
  }
  if (options.throwOnRejection !== false && !result.ok && result.accepted === 0 && recordCount > 0) {
    throw new IngestionRejectedError(
      `Mixpanel accepted none of ${recordCount} record(s): ${result.error ?? result.failed[0]?.message ?? "rejected"}`,
      {
        status: options.status ?? 200,
        body,
        ...(options.request === undefined ? {} : { request: options.request }),
      },
    );
  }
  return result;
}

function allFailed(count: number, offset: number, message: string): FailedRecord[] {
  return Array.from({ length: count }, (_, index) => ({ index: offset + index, message }));
}
