import { describe, expect, it } from "vitest";
import { bucketKey, bucketOfLocal, bucketRange, dayNumber, utcRange } from "../src/buckets.js";
import { parseSegmentation } from "../src/params/segmentation.js";
import { numericWidth } from "../src/run/segmentation.js";
import { analysisOf, stepResults } from "../src/shape/funnels.js";
import { offsetAt, offsetSpans } from "../src/time-zone.js";

const LA = "America/Los_Angeles";

describe("time zones and buckets", () => {
  it("finds the exact DST transition instants", () => {
    const spans = offsetSpans(LA, Date.UTC(2024, 2, 1), Date.UTC(2024, 2, 20));
    expect(spans.map((s) => s.offsetMs)).toEqual([-8 * 3_600_000, -7 * 3_600_000]);
    expect(spans[1]?.fromMs).toBe(Date.UTC(2024, 2, 10, 10)); // 02:00 PST
    expect(offsetAt("Asia/Kolkata", 0)).toBe(5.5 * 3_600_000);
  });

  it("maps local days to UTC ranges across DST (a 23-hour day)", () => {
    const d = dayNumber("2024-03-10");
    const r = utcRange(LA, d, d);
    expect(r).toEqual({ fromMs: Date.UTC(2024, 2, 10, 8), toMs: Date.UTC(2024, 2, 11, 7) });
  });

  it("keys weeks by Monday, months by the 1st, hours with a clock", () => {
    const week = { unit: "week" as const, timezone: "UTC" };
    expect(
      bucketRange(week, dayNumber("2024-01-03"), dayNumber("2024-01-10")).map((id) => bucketKey(id, week)),
    ).toEqual(["2024-01-01", "2024-01-08"]);
    const month = { unit: "month" as const, timezone: "UTC" };
    expect(bucketKey(bucketOfLocal(Date.UTC(2024, 1, 29, 5), month), month)).toBe("2024-02-01");
    const hour = { unit: "hour" as const, timezone: "UTC" };
    expect(bucketKey(bucketOfLocal(Date.UTC(2024, 1, 29, 5, 30), hour), hour)).toBe("2024-02-29 05:00:00");
    const runs = {
      unit: "day" as const,
      timezone: "UTC",
      intervalDays: 3,
      originDay: dayNumber("2024-01-01"),
    };
    expect(
      bucketRange(runs, dayNumber("2024-01-01"), dayNumber("2024-01-07")).map((id) => bucketKey(id, runs)),
    ).toEqual(["2024-01-01", "2024-01-04", "2024-01-07"]);
  });
});

describe("parameters", () => {
  const ctx = { timezone: "UTC", nowMs: Date.UTC(2024, 0, 10) };
  it("parses segmentation with defaults", () => {
    const q = parseSegmentation(new URLSearchParams("event=a&from_date=2024-01-01&to_date=2024-01-02"), ctx);
    expect(q).toMatchObject({
      events: ["a"],
      type: "general",
      limit: 60,
      format: "json",
      bucketing: { unit: "day" },
    });
  });
  it("refuses a future to_date and bad expressions", () => {
    expect(() =>
      parseSegmentation(new URLSearchParams("event=a&from_date=2024-01-01&to_date=2024-01-11"), ctx),
    ).toThrow("to_date cannot be later than today");
    expect(() =>
      parseSegmentation(
        new URLSearchParams("event=a&from_date=2024-01-01&to_date=2024-01-02&on=properties["),
        ctx,
      ),
    ).toThrow(/'on' is invalid/);
  });
});

describe("shapes", () => {
  it("computes funnel ratios, 0/0 as 0, and the worst step", () => {
    const steps = [
      { event: "a", label: "a" },
      { event: "b", label: "b" },
      { event: "c", label: "c" },
    ];
    const r = stepResults(steps, [{ n: 10, dt: 0, dt0: 0 }, { n: 4, dt: 8000, dt0: 8000 }, undefined]);
    expect(r.map((s) => [s.count, s.step_conv_ratio, s.overall_conv_ratio, s.avg_time])).toEqual([
      [10, 1, 1, null],
      [4, 0.4, 0.4, 2],
      [0, 0, 0, null],
    ]);
    expect(analysisOf(r)).toEqual({ completion: 0, starting_amount: 10, steps: 3, worst: 1 });
  });
  it("picks numeric bucket widths of 1, 2 or 5 × 10^k", () => {
    expect(numericWidth(2000, 2190)).toBe(20);
    expect(numericWidth(3, 3)).toBe(1);
    expect(numericWidth(0, 1)).toBe(0.2);
  });
});
