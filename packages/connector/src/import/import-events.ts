import type { ActionDef } from "../catalog/define.js";
import type { Connection } from "../connection.js";
import { IngestionRejectedError, MixpanelError } from "../errors.js";
import { type RequestSettings, type Runtime, send } from "../http/request.js";
import { type FailedRecord, readIngestResult } from "../ingest-result.js";
import { type PreparedRequest, prepareRequest } from "../prepare.js";
import type { JsonRecord, RecordSource } from "../schema.js";
import {
  type Batch,
  Batcher,
  MAX_BATCH_BYTES,
  MAX_BATCH_EVENTS,
  MAX_EVENT_BYTES,
  utf8Length,
} from "./batcher.js";
import { ensureInsertId } from "./insert-id.js";

/** Counters reported while an import runs. */
export interface ImportProgress {
  /** Records read from the source so far. */
  readonly read: number;
  /** Records in batches Mixpanel has answered. */
  readonly sent: number;
  readonly accepted: number;
  readonly failed: number;
  readonly batches: number;
  /** Uncompressed JSON bytes sent. */
  readonly bytes: number;
}

/** The outcome of `importEvents`: every record is either accepted or listed in `failed`. */
export interface ImportReport extends ImportProgress {
  /** True when every record was accepted. */
  readonly ok: boolean;
  readonly failedRecords: readonly FailedRecord[];
}

/** Options of `importEvents` that do not reach the wire. */
export interface ImportOptions extends RequestSettings {
  /** Called after each batch is answered. */
  onProgress?: ((progress: ImportProgress) => void) | undefined;
  /**
   * Keep at most this many failed records in the report (the count stays exact).
   * @default 10000
   */
  maxReportedFailures?: number | undefined;
  /** @default 10485760 (Mixpanel's 10 MB) */
  maxBatchBytes?: number | undefined;
}

/** A whole batch failed at the HTTP level after retries; `report` says what got in before. */
export class ImportError extends MixpanelError {
  override name = "ImportError";
  readonly report: ImportReport;
  constructor(message: string, report: ImportReport, cause: unknown) {
    super(message, { cause });
    this.report = report;
  }
}

interface ImportInput {
  events: RecordSource;
  batch_size?: number;
  concurrency?: number;
  [key: string]: unknown;
}

/**
 * Streams records from any (async) iterable into /import: serialized once, `$insert_id` fixed before
 * the first attempt, packed into ≤2000-event/≤10 MB batches, gzipped, sent with bounded concurrency.
 * Memory stays at about `concurrency + 1` batches whatever the input size.
 */
export async function importEvents(
  action: ActionDef,
  input: ImportInput,
  connection: Connection,
  runtime: Runtime,
  options: ImportOptions & { defaults?: RequestSettings } = {},
): Promise<ImportReport> {
  const { events, ...wireInput } = input;
  const batchSize = Math.min(input.batch_size ?? MAX_BATCH_EVENTS, MAX_BATCH_EVENTS);
  const concurrency = Math.max(1, input.concurrency ?? 4);
  // One template request (auth, URL, headers); each batch only swaps the body.
  const template: PreparedRequest = prepareRequest(action, { ...wireInput, events: [] }, connection);
  const maxReported = options.maxReportedFailures ?? 10_000;
  const failedRecords: FailedRecord[] = [];
  const counters = { read: 0, sent: 0, accepted: 0, failed: 0, batches: 0, bytes: 0 };
  const fail = (records: FailedRecord[]): void => {
    counters.failed += records.length;
    for (const record of records) if (failedRecords.length < maxReported) failedRecords.push(record);
  };
  const report = (): ImportReport => ({
    ...counters,
    ok: counters.failed === 0,
    failedRecords: [...failedRecords],
  });

  const inFlight = new Set<Promise<void>>();
  let fatal: unknown;
  const dispatch = async (batch: Batch): Promise<void> => {
    const request = { ...template, body: `[${batch.lines.join(",")}]` };
    const count = batch.lines.length;
    try {
      const response = await send(
        request,
        options,
        runtime,
        (status, body) => status === 400 && hasFailedRecords(body),
      );
      const result = readIngestResult(response.data, count, {
        offset: batch.offset,
        status: response.status,
        throwOnRejection: false,
      });
      counters.accepted += result.accepted;
      fail([...result.failed]);
    } catch (error) {
      if (error instanceof IngestionRejectedError)
        fail(failedOf(error.body, count, batch.offset, error.message));
      else fatal ??= error;
    }
    counters.sent += count;
    counters.batches += 1;
    counters.bytes += batch.bytes;
    options.onProgress?.({ ...counters });
  };
  const launch = async (batch: Batch): Promise<void> => {
    const promise = dispatch(batch).finally(() => inFlight.delete(promise));
    inFlight.add(promise);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  };

  const batcher = new Batcher(batchSize, options.maxBatchBytes ?? MAX_BATCH_BYTES);
  let index = 0;
  for await (const record of events as AsyncIterable<JsonRecord>) {
    if (fatal !== undefined) break;
    options.signal?.throwIfAborted();
    const position = index++;
    counters.read = index;
    const line = JSON.stringify(ensureInsertId(record));
    const bytes = utf8Length(line);
    if (bytes > MAX_EVENT_BYTES) {
      fail([{ index: position, message: `event is ${bytes} bytes; Mixpanel's limit is 1 MB` }]);
      continue;
    }
    for (const full of batcher.add(line, bytes, position)) await launch(full);
  }
  const last = batcher.flush();
  if (last !== undefined && fatal === undefined) await launch(last);
  await Promise.all(inFlight);
  if (fatal !== undefined) {
    throw new ImportError(`Import stopped: ${(fatal as Error).message ?? String(fatal)}`, report(), fatal);
  }
  return report();
}

function hasFailedRecords(body: unknown): boolean {
  return (
    body !== null &&
    typeof body === "object" &&
    Array.isArray((body as Record<string, unknown>)["failed_records"])
  );
}

function failedOf(body: unknown, count: number, offset: number, message: string): FailedRecord[] {
  try {
    return [...readIngestResult(body, count, { offset, throwOnRejection: false }).failed];
  } catch {
    return Array.from({ length: count }, (_, i) => ({ index: offset + i, message }));
  }
}
