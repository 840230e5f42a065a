import type { Utf8Writer } from "@mpkit/storage";
import { digitCount, putDigits } from "./digits.js";
import { reject, type StepResult } from "./results.js";

/**
 * Property limits from Mixpanel's `/import` and data-type docs: fewer than 255 properties per event,
 * nested objects of at most 255 keys and depth 3, lists of at most 255 items, and strings (names and
 * values) truncated to 255 characters ("We truncate all strings down to 255 characters").
 */
export const LIMITS = {
  maxProperties: 255,
  maxNestedKeys: 255,
  maxDepth: 3,
  maxListItems: 255,
  maxStringLength: 255,
  maxEventBytes: 1024 * 1024,
} as const;

/**
 * Replaces lone UTF-16 surrogates with U+FFFD. JSON can carry them (`"\ud800"`) but they are not text:
 * Mixpanel's Go backend decodes them to U+FFFD, and DuckDB refuses them in JSON and VARCHAR values, so
 * one would otherwise fail the whole batch's insert.
 */
export function wellFormed(s: string): string {
  return s.isWellFormed() ? s : s.toWellFormed();
}

/** Truncates to Mixpanel's 255 characters (and keeps the result well-formed: a cut may split a pair). */
export function truncate(s: string): string {
  return wellFormed(s.length > LIMITS.maxStringLength ? s.slice(0, LIMITS.maxStringLength) : s);
}

/**
 * Checks a property value against the nesting limits and truncates its strings. Returns the cleaned
 * value, or a rejection naming the property.
 */
export function cleanValue(value: unknown, path: string, depth: number): StepResult<unknown> {
  if (typeof value === "string") return { kind: "ok", value: truncate(value) };
  if (typeof value === "number") {
    // JSON cannot carry NaN or Infinity; a client that produced one sent `null` already.
    return { kind: "ok", value };
  }
  if (value === null || typeof value === "boolean") return { kind: "ok", value };
  if (Array.isArray(value)) {
    // Lists inside lists count as nesting levels too: without this bound a deeply nested list
    // (`[[[[...]]]]`, a few KB of JSON) overflowed the stack and the request failed with a 500.
    if (depth > LIMITS.maxDepth) {
      return reject(path, `'${path}' is invalid: lists must not be nested more than ${LIMITS.maxDepth} deep`);
    }
    if (value.length > LIMITS.maxListItems) {
      return reject(path, `'${path}' is invalid: lists must have at most ${LIMITS.maxListItems} items`);
    }
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const r = cleanValue(value[i], path, Array.isArray(value[i]) ? depth + 1 : depth);
      if (r.kind !== "ok") return r;
      out.push(r.value);
    }
    return { kind: "ok", value: out };
  }
  if (typeof value === "object") {
    if (depth >= LIMITS.maxDepth) {
      return reject(
        path,
        `'${path}' is invalid: objects must not be nested more than ${LIMITS.maxDepth} deep`,
      );
    }
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length > LIMITS.maxNestedKeys) {
      return reject(path, `'${path}' is invalid: objects must have at most ${LIMITS.maxNestedKeys} keys`);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const r = cleanValue(v, path, depth + 1);
      if (r.kind !== "ok") return r;
      out[truncate(k)] = r.value;
    }
    return { kind: "ok", value: out };
  }
  return { kind: "ok", value: null };
}

/**
 * Applies Mixpanel's limits to a property object: count, nesting, list sizes, string truncation.
 *
 * @example
 * ```ts
 * cleanProperties({ plan: "x".repeat(300) }, "properties") // ok, plan truncated to 255 chars
 * ```
 */
export function cleanProperties(
  props: Record<string, unknown>,
  path: string,
): StepResult<Record<string, unknown>> {
  const entries = Object.entries(props);
  if (entries.length > LIMITS.maxProperties) {
    return reject(path, `'${path}' is invalid: must have fewer than ${LIMITS.maxProperties} properties`);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    const r = cleanValue(v, `${path}.${k}`, 1);
    if (r.kind !== "ok") return r as StepResult<never>;
    out[truncate(k)] = r.value;
  }
  return { kind: "ok", value: out };
}

