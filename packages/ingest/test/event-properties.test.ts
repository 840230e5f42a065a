/** The stored property object of a normalized event: what is kept, replaced, added and truncated. */
import { Utf8Writer } from "@mpkit/storage";
import { describe, expect, it, vi } from "vitest";
import { normalizeEvent, validateEvent, writeProperties } from "../src/index.js";

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

  it("are the same bytes whether serialized to a string (/track) or written into a batch (/import)", () => {
    // Date.now is fixed so that mp_processing_time_ms is the same in both serializations.
    const clock = vi.spyOn(Date, "now").mockReturnValue(now + 5);
    try {
      const values = ["x", "é😀", "\ud800", 'q"\n', 12, -0.5, 1e21, true, null, [1, ["a"]], { o: { p: 1 } }];
      for (let i = 0; i < 300; i++) {
        const properties: Record<string, unknown> = { time: now - 1000 - i, distinct_id: `u${i % 7}` };
        for (let k = 0; k < i % 12; k++) properties[`p${(i * 7 + k) % 15}`] = values[(i + k) % values.length];
        if (i % 3 === 0) properties["$insert_id"] = `id-${i}`;
        if (i % 5 === 0) properties["$device_id"] = `dev${i}`;
        const raw = { event: `e${i % 4}`, properties };
        for (const endpoint of ["track", "import"] as const) {
          const n = normalizeEvent(raw, ctx(endpoint));
          const v = validateEvent(raw, ctx(endpoint));
          if (n.kind !== "ok" || v.kind !== "ok") throw new Error("not ok");
          const out = new Utf8Writer(8);
          writeProperties(out, v.value);
          const text = Buffer.from(out.view()).toString("utf8");
          // Generated $insert_ids differ between the two calls; everything else is identical.
          const blank = (t: string) => t.replace(/"\$insert_id":"[0-9a-f]{32}"/, '"$insert_id":""');
          expect(blank(text)).toBe(blank(n.value.propertiesJson));
        }
      }
    } finally {
      clock.mockRestore();
    }
  });
});
