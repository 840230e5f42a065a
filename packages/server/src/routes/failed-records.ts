import type { Rejection } from "@mpkit/ingest";

/** One entry of Mixpanel's `failed_records`. */
export interface FailedRecord {
  readonly index: number;
  readonly insert_id: string;
  readonly $insert_id: string;
  readonly field: string;
  readonly message: string;
}

/**
 * Builds a `failed_records` entry. Mixpanel's OpenAPI spec names the id `insert_id` while its docs'
 * example uses `$insert_id`, and clients read either (mixpanel-go vs rudder-transformer), so both are
 * sent.
 */
export function failedRecord(index: number, raw: unknown, rejection: Rejection): FailedRecord {
  const props = (raw as { properties?: { $insert_id?: unknown } } | null)?.properties;
  const insertId = typeof props?.$insert_id === "string" ? props.$insert_id : "";
  return {
    index,
    insert_id: insertId,
    $insert_id: insertId,
    field: rejection.field,
    message: rejection.message,
  };
}

/** The strict-mode 400 body of `/import` (https://docs.mixpanel.com/reference/import-events). */
export function strictFailureBody(failed: readonly FailedRecord[], imported: number) {
  return {
    code: 400,
    error: "some data points in the request failed validation",
    failed_records: failed,
    num_records_imported: imported,
    status: "Bad Request",
  };
}
