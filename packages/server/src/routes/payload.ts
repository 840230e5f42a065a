import { asRecords, DecodeError, decodeData, parseRecords } from "@mpkit/ingest";
import type { Context } from "hono";
import type { ServerContext } from "../context.js";
import { readBody } from "../http/body.js";
import { type RequestParams, requestParams } from "../http/params.js";

/** A decoded ingestion request. */
export interface IngestPayload {
  readonly params: RequestParams;
  /** The records, or a client-safe reason they could not be decoded. */
  readonly records: unknown[] | { readonly error: string };
  /** True when the records came in a `data=` parameter (the SDKs' legacy form encoding). */
  readonly formEncoded: boolean;
}

/**
 * Reads parameters and records from any of the encodings Mixpanel's clients use: `data=` in the query
 * or a form body (base64 or JSON), or a raw JSON / NDJSON body, possibly gzipped.
 */
export async function readIngestPayload(c: Context, ctx: ServerContext): Promise<IngestPayload> {
  const url = new URL(c.req.url);
  // base64 adds a third and URL-encoding a little more on top of the decoded limit.
  const body =
    c.req.method === "GET" || c.req.method === "HEAD"
      ? Buffer.alloc(0)
      : await readBody(c.req.raw, Math.ceil(ctx.limits.maxBodyBytes * 1.5), ctx.limits.maxBodyBytes);
  const params = requestParams(url, body.toString("utf8"), c.req.header("content-type") ?? "");
  try {
    const data = params.get("data");
    if (data !== undefined) return { params, records: asRecords(decodeData(data)), formEncoded: true };
    if (params.jsonBody !== undefined) {
      return { params, records: parseRecords(params.jsonBody), formEncoded: false };
    }
    return { params, records: { error: "data, missing or empty" }, formEncoded: true };
  } catch (error) {
    if (error instanceof DecodeError) return { params, records: { error: error.message }, formEncoded: true };
    throw error;
  }
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
