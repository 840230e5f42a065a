import { MixpanelError } from "@mpkit/connector";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wireClient } from "./support/fixtures.js";
import { startWireServer, type WireServer } from "./support/wire-server.js";

let server: WireServer;
beforeAll(async () => {
  server = await startWireServer();
});
afterAll(() => server.close());

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe("exportEvents", () => {
  it("streams NDJSON split across chunks from the export host", async () => {
    server.handle(() => ({
      chunks: ['{"event":"A","properties":{"ti', 'me":1}}\n{"event":"B",', '"properties":{"time":2}}\n'],
    }));
    const events = await collect(
      wireClient(server).exportEvents({ from_date: "2024-01-01", to_date: "2024-01-02", event: ["A", "B"] }),
    );
    expect(events.map((e) => e.event)).toEqual(["A", "B"]);
    const request = server.requests.at(-1);
    expect([request?.family, request?.path, request?.query.get("event")]).toEqual([
      "export",
      "/api/2.0/export",
      '["A","B"]',
    ]);
  });
  it("fails loudly on `terminated early`", async () => {
    server.handle(() => ({ chunks: ['{"event":"A","properties":{}}\n', "terminated early\n"] }));
    await expect(
      collect(wireClient(server).exportEvents({ from_date: "2024-01-01", to_date: "2024-01-02" })),
    ).rejects.toBeInstanceOf(MixpanelError);
  });
  it("lets the consumer stop early", async () => {
    server.handle(() => ({
      chunks: Array.from({ length: 50 }, (_, i) => `{"event":"E${i}","properties":{}}\n`),
    }));
    for await (const event of wireClient(server).exportEvents({
      from_date: "2024-01-01",
      to_date: "2024-01-02",
    })) {
      expect(event.event).toBe("E0");
      break;
    }
  });
});

describe("profiles", () => {
  it("pages through /engage with session_id and page", async () => {
    server.requests.length = 0;
    server.handle((request) => {
      const page = Number(request.form().get("page") ?? 0);
      const results =
        page < 2
          ? [{ $distinct_id: `u${page}a` }, { $distinct_id: `u${page}b` }]
          : [{ $distinct_id: "last" }];
      return { body: { page, page_size: 2, session_id: "s1", total: 5, results } };
    });
    const profiles = await collect(wireClient(server).profiles({ where: 'properties["plan"] == "pro"' }));
    expect(profiles.map((p) => p["$distinct_id"])).toEqual(["u0a", "u0b", "u1a", "u1b", "last"]);
    expect(server.requests.map((r) => [r.form().get("page"), r.form().get("session_id")])).toEqual([
      ["0", null],
      ["1", "s1"],
      ["2", "s1"],
    ]);
  });
});
