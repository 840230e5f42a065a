import type { ProfileKey } from "@mpkit/storage";
import { cleanProperties, isObject, wellFormed } from "./properties.js";
import { reject, type StepResult } from "./results.js";
import { toEpochMs } from "./time.js";

/** The profile operations of `/engage` and `/groups` (https://docs.mixpanel.com/reference/profile-set). */
export const PROFILE_OPERATIONS = [
  "$set",
  "$set_once",
  "$add",
  "$append",
  "$union",
  "$remove",
  "$unset",
  "$delete",
] as const;
export type ProfileOperation = (typeof PROFILE_OPERATIONS)[number];

/** One validated profile update record. */
export interface ProfileUpdate {
  readonly key: ProfileKey;
  /** The operations, in the order they appear in the record. */
  readonly ops: readonly { readonly op: ProfileOperation; readonly payload: unknown }[];
  /** `$time`, epoch ms, when given. */
  readonly timeMs?: number | undefined;
  /** `$ignore_time`: do not bump `$last_seen`. */
  readonly ignoreTime: boolean;
  /** `$ignore_alias`: with Original ID Merge, do not follow an alias to its profile. */
  readonly ignoreAlias: boolean;
}

function idString(value: unknown): string | undefined {
  if (typeof value === "string" && value !== "") return wellFormed(value);
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * Validates one `/engage` (user) or `/groups` record. The token is returned for the caller to match
 * against the project.
 *
 * @example
 * ```ts
 * normalizeProfileUpdate({ $token: "t", $distinct_id: "u1", $set: { plan: "pro" } }, "user")
 * ```
 */
export function normalizeProfileUpdate(
  raw: unknown,
  kind: "user" | "group",
): StepResult<{ token: string | undefined; update: ProfileUpdate }> {
  if (!isObject(raw)) return reject("record", "each record must be a JSON object");
  const token = typeof raw["$token"] === "string" ? raw["$token"] : undefined;
  let key: ProfileKey;
  if (kind === "user") {
    const id = idString(raw["$distinct_id"]);
    if (id === undefined) return reject("$distinct_id", "$distinct_id, missing or empty");
    key = { groupKey: "", id };
  } else {
    const groupKey = idString(raw["$group_key"]);
    const id = idString(raw["$group_id"]);
    if (groupKey === undefined) return reject("$group_key", "$group_key, missing or empty");
    if (id === undefined) return reject("$group_id", "$group_id, missing or empty");
    key = { groupKey, id };
  }
  const ops: { op: ProfileOperation; payload: unknown }[] = [];
  for (const [k, v] of Object.entries(raw)) {
    if (!(PROFILE_OPERATIONS as readonly string[]).includes(k)) continue;
    const op = k as ProfileOperation;
    const checked = checkPayload(op, v);
    if (checked.kind !== "ok") return checked as StepResult<never>;
    ops.push({ op, payload: checked.value });
  }
  if (ops.length === 0) {
    return reject("record", `record must contain one of ${PROFILE_OPERATIONS.join(", ")}`);
  }
  const timeMs = raw["$time"] === undefined ? undefined : toEpochMs(raw["$time"]);
  // A number beyond the Date range (e.g. 1e300) made `$last_seen` throw, answering 500.
  if (timeMs !== undefined && Number.isNaN(new Date(timeMs).getTime())) {
    return reject("$time", "$time is invalid: must be a timestamp in seconds or milliseconds since epoch");
  }
  return {
    kind: "ok",
    value: {
      token,
      update: {
        key,
        ops,
        timeMs,
        ignoreTime: raw["$ignore_time"] === true || raw["$ignore_time"] === "true",
        ignoreAlias: raw["$ignore_alias"] === true || raw["$ignore_alias"] === "true",
      },
    },
  };
}

function checkPayload(op: ProfileOperation, v: unknown): StepResult<unknown> {
  switch (op) {
    case "$delete":
      return { kind: "ok", value: null };
    case "$unset":
      if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
        return reject(op, "$unset must be a list of property names");
      }
      return { kind: "ok", value: v };
    case "$add": {
      if (!isObject(v)) return reject(op, "$add must be an object");
      for (const [k, n] of Object.entries(v)) {
        if (typeof n !== "number" || !Number.isFinite(n))
          return reject(`${op}.${k}`, "$add values must be numbers");
      }
      return { kind: "ok", value: v };
    }
    default: {
      if (!isObject(v)) return reject(op, `${op} must be an object`);
      // Profiles allow larger lists and objects than events, but names and strings are still truncated.
      return cleanProperties(v, op);
    }
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === "object" && JSON.stringify(a) === JSON.stringify(b));
}

/** Mixpanel datetime text (`YYYY-MM-DDTHH:MM:SS`, UTC), the form `$last_seen` takes. */
export function mixpanelDatetime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/**
 * Applies an update to a profile's properties. Returns `null` when the profile is deleted.
 *
 * Mixpanel leaves some combinations undocumented; our choices (also in docs/compatibility.md):
 * `$add` on a non-numeric value and `$append`/`$remove`/`$union` on a non-list leave the property
 * unchanged; several operations in one record apply in the order they appear.
 */
export function applyProfileUpdate(
  current: Record<string, unknown> | undefined,
  update: ProfileUpdate,
  nowMs: number,
): Record<string, unknown> | null {
  let props: Record<string, unknown> | null = current === undefined ? null : { ...current };
  let touched = false;
  for (const { op, payload } of update.ops) {
    if (op === "$delete") {
      props = null;
      continue;
    }
    // $unset and $remove on a missing profile do not create one.
    if (props === null && (op === "$unset" || op === "$remove")) continue;
    props ??= {};
    touched = true;
    const values = payload as Record<string, unknown>;
    switch (op) {
      case "$set":
        Object.assign(props, values);
        break;
      case "$set_once":
        for (const [k, v] of Object.entries(values)) if (!(k in props)) props[k] = v;
        break;
      case "$add":
        for (const [k, v] of Object.entries(values)) {
          const old = props[k] ?? 0;
          const sum = typeof old === "number" ? old + (v as number) : Number.NaN;
          // Beyond the double range the sum would be Infinity, which JSON cannot hold: keep the old value.
          if (Number.isFinite(sum)) props[k] = sum;
        }
        break;
      case "$append":
        for (const [k, v] of Object.entries(values)) {
          const old = props[k];
          if (old === undefined) props[k] = [v];
          else if (Array.isArray(old)) props[k] = [...old, v];
        }
        break;
      case "$union":
        for (const [k, v] of Object.entries(values)) {
          const items = Array.isArray(v) ? v : [v];
          const old = props[k] ?? [];
          if (!Array.isArray(old)) continue;
          const merged = [...old];
          for (const item of items) if (!merged.some((m) => sameValue(m, item))) merged.push(item);
          props[k] = merged;
        }
        break;
      case "$remove":
        for (const [k, v] of Object.entries(values)) {
          const old = props[k];
          if (Array.isArray(old)) props[k] = old.filter((m) => !sameValue(m, v));
        }
        break;
      case "$unset":
        for (const k of payload as string[]) delete props[k];
        break;
    }
  }
  // $last_seen moves on every update unless $ignore_time is set (default-properties docs).
  if (props !== null && touched && !update.ignoreTime && update.key.groupKey === "") {
    props["$last_seen"] = mixpanelDatetime(update.timeMs ?? nowMs);
  }
  return props;
}
