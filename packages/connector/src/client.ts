import type { ActionDef } from "./catalog/define.js";
import { type CatalogAction, catalog, findAction } from "./catalog/index.js";
import type { Connection } from "./connection.js";
import { ValidationError } from "./errors.js";
import type { Compressor } from "./http/gzip.js";
import { defaultRuntime, type HttpResponse, type RequestSettings, send } from "./http/request.js";
import type { RetryOptions } from "./http/retry.js";
import { type ImportOptions, type ImportReport, importEvents } from "./import/import-events.js";
import { type IngestResult, readIngestResult } from "./ingest-result.js";
import { type ExportedEvent, engageProfiles, exportEvents } from "./pagination.js";
import { type PreparedRequest, prepareRequest } from "./prepare.js";
import type { InputOf, JsonRecord } from "./schema.js";

/** Options of `createClient`: a connection plus defaults for every call. */
export interface ClientOptions extends Connection {
  /** Custom `fetch` (tests, proxies, edge runtimes). @default globalThis.fetch */
  fetch?: typeof fetch | undefined;
  /** Gzip implementation for /import bodies. @default CompressionStream("gzip") */
  compress?: Compressor | undefined;
  /** Log each request and response, secrets redacted; `true` logs to `console.error`. @default false */
  debug?: boolean | ((line: string) => void) | undefined;
  /** Per-attempt timeout in ms. @default 120000 */
  timeoutMs?: number | undefined;
  /** Default retry policy. @default { maxRetries: 3, initialDelayMs: 2000, maxDelayMs: 60000 } */
  retry?: RetryOptions | number | false | undefined;
}

const allowedOptions = new Set([
  "region",
  "baseUrl",
  "baseUrls",
  "serviceAccount",
  "apiSecret",
  "token",
  "oauthToken",
  "projectId",
  "workspaceId",
  "fetch",
  "compress",
  "debug",
  "timeoutMs",
  "retry",
]);

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/** What a call resolves to, by the action's kind. Query answers are Mixpanel's JSON, left untyped. */
export type ResultOf<A> = A extends { readonly rawResponse: true }
  ? HttpResponse
  : A extends { readonly ingestion: true }
    ? IngestResult
    : A extends { readonly response: "stream" }
      ? ReadableStream<Uint8Array>
      : A extends { readonly response: "text" }
        ? string
        : A extends { readonly response: "binary" }
          ? Uint8Array
          : unknown;

type Method<A extends CatalogAction> =
  Record<never, never> extends InputOf<A["inputs"]>
    ? (input?: InputOf<A["inputs"]>, settings?: RequestSettings) => Promise<ResultOf<A>>
    : (input: InputOf<A["inputs"]>, settings?: RequestSettings) => Promise<ResultOf<A>>;

/** One typed method per catalog action, named by the camelCase of its key. */
export type ActionMethods = { [A in CatalogAction as CamelCase<A["key"]>]: Method<A> };

type InputFor<K extends string> = InputOf<Extract<CatalogAction, { key: K }>["inputs"]>;

/** The client: every catalog action as a method, plus streaming helpers. */
export interface MixpanelClient extends Omit<ActionMethods, "importEvents"> {
  /** Streams events into /import; see `ImportOptions`. Resolves when every batch is answered. */
  importEvents(input: InputFor<"import-events">, options?: ImportOptions): Promise<ImportReport>;
  /** Raw export as an async iterator of events, streamed in constant memory. */
  exportEvents(input: InputFor<"download-data">, settings?: RequestSettings): AsyncGenerator<ExportedEvent>;
  /** Every profile matching a Query Profiles filter, paged automatically. */
  profiles(input?: InputFor<"query-profiles">, settings?: RequestSettings): AsyncGenerator<JsonRecord>;
  /** Calls an action by key (untyped; the CLI uses this). */
  call(key: string, input?: unknown, settings?: RequestSettings): Promise<unknown>;
  /** Builds the exact request without sending it (`--dry-run`). */
  prepare(key: string, input?: unknown): PreparedRequest;
  /** The catalog this client was built from. */
  readonly actions: readonly ActionDef[];
}

