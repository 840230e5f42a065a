/**
 * Decoding of Mixpanel's request payloads. SDKs send `data=` as base64 JSON (node, Ruby, Java, Android,
 * mixpanel-browser for non-Mixpanel hosts) or as plain JSON (Python, mixpanel-browser with
 * `api_payload_format: 'json'`); `/import` also takes JSON arrays and NDJSON bodies.
 */

/** Thrown when a payload cannot be decoded; the message is safe to show to clients. */
export class DecodeError extends Error {
  override readonly name = "DecodeError";
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * Decodes a `data` parameter: JSON when it starts with `{` or `[`, otherwise base64 of JSON.
 *
 * @example
 * ```ts
 * decodeData("eyJldmVudCI6ImEifQ==") // { event: "a" }
 * ```
 */
export function decodeData(data: string): unknown {
  const text = data.trim();
  if (text === "") throw new DecodeError("data, missing or empty");
  if (text.startsWith("{") || text.startsWith("[")) return parseJson(text);
  // PHP's consumer sends base64 without URL-encoding it, so form decoding turns '+' into ' ';
  // restore them before decoding (mixpanel-php CurlConsumer).
  const b64 = text.replaceAll(" ", "+").replaceAll("\n", "").replaceAll("\r", "");
  if (!BASE64.test(b64)) throw new DecodeError("data is neither JSON nor base64-encoded JSON");
  const json = Buffer.from(b64, b64.includes("-") || b64.includes("_") ? "base64url" : "base64").toString(
    "utf8",
  );
  return parseJson(json);
}

/** Parses JSON, turning syntax errors into {@link DecodeError}. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DecodeError(`invalid JSON: ${(error as Error).message}`);
  }
}

/**
 * Parses an `/import` body: a JSON array, a single JSON object, or newline-delimited JSON.
 *
 * @example
 * ```ts
 * parseRecords('{"event":"a"}\n{"event":"b"}') // [{ event: "a" }, { event: "b" }]
 * ```
 */
export function parseRecords(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed === "") return [];
  if (trimmed.startsWith("[")) {
    const parsed = parseJson(trimmed);
    if (!Array.isArray(parsed)) throw new DecodeError("expected a JSON array");
    return parsed;
  }
  const lines = trimmed.split("\n").filter((l) => l.trim() !== "");
  if (lines.length === 1) return [parseJson(lines[0] ?? "")];
  return lines.map((line, i) => {
    try {
      return JSON.parse(line) as unknown;
    } catch (error) {
      throw new DecodeError(`invalid JSON on line ${i + 1}: ${(error as Error).message}`);
    }
  });
}

/** Wraps a decoded payload as a list of records (SDKs send one object or an array of them). */
export function asRecords(payload: unknown): unknown[] {
  return Array.isArray(payload) ? payload : [payload];
}
