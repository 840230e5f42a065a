export type { EventColumns, StorageAdapter, WriteTransaction } from "./adapter.js";
export { batchKey, type EventBatch, EventBatchBuilder, packEvents } from "./event-batch.js";
export type {
  EventRecord,
  ExportQuery,
  ExportRow,
  IdentityLink,
  ProfileKey,
  ProfileRecord,
} from "./records.js";
