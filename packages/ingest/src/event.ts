import { createHash } from "node:crypto";
import type { Utf8Writer } from "@mpkit/storage";
import { dedupeKey, generateInsertId, isValidInsertId, uniqueKey } from "./insert-id.js";
import {
  cleanValue,
  isObject,
  type JsonText,
  JsonTextCache,
  LIMITS,
  serializeEntries,
  truncate,
  wellFormed,
  writeEntries,
} from "./properties.js";
import { ok, reject, type StepResult } from "./results.js";
import { EARLIEST_EVENT_MS, IMPORT_FUTURE_TOLERANCE_MS, TRACK_WINDOW_MS, toEpochMs } from "./time.js";

/** Per-project identity merge API (https://docs.mixpanel.com/docs/tracking-methods/id-management). */
export type IdentityMode = "simplified" | "original";

/** Where and how an event arrived. */
export interface IngestContext {
  readonly endpoint: "track" | "import";
  /** `strict=1` on `/import`: every record is validated and failures are reported. */
  readonly strict: boolean;
  readonly identityMode: IdentityMode;
  /** Receipt time, epoch ms. */
  readonly receivedAtMs: number;
  /** The ingestion host the client called, recorded as `$mp_api_endpoint`. */
  readonly apiHost: string;
  /** The client's IP, used only to derive a distinct_id when an event has none. */
  readonly clientIp?: string | undefined;
}

/** A validated event whose stored properties are still parallel key and value lists. */
export interface ValidatedEvent {
  readonly event: string;
  readonly timeMs: number;
  readonly distinctId: string;
  readonly insertId: string;
  readonly dedupeKey: bigint;
  /**
   * The stored properties (without `time`, `distinct_id` and `token`, with those added at ingest), as
   * distinct keys in the order they were sent and their cleaned values. The values added at ingest are
   * {@link JsonText}s (their JSON rendered once per request): serialize these lists with
   * {@link writeProperties}, not `JSON.stringify`.
   */
  readonly propertyKeys: readonly string[];
  readonly propertyValues: readonly unknown[];
  /** `$device_id` / `$user_id` and the Original-mode identity fields, for identity resolution. */
  readonly identity: EventIdentity;
}

/** A validated event, ready for storage. */
export interface NormalizedEvent {
  readonly event: string;
  readonly timeMs: number;
  readonly distinctId: string;
  readonly insertId: string;
  readonly dedupeKey: bigint;
  /** Properties without `time`, `distinct_id` and `token`, as sorted JSON text. */
  readonly propertiesJson: string;
  /** `$device_id` / `$user_id` and the Original-mode identity fields, for identity resolution. */
  readonly identity: EventIdentity;
}

/** The identity facts an event carries. */
export interface EventIdentity {
  readonly deviceId?: string | undefined;
  readonly userId?: string | undefined;
  /** `$identify`: the anonymous id being merged into `distinctId`. */
  readonly anonId?: string | undefined;
  /** `$create_alias`: the new alias for `distinctId`. */
  readonly alias?: string | undefined;
  /** `$merge`: the two ids to merge. */
  readonly mergeIds?: readonly [string, string] | undefined;
}

/**
 * Values Mixpanel refuses as a distinct_id (https://docs.mixpanel.com/reference/import-events). Mixpanel
 * does not say whether the match is case-sensitive; we match case-insensitively, since `Null` and
 * `UNDEFINED` are the same placeholder bugs.
 */
const BLOCKED_IDS = new Set([
  "00000000-0000-0000-0000-000000000000",
  "anon",
  "anonymous",
  "nil",
  "none",
  "null",
  "n/a",
  "na",
  "undefined",
  "unknown",
  "<nil>",
  "0",
  "-1",
  "true",
  "false",
  "[]",
  "{}",
]);

const DEVICE_PREFIX = "$device:";

