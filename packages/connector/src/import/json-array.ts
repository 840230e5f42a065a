import { ValidationError } from "../errors.js";
import { type ChunkSource, chunksOf } from "./lines.js";

/**
 * Streams the elements of a top-level JSON array (`[{...},{...}]`) without holding the whole
 * document: it tracks nesting and strings, and parses each element when it closes.
 */
export async function* jsonArrayElements(source: ChunkSource): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  let started = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let element = "";
  for await (const chunk of chunksOf(source)) {
    const text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const char = text[i];
      if (!started) {
        if (char === "[") {
          started = true;
          from = i + 1;
        } else if (char !== undefined && !/\s/.test(char))
          throw new ValidationError("JSON input must be an array");
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (char === "\\") escaped = true;
        else if (char === '"') inString = false;
        continue;
      }
      if (char === '"') inString = true;
      else if (char === "{" || char === "[") depth++;
      else if (char === "}" || char === "]") {
        if (depth === 0) {
          element += text.slice(from, i);
          if (element.trim() !== "") yield JSON.parse(element);
          return;
        }
        depth--;
      } else if (char === "," && depth === 0) {
        element += text.slice(from, i);
        yield JSON.parse(element);
        element = "";
        from = i + 1;
      }
    }
    if (started) element += text.slice(from);
  }
  throw new ValidationError("JSON input ended before its closing ]");
}
