import type { Context } from "hono";
import type { ServerContext } from "../context.js";
import { DAY_MS, parseDate, todayIn } from "../dates.js";
import { authenticateRead, requestLine } from "../http/auth.js";
import { readSmallBody } from "../http/body.js";
import { queryError } from "../http/errors.js";
import { flag, requestParams } from "../http/params.js";

/** Mixpanel caps `limit` at 100,000 events. */
const MAX_LIMIT = 100_000;

/**
 * `GET /api/2.0/export`: raw events as JSONL (https://developer.mixpanel.com/reference/raw-event-export).
 * Streamed with back-pressure (memory bounded by a couple of storage chunks), gzip when the client
 * accepts it. Dates are read in UTC, as Mixpanel does for projects created after 2023-01-01. Not
 * de-duplicated at read time: storage already keeps one copy per `$insert_id` key.
 */
export async function handleExport(c: Context, ctx: ServerContext): Promise<Response> {
  const url = new URL(c.req.url);
  const body = await readSmallBody(c.req.raw, ctx.limits.maxBodyBytes);
  const params = requestParams(url, body, c.req.header("content-type") ?? "");
  const project = authenticateRead(c, ctx.tenants, params, "analyst");
  const request = requestLine(c);
  const bad = (message: string) => queryError(400, request, message);

  const fromText = params.get("from_date");
  const toText = params.get("to_date");
  if (fromText === undefined) throw bad("'from_date' is a required parameter");
  if (toText === undefined) throw bad("'to_date' is a required parameter");
  const fromMs = parseDate(fromText);
  const toMs = parseDate(toText);
  if (fromMs === undefined)
    throw bad(`'from_date' is invalid: expected yyyy-mm-dd, got ${JSON.stringify(fromText)}`);
  if (toMs === undefined)
    throw bad(`'to_date' is invalid: expected yyyy-mm-dd, got ${JSON.stringify(toText)}`);
  // Dates are read in UTC (below), so "today" is UTC's too: judged in a zone behind UTC, the newest
  // events could not be exported at all in the hours when UTC is already on the next day.
  if (toText.trim() > todayIn("UTC", ctx.now())) throw bad("to_date cannot be later than today");
  if (fromMs > toMs) throw bad("'from_date' cannot be later than 'to_date'");

  let events: string[] | undefined;
  const eventParam = params.get("event");
  if (eventParam !== undefined && eventParam !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(eventParam);
    } catch {
      throw bad(`'event' must be a JSON array of event names, e.g. ["Signed Up"]`);
    }
    if (!Array.isArray(parsed) || parsed.some((e) => typeof e !== "string")) {
      throw bad(`'event' must be a JSON array of event names, e.g. ["Signed Up"]`);
    }
    events = parsed as string[];
  }
  let limit: number | undefined;
  const limitParam = params.get("limit");
  if (limitParam !== undefined && limitParam !== "") {
    limit = Number(limitParam);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw bad(`'limit' must be an integer from 1 to ${MAX_LIMIT}`);
    }
  }
  const whereParam = params.get("where");
  let where: ReturnType<ServerContext["where"]> | undefined;
  if (whereParam !== undefined && whereParam.trim() !== "") {
    try {
      where = ctx.where(whereParam, project.timezone);
    } catch (error) {
      throw bad(`'where' is invalid: ${(error as Error).message}`);
    }
  }
  const timeInMs = flag(params.get("time_in_ms"));

  const chunks = ctx.storage
    .exportLines({ projectId: project.id, fromMs, toMs: toMs + DAY_MS, events, limit }, where, { timeInMs })
    [Symbol.asyncIterator]();
  // Run the query before answering: a failure then becomes an error status, not a 200 whose body breaks.
  let first: IteratorResult<Uint8Array> | undefined;
  try {
    first = await chunks.next();
  } catch (error) {
    if (where !== undefined) throw bad(`'where' is invalid: ${(error as Error).message}`);
    throw error;
  }
  let stream: ReadableStream<Uint8Array> = new ReadableStream<Uint8Array>(
    {
      // Pull-based: the next chunk is read from storage only when the client has taken the last one,
      // so memory stays bounded however large the export.
      async pull(controller) {
        const next = first ?? (await chunks.next());
        first = undefined;
        if (next.done === true) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await chunks.return?.();
      },
      // Keep the next chunk (DuckDB: one slice, ~16 MB) ready while the socket drains the previous one,
      // so reading storage and writing to the client overlap instead of taking turns.
    },
    new CountQueuingStrategy({ highWaterMark: 1 }),
  );
  const headers: Record<string, string> = { "content-type": "text/plain; charset=utf-8" };
  if (/\bgzip\b/i.test(c.req.header("accept-encoding") ?? "")) {
    stream = stream.pipeThrough(
      new CompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>,
    );
    headers["content-encoding"] = "gzip";
  }
  return new Response(stream, { headers });
}
