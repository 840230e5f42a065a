/**
 * Deterministic `$insert_id` for events that lack one. Mixpanel de-duplicates on (event, distinct_id,
 * time, `$insert_id`) (docs: reference/event-deduplication), so an id fixed *before* the first attempt
 * makes retries, and re-running the same import, safe (stripe's idempotency-key idea).
 * The hash is cyrb128 (bryc, public domain): 128 bits as 32 hex characters, within Mixpanel's limit of
 * 36 alphanumeric characters, and fast enough for millions of events.
 * @example
 * insertIdFor('{"event":"Signup"}'); // 32 hex characters, the same on every run
 */
export function insertIdFor(text: string): string {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1, h2, h3, h4].map((h) => (h >>> 0).toString(16).padStart(8, "0")).join("");
}

/** Adds `properties.$insert_id` (in place) when missing; returns the event. */
export function ensureInsertId<T>(event: T): T {
  const properties = (event as { properties?: unknown } | null)?.properties;
  if (properties !== null && typeof properties === "object" && !("$insert_id" in properties)) {
    (properties as Record<string, unknown>)["$insert_id"] = insertIdFor(JSON.stringify(event));
  }
  return event;
}
