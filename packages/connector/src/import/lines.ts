/** Bytes or text chunks from any source: a fetch body, a Node stream, an array. */
export type ChunkSource =
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array | string>
  | ReadableStream<Uint8Array>;

/** Iterates a web `ReadableStream` without relying on its (not yet universal) async-iterator support. */
export async function* streamChunks<T>(stream: ReadableStream<T>): AsyncGenerator<T> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Runs when the consumer stops early too: cancelling releases the socket of an export stream.
    await reader.cancel().catch(() => undefined);
  }
}

/** Normalises any chunk source to an async iterable. */
export function chunksOf(
  source: ChunkSource,
): AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string> {
  return typeof (source as ReadableStream).getReader === "function"
    ? streamChunks(source as ReadableStream<Uint8Array>)
    : (source as AsyncIterable<Uint8Array | string>);
}

/**
 * Splits chunks into lines (LF or CRLF) in constant memory: only the unfinished last line is kept.
 * UTF-8 sequences split across chunks are decoded correctly (`TextDecoder` streaming mode).
 */
export async function* splitLines(source: ChunkSource): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of chunksOf(source)) {
    rest += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let index = rest.indexOf("\n"); index !== -1; index = rest.indexOf("\n", start)) {
      const end = index > start && rest.charCodeAt(index - 1) === 13 ? index - 1 : index;
      yield rest.slice(start, end);
      start = index + 1;
    }
    rest = rest.slice(start);
  }
  rest += decoder.decode();
  if (rest !== "") yield rest.endsWith("\r") ? rest.slice(0, -1) : rest;
}
