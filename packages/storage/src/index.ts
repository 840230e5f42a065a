export type { EventColumns, StorageAdapter, WriteTransaction } from "./adapter.js";
export type {
  EventRecord,
  ExportQuery,
  ExportRow,
  IdentityLink,
  ProfileKey,
  ProfileRecord,
} from "./records.js";
