/** The stored property object of a normalized event: what is kept, replaced, added and truncated. */
import { describe, expect, it } from "vitest";
import { normalizeEvent } from "../src/index.js";

const now = Date.now();
const ctx = (endpoint: "track" | "import") => ({
  endpoint,
  strict: false,
  identityMode: "simplified" as const,
  receivedAtMs: now,
  apiHost: "api.example",
  clientIp: undefined,
});

function props(endpoint: "track" | "import", properties: Record<string, unknown>) {
  const r = normalizeEvent({ event: "e", properties: { time: now - 1000, ...properties } }, ctx(endpoint));
  if (r.kind !== "ok") throw new Error(`not ok: ${JSON.stringify(r)}`);
  return JSON.parse(r.value.propertiesJson) as Record<string, unknown>;
}

describe("stored properties", () => {
  it("replace the client's values for the properties the server adds, and strip token, ip and ids", () => {
    const p = props("import", {
      distinct_id: "u",
      token: "t",
      ip: "1.2.3.4",
      $insert_id: "abc",
      $mp_api_endpoint: "spoofed",
      $mp_api_timestamp_ms: 1,
      mp_processing_time_ms: 2,
      $import: false,
      plan: "pro",
    });
    expect(p).toMatchObject({
      $insert_id: "abc",
      $mp_api_endpoint: "api.example",
      $mp_api_timestamp_ms: now,
      $import: true,
      plan: "pro",
    });
    expect(p["mp_processing_time_ms"]).not.toBe(2);
    for (const k of ["distinct_id", "token", "ip", "time"]) expect(p).not.toHaveProperty(k);
  });

  it("carry each request's own host and receipt time (their text is rendered once per value, not per event)", () => {
    const stamps = [
      { apiHost: "a.example", receivedAtMs: now },
      { apiHost: "b.example", receivedAtMs: now + 1 },
      { apiHost: "a.example", receivedAtMs: now },
      { apiHost: 'quote"host', receivedAtMs: now + 2.5 },
    ];
    for (const { apiHost, receivedAtMs } of stamps) {
      const r = normalizeEvent(
        { event: "e", properties: { time: now - 1000, distinct_id: "u" } },
        { ...ctx("import"), apiHost, receivedAtMs },
      );
      if (r.kind !== "ok") throw new Error("not ok");
      const p = JSON.parse(r.value.propertiesJson) as Record<string, unknown>;
      expect([p["$mp_api_endpoint"], p["$mp_api_timestamp_ms"]]).toEqual([apiHost, receivedAtMs]);
      expect(p["mp_processing_time_ms"]).toBeGreaterThanOrEqual(now);
    }
  });

  it("keep a client's $import on /track, where the server does not set it", () => {
    expect(props("track", { distinct_id: "u", $import: "yes" })["$import"]).toBe("yes");
  });

  it("keep a sent $device_id over the one derived from a $device: distinct_id", () => {
    expect(props("import", { distinct_id: "$device:derived", $device_id: "sent" })["$device_id"]).toBe(
      "sent",
    );
    expect(props("import", { distinct_id: "$device:derived" })["$device_id"]).toBe("derived");
  });

  it("truncate names to 255 characters; names that become equal are one property, the last value winning", () => {
    const base = "k".repeat(255);
    const p = props("import", { distinct_id: "u", [base]: 1, [`${base}a`]: 2, [`${base}b`]: 3, short: 4 });
    expect(p[base]).toBe(3);
    expect(Object.keys(p).filter((k) => k.startsWith("kkk"))).toEqual([base]);
    expect(p["short"]).toBe(4);
  });

  it("keep a property named __proto__ as an ordinary property", () => {
    const r = normalizeEvent(
      JSON.parse(`{"event":"e","properties":{"time":${now - 1000},"distinct_id":"u","__proto__":{"x":1}}}`),
      ctx("import"),
    );
    expect(r.kind === "ok" && r.value.propertiesJson).toContain('"__proto__":{"x":1}');
  });
});