function resolveDebug(debug: ClientOptions["debug"]): ((line: string) => void) | undefined {
  if (debug === true) return (line) => console.error(`[mpkit] ${line}`);
  return typeof debug === "function" ? debug : undefined;
}

function camel(key: string): string {
  return key.replace(/-([a-z0-9])/g, (_, char: string) => char.toUpperCase());
}

function countRecords(request: PreparedRequest): number {
  if (request.body === undefined) return 0;
  if (request.headers["content-type"]?.includes("form")) return 1;
  try {
    const parsed: unknown = JSON.parse(request.body);
    return Array.isArray(parsed) ? parsed.length : 1;
  } catch {
    return 1;
  }
}

/**
 * Creates a Mixpanel client. Every catalog action is a typed method.
 * @example
 * const mixpanel = createClient({ serviceAccount: { username, secret }, projectId: 12345, region: "EU" });
 * const report = await mixpanel.segmentation({ event: "Signed Up", from_date: "2024-01-01", to_date: "2024-01-31" });
 * for await (const event of mixpanel.exportEvents({ from_date: "2024-01-01", to_date: "2024-01-01" })) console.log(event);
 */
export function createClient(options: ClientOptions = {}): MixpanelClient {
  for (const key of Object.keys(options)) {
    if (!allowedOptions.has(key)) throw new ValidationError(`Unknown client option "${key}"`);
  }
  const runtime = defaultRuntime({
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.compress === undefined ? {} : { compress: options.compress }),
    debug: resolveDebug(options.debug),
  });
  const defaults: RequestSettings = { timeoutMs: options.timeoutMs, retry: options.retry };
  const connection: Connection = options;
  const action = (key: string): ActionDef => {
    const found = findAction(key);
    if (found === undefined) throw new ValidationError(`Unknown action "${key}"`);
    return found;
  };

  const call = async (key: string, input?: unknown, settings: RequestSettings = {}): Promise<unknown> => {
    const definition = action(key);
    const request = prepareRequest(definition, input, connection);
    if (definition.rawResponse) return send(request, { ...settings, defaults }, runtime, () => true);
    const acceptStrictImport = (status: number, body: unknown) =>
      definition.ingestion === true &&
      status === 400 &&
      Array.isArray((body as Record<string, unknown> | null)?.["failed_records"]);
    const response = await send(
      request,
      {
        ...settings,
        defaults,
        ...(definition.response === undefined || settings.responseType !== undefined
          ? {}
          : { responseType: definition.response }),
      },
      runtime,
      acceptStrictImport,
    );
    if (definition.ingestion)
      return readIngestResult(response.data, countRecords(request), { status: response.status });
    return response.data;
  };

  const client: Record<string, unknown> = {
    call,
    prepare: (key: string, input?: unknown) => prepareRequest(action(key), input, connection),
    actions: catalog,
  };
  for (const definition of catalog) {
    client[camel(definition.key)] = (input?: unknown, settings?: RequestSettings) =>
      call(definition.key, input, settings);
  }
  client["importEvents"] = (input: Record<string, unknown>, importOptions: ImportOptions = {}) =>
    importEvents(action("import-events"), input as never, connection, runtime, {
      ...importOptions,
      defaults,
    });
  client["exportEvents"] = (input: Record<string, unknown>, settings: RequestSettings = {}) =>
    exportEvents(action("download-data"), input, connection, runtime, { ...settings, defaults });
  client["profiles"] = (input: Record<string, unknown> = {}, settings: RequestSettings = {}) =>
    engageProfiles(action("query-profiles"), input, connection, runtime, { ...settings, defaults });
  return client as unknown as MixpanelClient;
}
