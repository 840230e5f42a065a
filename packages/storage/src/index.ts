export type { EventColumns, StorageAdapter, WriteTransaction } from "./adapter.js";
export {
  type EventBatch,
  EventBatchBuilder,
  keyHalves,
  PROPERTIES_SEPARATOR,
  packEvents,
} from "./event-batch.js";
export type {
  EventRecord,
  ExportQuery,
  ExportRow,
  IdentityLink,
  ProfileKey,
  ProfileRecord,
} from "./records.js";
export { Utf8Writer } from "./utf8-writer.js";
