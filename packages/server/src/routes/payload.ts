import { asRecords, DecodeError, decodeData, parseRecords } from "@mpkit/ingest";
import type { Context } from "hono";
import type { ServerContext } from "../context.js";
import { readBody } from "../http/body.js";
import { looksLikeForm, type RequestParams, requestParams } from "../http/params.js";

/** Tab, line feed, carriage return, space: what may precede a JSON value or a form. */
const WHITESPACE = new Set([9, 10, 13, 32]);

/** An ingestion request read but not yet decoded. */
export interface IngestRequest {
  readonly params: RequestParams;
  /** The body when it is a JSON or NDJSON payload rather than a form, still as bytes. */
  readonly jsonBytes: Buffer | undefined;
}

/** A decoded ingestion request. */
export interface IngestPayload {
  readonly params: RequestParams;
  /** The records, or a client-safe reason they could not be decoded. */
  readonly records: unknown[] | { readonly error: string };
  /** True when the records came in a `data=` parameter (the SDKs' legacy form encoding). */
  readonly formEncoded: boolean;
}

/**
 * Reads an ingestion request's parameters: from the query string and, when the body is a form, from
 * the body. A JSON or NDJSON body is kept as bytes so `/import` can decode it off the main thread.
 */
export async function readIngestRequest(c: Context, ctx: ServerContext): Promise<IngestRequest> {
  const url = new URL(c.req.url);
  // base64 adds a third and URL-encoding a little more on top of the decoded limit.
  const body =
    c.req.method === "GET" || c.req.method === "HEAD"
      ? Buffer.alloc(0)
      : await readBody(c.req.raw, Math.ceil(ctx.limits.maxBodyBytes * 1.5), ctx.limits.maxBodyBytes);
  const contentType = c.req.header("content-type") ?? "";
  // A form starts with `name=`; looking at the start is enough to tell, without decoding a large body.
  // A UTF-8 byte-order mark and whitespace may come first (String.prototype.trimStart skipped both).
  let start = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  while (start < body.length && WHITESPACE.has(body[start] as number)) start++;
  const head = body.subarray(start, start + 256).toString("latin1");
  if (head !== "" && (/json/i.test(contentType) || !looksLikeForm(head))) {
    return { params: requestParams(url, "", contentType), jsonBytes: body };
  }
  return { params: requestParams(url, body.toString("utf8"), contentType), jsonBytes: undefined };
}

/** Decodes the records of a request read by {@link readIngestRequest}, in this thread. */
export function decodeIngestRecords(request: IngestRequest): IngestPayload {
  const { params, jsonBytes } = request;
  try {
    const data = params.get("data");
    if (data !== undefined) return { params, records: asRecords(decodeData(data)), formEncoded: true };
    if (jsonBytes !== undefined) {
      return { params, records: parseRecords(jsonBytes.toString("utf8")), formEncoded: false };
    }
    return { params, records: { error: "data, missing or empty" }, formEncoded: true };
  } catch (error) {
    if (error instanceof DecodeError) return { params, records: { error: error.message }, formEncoded: true };
    throw error;
  }
}

/**
 * Reads parameters and records from any of the encodings Mixpanel's clients use: `data=` in the query
 * or a form body (base64 or JSON), or a raw JSON / NDJSON body, possibly gzipped.
 */
export async function readIngestPayload(c: Context, ctx: ServerContext): Promise<IngestPayload> {
  return decodeIngestRecords(await readIngestRequest(c, ctx));
}

/** The client's address: the first `X-Forwarded-For` hop (Mixpanel's proxy recipe forwards it), else the socket. */
export function clientIp(c: Context): string | undefined {
  const forwarded = c.req.header("x-forwarded-for");
  if (forwarded !== undefined && forwarded.trim() !== "") return forwarded.split(",")[0]?.trim();
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

/** The host the client called (without port), recorded as `$mp_api_endpoint`. */
export function apiHost(c: Context): string {
  const host = c.req.header("host") ?? "localhost";
  return host.replace(/:\d+$/, "");
}
