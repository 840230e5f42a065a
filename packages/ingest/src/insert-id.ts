import { randomFillSync } from "node:crypto";
import { hash128Key } from "./hash128.js";

/** Mixpanel: `$insert_id` is at most 36 bytes of alphanumerics and `-`. */
const INSERT_ID = /^[A-Za-z0-9-]{1,36}$/;

/** True when `value` is a valid `$insert_id`. */
export function isValidInsertId(value: unknown): value is string {
  return typeof value === "string" && INSERT_ID.test(value);
}

// Random bytes come from a pool refilled 64 KiB at a time: one syscall per 4096 ids instead of one each.
const pool = Buffer.alloc(65536);
let poolOffset = pool.length;

function random16(): Buffer {
  if (poolOffset + 16 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const out = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  return out;
}

/** A fresh `$insert_id` for an event that came without one (32 hex characters, like mixpanel-python). */
export function generateInsertId(): string {
  return random16().toString("hex");
}

function toInt128(bytes: Buffer): bigint {
  return (bytes.readBigInt64BE(0) << 64n) | bytes.readBigUInt64BE(8);
}

/**
 * The de-duplication key Mixpanel defines: event name, distinct_id, time to the second and
 * `$insert_id` (https://docs.mixpanel.com/reference/event-deduplication), hashed to 128 bits: the chance
 * of two different events colliding among 1e8 is about 1e-23.
 */
export function dedupeKey(event: string, distinctId: string, timeMs: number, insertId: string): bigint {
  const second = Math.floor(timeMs / 1000);
  // The key is the hash of `${event}\0${distinctId}\0${second}\0${insertId}`, written part by part.
  return hash128Key(event, distinctId, second, insertId);
}

/** A key that never collides: events without a client `$insert_id` are not eligible for de-duplication. */
export function uniqueKey(): bigint {
  return toInt128(random16());
}
