import type { ActionDef } from "./catalog/define.js";
import type { Connection } from "./connection.js";
import { MixpanelError } from "./errors.js";
import { type RequestSettings, type Runtime, send } from "./http/request.js";
import { splitLines } from "./import/lines.js";
import { prepareRequest } from "./prepare.js";
import type { JsonRecord } from "./schema.js";

/** One exported event: `{ event, properties: { time, distinct_id, $insert_id, ... } }`. */
export interface ExportedEvent {
  event: string;
  properties: JsonRecord;
}

type Settings = RequestSettings & { defaults?: RequestSettings };

/**
 * Streams the raw export line by line: memory holds one line, whatever the date range. Mixpanel may
 * end a cut-off export with the literal line `terminated early` (Airbyte's source-mixpanel handles
 * it); that becomes an error rather than a silently short result.
 */
export async function* exportEvents(
  action: ActionDef,
  input: Record<string, unknown>,
  connection: Connection,
  runtime: Runtime,
  settings: Settings = {},
): AsyncGenerator<ExportedEvent> {
  const request = prepareRequest(action, input, connection);
  const response = await send(request, { ...settings, responseType: "stream" }, runtime);
  const body = response.data as ReadableStream<Uint8Array> | null;
  if (body === null) return;
  let lineNumber = 0;
  for await (const line of splitLines(body)) {
    lineNumber++;
    const text = line.trim();
    if (text === "") continue;
    if (text === "terminated early") {
      throw new MixpanelError("Mixpanel terminated the export early; narrow the date range or add filters");
    }
    try {
      yield JSON.parse(text) as ExportedEvent;
    } catch (error) {
      if (error instanceof SyntaxError)
        throw new MixpanelError(`Export line ${lineNumber} is not JSON: ${text.slice(0, 200)}`);
      throw error;
    }
  }
}

/** One page of /engage. */
interface EngagePage {
  results?: JsonRecord[];
  session_id?: string;
  page?: number;
  page_size?: number;
  total?: number;
}

/**
 * Iterates every profile matching a Query Profiles filter, following `session_id`/`page` (docs:
 * reference/engage-query): one page in memory at a time.
 */
export async function* engageProfiles(
  action: ActionDef,
  input: Record<string, unknown>,
  connection: Connection,
  runtime: Runtime,
  settings: Settings = {},
): AsyncGenerator<JsonRecord> {
  let page = (input["page"] as number | undefined) ?? 0;
  let sessionId = input["session_id"] as string | undefined;
  let seen = 0;
  for (;;) {
    const request = prepareRequest(
      action,
      { ...input, page, ...(sessionId === undefined ? {} : { session_id: sessionId }) },
      connection,
    );
    const response = await send(request, settings, runtime);
    const data = (response.data ?? {}) as EngagePage;
    const results = data.results ?? [];
    yield* results;
    seen += results.length;
    const pageSize = data.page_size ?? 1000;
    const more = data.total === undefined ? results.length >= pageSize : seen < data.total;
    if (results.length === 0 || !more) return;
    sessionId = data.session_id ?? sessionId;
    page = (data.page ?? page) + 1;
  }
}