function idString(value: unknown): string | undefined {
  // Well-formed, since ids end up in stored JSON (a `$device:` distinct_id becomes `$device_id`).
  if (typeof value === "string") return wellFormed(value);
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Properties the server sets itself on each endpoint; a client's own values for them are replaced. */
const ADDED_ON_TRACK = new Set([
  "$insert_id",
  "$mp_api_endpoint",
  "$mp_api_timestamp_ms",
  "mp_processing_time_ms",
]);
const ADDED_ON_IMPORT = new Set([...ADDED_ON_TRACK, "$import"]);

/** Removed before storage: columns of their own (`time`, `distinct_id`), the project token, and the IP. */
const STRIPPED = new Set(["time", "distinct_id", "$distinct_id", "token", "ip"]);

/**
 * Validates and normalizes one `/track` or `/import` record, following Mixpanel's rules for times,
 * distinct ids, `$insert_id` and property limits, and adds the properties Mixpanel adds at ingest.
 *
 * @example
 * ```ts
 * const r = normalizeEvent({ event: "Signed Up", properties: { time: 1724000000, distinct_id: "u1" } }, ctx);
 * if (r.kind === "ok") storage.insert(r.value);
 * ```
 */
export function normalizeEvent(raw: unknown, ctx: IngestContext): StepResult<NormalizedEvent> {
  const r = validateEvent(raw, ctx);
  if (r.kind !== "ok") return r;
  const e = r.value;
  return ok({
    event: e.event,
    timeMs: e.timeMs,
    distinctId: e.distinctId,
    insertId: e.insertId,
    dedupeKey: e.dedupeKey,
    propertiesJson: serializeEntries(e.propertyKeys, e.propertyValues),
    identity: e.identity,
  });
}

/**
 * Writes a validated event's stored properties as UTF-8 JSON: the text {@link normalizeEvent} gives as
 * `propertiesJson`, without building it as a string first (the `/import` hot path packs events
 * straight into a batch's buffer).
 *
 * @example
 * ```ts
 * const r = validateEvent(raw, ctx);
 * if (r.kind === "ok") writeProperties(builder.addEvent(r.value.event, ...), r.value);
 * ```
 */
export function writeProperties(out: Utf8Writer, e: ValidatedEvent): void {
  writeEntries(out, e.propertyKeys, e.propertyValues);
}

/**
 * {@link normalizeEvent}'s checks, leaving the stored properties as key and value lists (see
 * {@link writeProperties}).
 *
 * @example
 * ```ts
 * const r = validateEvent({ event: "Signed Up", properties: { time: 1724000000, distinct_id: "u1" } }, ctx);
 * ```
 */
export function validateEvent(raw: unknown, ctx: IngestContext): StepResult<ValidatedEvent> {
  if (!isObject(raw)) return reject("event", "each record must be a JSON object");
  const name = raw["event"];
  if (typeof name !== "string" || name.trim() === "") {
    return reject("event", "'event' must not be missing or blank");
  }
  const rawProps = raw["properties"] ?? {};
  if (!isObject(rawProps)) return reject("properties", "'properties' must be a JSON object");
  if (rawProps["$ignore"] === true || rawProps["$ignore"] === "true") {
    return { kind: "drop", reason: "$ignore" };
  }

  // --- time
  let timeMs: number;
  // The identity API's /import bodies carry neither `time` nor `$insert_id` (identity.openapi.yaml: a
  // `$merge` needs only `$distinct_ids` and `token`), so identity events get the receipt time.
  const identityEvent = name === "$merge" || name === "$identify" || name === "$create_alias";
  if (rawProps["time"] === undefined && (ctx.endpoint === "track" || identityEvent)) {
    timeMs = ctx.receivedAtMs; // /track fills in the receipt time, as the SDKs that omit it expect
  } else {
    const t = toEpochMs(rawProps["time"]);
    if (t === undefined) {
      return reject(
        "properties.time",
        "'properties.time' is invalid: must be specified as seconds since epoch",
      );
    }
    timeMs = t;
  }
  if (timeMs < EARLIEST_EVENT_MS) {
    return reject("properties.time", "'properties.time' is invalid: must be after 1971-01-01");
  }
  if (ctx.endpoint === "track") {
    // /track overwrites future times with the ingestion time and only takes the last five days.
    if (timeMs > ctx.receivedAtMs) timeMs = ctx.receivedAtMs;
    if (timeMs < ctx.receivedAtMs - TRACK_WINDOW_MS) {
      return reject(
        "properties.time",
        "'properties.time' is invalid: /track only accepts events from the last 5 days; use /import",
      );
    }
  } else if (timeMs > ctx.receivedAtMs + IMPORT_FUTURE_TOLERANCE_MS) {
    return reject("properties.time", "'properties.time' is invalid: must not be in the future");
  }

  // --- identity
  const deviceRaw = rawProps["$device_id"];
  const userRaw = rawProps["$user_id"];
  if (deviceRaw !== undefined && idString(deviceRaw) === undefined) {
    return reject("properties.$device_id", "'properties.$device_id' is invalid: must be a string");
  }
  if (userRaw !== undefined && idString(userRaw) === undefined) {
    return reject("properties.$user_id", "'properties.$user_id' is invalid: must be a string");
  }
  let deviceId = idString(deviceRaw) || undefined;
  const userId = idString(userRaw) || undefined;
  const sentIdRaw = rawProps["distinct_id"] ?? rawProps["$distinct_id"];
  if (sentIdRaw !== undefined && sentIdRaw !== null && idString(sentIdRaw) === undefined) {
    return reject("properties.distinct_id", "'properties.distinct_id' is invalid: must be a string");
  }
  // $identify may carry only $identified_id and $merge only $distinct_ids (identity API reference).
  const sentId =
    idString(sentIdRaw) ??
    (name === "$identify" ? idString(rawProps["$identified_id"]) : undefined) ??
    (name === "$merge" && Array.isArray(rawProps["$distinct_ids"])
      ? idString(rawProps["$distinct_ids"][0])
      : undefined);
  let distinctId: string;
  if (ctx.identityMode === "simplified" && userId !== undefined) distinctId = userId;
  else if (ctx.identityMode === "simplified" && deviceId !== undefined && sentId === undefined) {
    distinctId = DEVICE_PREFIX + deviceId;
  } else if (sentId !== undefined) distinctId = sentId;
  else if (ctx.endpoint === "import" && ctx.identityMode === "original") {
    return reject("properties.distinct_id", "'properties.distinct_id' is invalid: must not be missing");
  } else if (ctx.clientIp !== undefined && ctx.clientIp !== "") {
    // Mixpanel: with no distinct_id, a hash of the request IP is used.
    distinctId = createHash("sha1").update(ctx.clientIp).digest("hex").slice(0, 32);
  } else distinctId = "";
  if (ctx.identityMode === "simplified" && deviceId === undefined && distinctId.startsWith(DEVICE_PREFIX)) {
    deviceId = distinctId.slice(DEVICE_PREFIX.length);
  }
  if (BLOCKED_IDS.has(distinctId.trim().toLowerCase())) {
    return reject(
      "properties.distinct_id",
      `'properties.distinct_id' is invalid: ${JSON.stringify(distinctId)} is a reserved placeholder value`,
    );
  }
  if (distinctId.length > 255) {
    return reject(
      "properties.distinct_id",
      "'properties.distinct_id' is invalid: must be at most 255 characters",
    );
  }

  // --- $insert_id
  const sentInsertId = rawProps["$insert_id"];
  let insertId: string;
  let key: bigint;
  if (isValidInsertId(sentInsertId)) {
    insertId = sentInsertId;
    key = dedupeKey(name, distinctId, timeMs, insertId);
  } else if (sentInsertId !== undefined && ctx.strict) {
    return reject(
      "properties.$insert_id",
      "'properties.$insert_id' is invalid: must be at most 36 alphanumeric or '-' characters",
    );
  } else if (sentInsertId === undefined && ctx.strict && ctx.endpoint === "import" && !identityEvent) {
    return reject("properties.$insert_id", "'properties.$insert_id' is invalid: must not be missing");
  } else {
    // Mixpanel generates one for events without a (valid) $insert_id; they are not de-duplicated.
    insertId = generateInsertId();
    key = uniqueKey();
  }

  // --- properties, in one pass: drop the stripped keys, apply Mixpanel's limits. Kept as parallel
  // key and value lists rather than a new object: no per-event object shapes, no keyed stores and loads
  // through megamorphic caches (the hot path of /import).
  const keys: string[] = [];
  const values: unknown[] = [];
  const added = ctx.endpoint === "import" ? ADDED_ON_IMPORT : ADDED_ON_TRACK;
  let count = 0;
  let truncatedKey = false;
  let sentDeviceId = false;
  for (const k in rawProps) {
    if (STRIPPED.has(k)) continue;
    count += 1;
    if (added.has(k)) continue; // replaced by the value added below
    const v = rawProps[k];
    let clean: unknown = v;
    if (typeof v === "string") clean = truncate(v);
    else if (typeof v === "object" && v !== null) {
      const r = cleanValue(v, `properties.${k}`, 1);
      if (r.kind !== "ok") return r as StepResult<never>;
      clean = r.value;
    }
    const key = truncate(k);
    if (key.length !== k.length) truncatedKey = true;
    if (k === "$device_id") sentDeviceId = true;
    keys.push(key);
    values.push(clean);
  }
  if (count > LIMITS.maxProperties) {
    return reject(
      "properties",
      `'properties' is invalid: must have fewer than ${LIMITS.maxProperties} properties`,
    );
  }
  keys.push("$insert_id");
  values.push(insertId);
  if (deviceId !== undefined && !sentDeviceId) {
    keys.push("$device_id");
    values.push(deviceId);
  }
  // Added at ingest, as in Mixpanel's exports (default-properties docs). The same for every event of a
  // request (the processing time for every event of a millisecond), so their text is rendered once.
  keys.push("$mp_api_endpoint", "$mp_api_timestamp_ms", "mp_processing_time_ms");
  values.push(
    stamps.host.of(ctx.apiHost),
    stamps.received.of(ctx.receivedAtMs),
    stamps.processed.of(Date.now()),
  );
  if (ctx.endpoint === "import") {
    keys.push("$import");
    values.push(true);
  }
  // Two names cut to the same 255 characters are one property: the last one wins, as it would in an object.
  if (truncatedKey) collapseDuplicateKeys(keys, values);

  const identity: EventIdentity = {
    deviceId,
    userId,
    anonId: idString(rawProps["$anon_distinct_id"] ?? rawProps["$anon_id"]),
    alias: name === "$create_alias" ? idString(rawProps["alias"]) : undefined,
    // $merge is honoured only through /import (identity-merge docs).
    mergeIds: ctx.endpoint === "import" ? mergePair(name, rawProps["$distinct_ids"]) : undefined,
  };
  return ok({
    event: wellFormed(name),
    timeMs,
    distinctId,
    insertId,
    dedupeKey: key,
    propertyKeys: keys,
    propertyValues: values,
    identity,
  });
}

const stamps = { host: new JsonTextCache(), received: new JsonTextCache(), processed: new JsonTextCache() };

/** Removes repeated keys in place, keeping each key's last value. */
function collapseDuplicateKeys(keys: string[], values: unknown[]): void {
  const last = new Map<string, unknown>();
  for (let i = 0; i < keys.length; i++) last.set(keys[i] as string, values[i]);
  keys.length = 0;
  values.length = 0;
  for (const [k, v] of last) {
    keys.push(k);
    values.push(v);
  }
}

function mergePair(name: string, ids: unknown): readonly [string, string] | undefined {
  if (name !== "$merge" || !Array.isArray(ids) || ids.length !== 2) return undefined;
  const a = idString(ids[0]);
  const b = idString(ids[1]);
  return a !== undefined && b !== undefined ? [a, b] : undefined;
}
