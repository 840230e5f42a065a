import type { ImportOptions, ImportOutcome } from "./import-batch.js";

/** A job for an ingest worker: one `/import` body. */
export interface ImportJobMessage {
  readonly id: number;
  readonly body: Uint8Array;
  readonly opts: ImportOptions;
}

/** An ingest worker's answer: the outcome, or the message of an unexpected error. */
export type ImportJobReply =
  | { readonly id: number; readonly outcome: ImportOutcome }
  | { readonly id: number; readonly error: string };
