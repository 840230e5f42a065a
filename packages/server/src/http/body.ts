import { gunzipSync, inflateSync } from "node:zlib";

/** Thrown when a body is larger than allowed. */
export class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";
  constructor(readonly limit: number) {
    super(`request exceeds max limit of ${limit} bytes`);
  }
}

/** Thrown when a `Content-Encoding` body cannot be decoded. */
export class BodyEncodingError extends Error {
  override readonly name = "BodyEncodingError";
}

/**
 * Reads a request body into memory, refusing more than `maxBytes` on the wire and more than
 * `maxDecodedBytes` after `Content-Encoding: gzip`/`deflate` (Android, Java and mixpanel-import gzip
 * their bodies). The decoded limit also defuses compression bombs.
 */
export async function readBody(request: Request, maxBytes: number, maxDecodedBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLargeError(maxDecodedBytes);
  const chunks: Buffer[] = [];
  let total = 0;
  if (request.body !== null) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new BodyTooLargeError(maxDecodedBytes);
      }
      chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    }
  }
  const raw = Buffer.concat(chunks, total);
  const encoding = (request.headers.get("content-encoding") ?? "").trim().toLowerCase();
  if (encoding === "" || encoding === "identity" || raw.length === 0) {
    if (raw.length > maxDecodedBytes) throw new BodyTooLargeError(maxDecodedBytes);
    return raw;
  }
  try {
    if (encoding === "gzip" || encoding === "x-gzip")
      return gunzipSync(raw, { maxOutputLength: maxDecodedBytes });
    if (encoding === "deflate") return inflateSync(raw, { maxOutputLength: maxDecodedBytes });
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE")
      throw new BodyTooLargeError(maxDecodedBytes);
    throw new BodyEncodingError(`cannot decode ${encoding} body: ${(error as Error).message}`);
  }
  throw new BodyEncodingError(`unsupported Content-Encoding: ${encoding}`);
}

/**
 * A read-side request body (form fields, JSON) as text, refused past `maxBytes`: Query API, export and
 * App API bodies are small, and reading an unbounded body before authentication would let anyone make
 * the server buffer it.
 */
export async function readSmallBody(request: Request, maxBytes: number): Promise<string> {
  if (request.method === "GET" || request.method === "HEAD") return "";
  return (await readBody(request, maxBytes, maxBytes)).toString("utf8");
}
