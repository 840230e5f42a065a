/**
 * Lone UTF-16 surrogates are legal in JSON text (`"\ud800"`) but not text: DuckDB refuses them in JSON
 * and VARCHAR values, so one of them once failed a whole batch's insert. Every string an event or a
 * profile update stores must come out well-formed (U+FFFD in their place, as Go's JSON decoder does).
 */
import { describe, expect, it } from "vitest";
import { type NormalizedEvent, normalizeEvent, normalizeProfileUpdate } from "../src/index.js";

const LONE = "\ud800";
const ctx = {
  endpoint: "import" as const,
  strict: false,
  identityMode: "simplified" as const,
  receivedAtMs: Date.now(),
  apiHost: "api.example",
  clientIp: undefined,
};

/** Every string in a JSON value, keys included. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  }
  return [];
}

function stored(e: NormalizedEvent): string[] {
  return [e.event, e.distinctId, ...strings(JSON.parse(e.propertiesJson))];
}

describe("lone surrogates", () => {
  it("become U+FFFD in event names, ids, property names and values, nested ones included", () => {
    const r = normalizeEvent(
      {
        event: `name ${LONE}`,
        properties: {
          time: Date.now() - 60_000,
          // No $device_id: it is derived from the distinct_id, and must be repaired too.
          distinct_id: `$device:d${LONE}`,
          [`key ${LONE}`]: `value ${LONE}`,
          // A 255-character cut in the middle of a surrogate pair leaves a lone high surrogate.
          cut: `${"x".repeat(254)}😀`,
          nested: { [`k${LONE}`]: [`v${LONE}`, { deep: `d${LONE}` }] },
        },
      },
      ctx,
    );
    expect(r.kind).toBe("ok");
    if (r.kind !== "ok") return;
    for (const s of stored(r.value)) expect(s.isWellFormed(), JSON.stringify(s)).toBe(true);
    expect(r.value.propertiesJson).not.toMatch(/\\ud[89a-f]/i);
    const props = JSON.parse(r.value.propertiesJson) as Record<string, unknown>;
    expect(props["$device_id"]).toBe("d\ufffd");
    expect(props["key \ufffd"]).toBe("value \ufffd");
    expect(props["cut"]).toBe(`${"x".repeat(254)}\ufffd`);
    expect(r.value.event).toBe("name \ufffd");
  });

  it("become U+FFFD in profile ids and properties", () => {
    const r = normalizeProfileUpdate(
      { $token: "t", $distinct_id: `u${LONE}`, $set: { [`p${LONE}`]: `v${LONE}` } },
      "user",
    );
    expect(r.kind).toBe("ok");
    if (r.kind !== "ok") return;
    expect(strings(JSON.parse(JSON.stringify(r.value.update))).every((s) => s.isWellFormed())).toBe(true);
  });
});