/** How one key order serializes: the sorted positions and each key's `"key":` text. */
interface Shape {
  readonly order: readonly number[];
  readonly prefixes: readonly string[];
  /** The prefixes as UTF-8, for {@link writeEntries}. */
  readonly prefixBytes: readonly Uint8Array[];
}

const utf8 = new TextEncoder();

// Events from one source share their key order, so the sort and the key escaping are done once per
// shape. Shapes are found through a trie of the keys in their order: every step is a Map lookup of a
// string JSON.parse has already hashed, cheaper than building a signature string per event. Bounded by
// trie nodes and by the characters of the cached key texts (wide shapes with long names are ~130 KB
// each, so a node bound alone would let hostile input fill the heap): past either bound the trie is
// dropped and rebuilt, which costs only speed.
interface ShapeNode {
  readonly next: Map<string, ShapeNode>;
  shape?: Shape;
}
let shapeRoot: ShapeNode = { next: new Map() };
let shapeNodes = 0;
let shapeChars = 0;
const MAX_SHAPE_NODES = 65_536;
const MAX_SHAPE_CHARS = 4_000_000;

function resetShapes(): void {
  shapeRoot = { next: new Map() };
  shapeNodes = 0;
  shapeChars = 0;
}

function shapeOf(keys: readonly string[]): Shape {
  let node = shapeRoot;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    let child = node.next.get(key);
    if (child === undefined) {
      if (shapeNodes >= MAX_SHAPE_NODES) {
        resetShapes();
        return computeShape(keys);
      }
      child = { next: new Map() };
      node.next.set(key, child);
      shapeNodes += 1;
    }
    node = child;
  }
  if (node.shape !== undefined) return node.shape;
  const shape = computeShape(keys);
  let chars = 0;
  for (const p of shape.prefixes) chars += p.length;
  if (shapeChars + chars > MAX_SHAPE_CHARS) resetShapes();
  else {
    shapeChars += chars;
    node.shape = shape;
  }
  return shape;
}

function computeShape(keys: readonly string[]): Shape {
  const order = keys.map((_, i) => i).sort((a, b) => compareCodePoints(keys[a] as string, keys[b] as string));
  const prefixes = order.map((i, n) => `${n === 0 ? "{" : ","}${JSON.stringify(keys[i])}:`);
  return { order, prefixes, prefixBytes: prefixes.map((p) => utf8.encode(p)) };
}

/** Characters JSON.stringify would escape (surrogates included, so a lone one is never copied raw). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * A value whose JSON text is already known. The properties added to every event of a request
 * (`$mp_api_endpoint`, the timestamps) are rendered once, not per event: number-to-text conversion of a
 * 13-digit millisecond time is one of the costlier steps of serializing an event.
 */
export class JsonText {
  constructor(readonly text: string) {}
}

/** The same {@link JsonText} for the same value as the previous call, so repeated stamps render once. */
export class JsonTextCache {
  private last: unknown = Symbol();
  private text = new JsonText("null");

  of(value: string | number): JsonText {
    if (value !== this.last) {
      this.last = value;
      this.text = new JsonText(valueJson(value));
    }
    return this.text;
  }
}

function valueJson(v: unknown): string {
  switch (typeof v) {
    case "string":
      // Most values need no escaping; quoting them directly skips a call into JSON.stringify.
      return NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : `"${v}"`;
    case "number":
      return Number.isFinite(v) ? String(v) : "null";
    case "boolean":
      return v ? "true" : "false";
    default:
      if (v instanceof JsonText) return v.text;
      return v === null || v === undefined ? "null" : JSON.stringify(v);
  }
}

