import {
  carriesIdentity,
  DecodeError,
  type IdentityFacts,
  type IdentityMode,
  parseRecords,
  validateEvent,
  writeProperties,
} from "@mpkit/ingest";
import { type EventBatch, EventBatchBuilder } from "@mpkit/storage";
import { type FailedRecord, failedRecord } from "../routes/failed-records.js";

/** How one `/import` request's records are validated (plain data: it crosses to worker threads). */
export interface ImportOptions {
  readonly strict: boolean;
  readonly identityMode: IdentityMode;
  readonly receivedAtMs: number;
  readonly apiHost: string;
  readonly clientIp: string | undefined;
  /** More records than this is a 413 before any is validated. */
  readonly maxRecords: number;
}

/** The validated form of one `/import` body. */
export type ImportOutcome =
  | { readonly kind: "undecodable"; readonly error: string }
  | { readonly kind: "too-many" }
  | {
      readonly kind: "ok";
      /** The valid events, packed for storage. */
      readonly batch: EventBatch;
      /** The valid events that can change identity clusters (usually none). */
      readonly identity: IdentityFacts[];
      /** Mixpanel's `failed_records` entries for the invalid ones. */
      readonly failed: FailedRecord[];
    };

/**
 * Validates decoded `/import` records: Mixpanel's per-record rules ({@link validateEvent}), packed as
 * they pass into one {@link EventBatch}, each event's properties serialized straight into the batch.
 *
 * @example
 * ```ts
 * const outcome = normalizeImport([{ event: "a", properties: { time: 1724000000, distinct_id: "u" } }], opts);
 * ```
 */
export function normalizeImport(records: readonly unknown[], opts: ImportOptions): ImportOutcome {
  if (records.length > opts.maxRecords) return { kind: "too-many" };
  const ctx = {
    endpoint: "import" as const,
    strict: opts.strict,
    identityMode: opts.identityMode,
    receivedAtMs: opts.receivedAtMs,
    apiHost: opts.apiHost,
    clientIp: opts.clientIp,
  };
  const builder = new EventBatchBuilder(records.length);
  const identity: IdentityFacts[] = [];
  const failed: FailedRecord[] = [];
  for (let index = 0; index < records.length; index++) {
    const raw = records[index];
    const r = validateEvent(raw, ctx);
    if (r.kind === "ok") {
      const e = r.value;
      writeProperties(builder.addEvent(e.event, e.timeMs, e.distinctId, e.dedupeKey), e);
      if (carriesIdentity(opts.identityMode, e)) {
        identity.push({ event: e.event, distinctId: e.distinctId, identity: e.identity });
      }
    } else if (r.kind === "reject") failed.push(failedRecord(index, raw, r.rejection));
  }
  return { kind: "ok", batch: builder.finish(), identity, failed };
}

/**
 * Decodes a JSON array or NDJSON `/import` body (already un-gzipped) and validates its records: the
 * whole CPU cost of a request, done in an ingest worker for large bodies.
 */
export function decodeAndNormalizeImport(body: Uint8Array, opts: ImportOptions): ImportOutcome {
  let records: unknown[];
  try {
    records = parseRecords(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8"));
  } catch (error) {
    if (error instanceof DecodeError) return { kind: "undecodable", error: error.message };
    throw error;
  }
  return normalizeImport(records, opts);
}
