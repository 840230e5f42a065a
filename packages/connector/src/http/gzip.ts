/** Compresses bytes with gzip; the runtime seam behind `Content-Encoding: gzip` uploads. */
export type Compressor = (data: Uint8Array) => Promise<Uint8Array>;

/** Reads a web `ReadableStream` of bytes into one array. */
export async function collectBytes(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.byteLength;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * Gzip with the web-standard `CompressionStream` (Node 18+, browsers, Deno, Bun, Cloudflare Workers),
 * so the core needs no `node:zlib`. Inject another `Compressor` through the client's `compress` option.
 */
export const gzip: Compressor = async (data) => {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"));
  return collectBytes(stream as ReadableStream<Uint8Array>);
};