/**
 * Serializes a property object with its top-level keys in code-point order, the order Mixpanel's raw
 * export uses after `time` and `distinct_id` (so `$`-prefixed keys come before lower-case ones).
 *
 * @example
 * ```ts
 * serializeSorted({ plan: "pro", $os: "iOS" }) // '{"$os":"iOS","plan":"pro"}'
 * ```
 */
export function serializeSorted(props: Record<string, unknown>): string {
  const keys = Object.keys(props);
  return serializeEntries(
    keys,
    keys.map((k) => props[k]),
  );
}

/**
 * {@link serializeSorted} for an object given as parallel key and value lists (keys distinct).
 *
 * @example
 * ```ts
 * serializeEntries(["plan", "$os"], ["pro", "iOS"]) // '{"$os":"iOS","plan":"pro"}'
 * ```
 */
export function serializeEntries(keys: readonly string[], values: readonly unknown[]): string {
  if (keys.length === 0) return "{}";
  const { order, prefixes } = shapeOf(keys);
  let out = "";
  for (let n = 0; n < order.length; n++) out += prefixes[n] + valueJson(values[order[n] as number]);
  return `${out}}`;
}

/**
 * {@link serializeEntries}, written as UTF-8 into `out`: the same text, byte for byte, without
 * building a string.
 *
 * @example
 * ```ts
 * const out = new Utf8Writer();
 * writeEntries(out, ["plan", "$os"], ["pro", "iOS"]); // out.view() holds '{"$os":"iOS","plan":"pro"}'
 * ```
 */
export function writeEntries(out: Utf8Writer, keys: readonly string[], values: readonly unknown[]): void {
  if (keys.length === 0) {
    out.string("{}");
    return;
  }
  const { order, prefixBytes } = shapeOf(keys);
  for (let n = 0; n < order.length; n++) {
    out.raw(prefixBytes[n] as Uint8Array);
    const v = values[order[n] as number];
    if (typeof v === "string") writeJsonString(out, v);
    else if (typeof v === "number") writeNumber(out, v);
    else out.string(valueJson(v));
  }
  out.byte(0x7d); // }
}

/** Writes a number as `JSON.stringify` does; integers digit by digit, without a string. */
function writeNumber(out: Utf8Writer, v: number): void {
  if (!Number.isSafeInteger(v)) {
    out.string(valueJson(v));
    return;
  }
  if (v < 0) out.byte(0x2d); // -
  const x = Math.abs(v);
  const digits = digitCount(x);
  out.length = putDigits(out.reserve(digits), out.length, x, digits);
}

/**
 * Writes a string value as a JSON string: quoted and copied while no character needs escaping (most
 * values), else as `JSON.stringify` gives it, so the bytes equal {@link valueJson}'s text. The escape
 * check rides in the UTF-8 encoding loop rather than testing `NEEDS_ESCAPE` and then calling
 * `Utf8Writer.string`: the separate pass cost 4–8% of a worker's time per event (in-process A/B).
 */
function writeJsonString(out: Utf8Writer, s: string): void {
  const n = s.length;
  const start = out.length;
  const buf = out.reserve(n * 3 + 2);
  let at = start;
  buf[at++] = 0x22;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c < 0x20 || c === 0x22 || c === 0x5c) {
        writeEscaped(out, s, start);
        return;
      }
      buf[at++] = c;
    } else if (c < 0x800) {
      buf[at++] = 0xc0 | (c >> 6);
      buf[at++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // Surrogates (paired or not) take the general path: rare, and JSON.stringify escapes lone ones.
      writeEscaped(out, s, start);
      return;
    } else {
      buf[at++] = 0xe0 | (c >> 12);
      buf[at++] = 0x80 | ((c >> 6) & 0x3f);
      buf[at++] = 0x80 | (c & 0x3f);
    }
  }
  buf[at++] = 0x22;
  out.length = at;
}

function writeEscaped(out: Utf8Writer, s: string, start: number): void {
  out.length = start;
  out.string(JSON.stringify(s));
}

/** Compares strings by Unicode code point (JavaScript's default sort compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx - cy;
  }
}

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
