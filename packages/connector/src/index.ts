// Public surface of @mpkit/connector. Node-only file readers live in "@mpkit/connector/node".
export type {
  ActionDef,
  BodyEncoding,
  BuildContext,
  CredentialKind,
  HttpMethod,
  ResponseType,
  WireParts,
  WireValue,
} from "./catalog/define.js";
export { type CatalogAction, catalog, families, familyOf, findAction } from "./catalog/index.js";
export {
  type ActionMethods,
  type ClientOptions,
  createClient,
  type MixpanelClient,
  type ResultOf,
} from "./client.js";
export { type Connection, credentialLabel } from "./connection.js";
export { renderActionsMarkdown } from "./docs/actions-markdown.js";
export { exampleInput } from "./docs/example-input.js";
export {
  AuthenticationError,
  errorFromResponse,
  IngestionRejectedError,
  InvalidRequestError,
  MixpanelError,
  MixpanelHttpError,
  NetworkError,
  PayloadTooLargeError,
  PermissionError,
  RateLimitError,
  type RedactedRequest,
  ServerError,
  TimeoutError,
  ValidationError,
} from "./errors.js";
export {
  baseUrlFor,
  type HostFamily,
  type HostOptions,
  hostFamilies,
  parseRegion,
  type Region,
} from "./http/hosts.js";
export {
  REDACTED,
  redactBodyText,
  redactHeaders,
  redactJson,
  redactRequest,
  redactUrl,
} from "./http/redact.js";
export type { HttpResponse, RequestSettings } from "./http/request.js";
export { defaultRetryOptions, type RetryOptions, retryDelay, shouldRetry } from "./http/retry.js";
export { parseRetryAfter } from "./http/retry-after.js";
export type { ImportOptions, ImportProgress, ImportReport } from "./import/import-events.js";
export { ImportError } from "./import/import-events.js";
export { insertIdFor } from "./import/insert-id.js";
export { type RecordFormat, readRecords } from "./import/read-records.js";
export type { FailedRecord, IngestResult } from "./ingest-result.js";
export type { ExportedEvent } from "./pagination.js";
export { encodeWireValue, type PreparedRequest, prepareRequest } from "./prepare.js";
export type { Field, InputOf, Inputs, JsonRecord, JsonValue, RecordSource } from "./schema.js";
