import { type ChunkSource, chunksOf, streamChunks } from "./lines.js";

/**
 * Passes chunks through, gunzipping them when they start with the gzip magic bytes (1f 8b), so
 * `events.ndjson.gz` and `events.ndjson` read the same. Uses the web `DecompressionStream`.
 */
export async function* gunzipIfNeeded(source: ChunkSource): AsyncGenerator<Uint8Array | string> {
  const iterator = (async function* () {
    yield* chunksOf(source);
  })();
  const first = await iterator.next();
  if (first.done) return;
  const head = first.value;
  const gzipped = typeof head !== "string" && head.byteLength >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  if (!gzipped) {
    yield head;
    yield* iterator;
    return;
  }
  const input = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(head as Uint8Array);
    },
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else
        controller.enqueue(
          typeof next.value === "string" ? new TextEncoder().encode(next.value) : next.value,
        );
    },
  });
  yield* streamChunks(
    input.pipeThrough(new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>),
  );
}
