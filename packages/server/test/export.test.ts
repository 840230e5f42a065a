import { gunzipSync } from "node:zlib";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { MpkitServer } from "../src/index.js";
import { basic, exportAll, memoryServer, OWNER, today } from "./support/fixtures.js";

let server: MpkitServer;
beforeEach(async () => {
  server = await memoryServer();
  const t = Date.now() - 3600_000;
  const events = [
    { event: "A", properties: { time: t, distinct_id: "u1", $insert_id: "e1", z: 1, $os: "Linux", a: "x" } },
    { event: "B", properties: { time: t + 1, distinct_id: "u2", $insert_id: "e2" } },
    { event: "A", properties: { time: t + 2, distinct_id: "u3", $insert_id: "e3" } },
  ];
  const res = await server.app.request("/import?strict=1&project_id=1", {
    method: "POST",
    headers: { authorization: OWNER, "content-type": "application/json" },
    body: JSON.stringify(events),
  });
  expect(res.status).toBe(200);
});
afterEach(async () => {
  await server.close();
});

const from = () => new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
const get = (query: string, auth = OWNER, headers: Record<string, string> = {}) =>
  server.app.request(`/api/2.0/export?${query}`, { headers: { authorization: auth, ...headers } });

describe("/api/2.0/export", () => {
  beforeAll(() => undefined);

  it("writes Mixpanel's line layout: time, distinct_id, then keys in code-point order", async () => {
    const res = await get(
      `project_id=1&from_date=${from()}&to_date=${today()}&event=${encodeURIComponent('["A"]')}`,
    );
    const text = await res.text();
    const first = text.split("\n").find((l) => l.includes('"e1"')) ?? "";
    expect(first).toMatch(
      /^\{"event":"A","properties":\{"time":\d+,"distinct_id":"u1","\$import":true,"\$insert_id":"e1","\$mp_api_endpoint":"localhost","\$mp_api_timestamp_ms":\d+,"\$os":"Linux","a":"x","mp_processing_time_ms":\d+,"z":1\}\}$/,
    );
    expect(text.trim().split("\n")).toHaveLength(2);
  });

  it("honours limit, time_in_ms and gzip", async () => {
    const limited = await get(`project_id=1&from_date=${from()}&to_date=${today()}&limit=1`);
    expect((await limited.text()).trim().split("\n")).toHaveLength(1);
    const lines = await exportAll(server, 1, "&time_in_ms=true");
    expect(Number(lines[0]?.properties["time"])).toBeGreaterThan(1e12);
    const gz = await get(`project_id=1&from_date=${from()}&to_date=${today()}`, OWNER, {
      "accept-encoding": "gzip",
    });
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    const body = gunzipSync(Buffer.from(await gz.arrayBuffer())).toString("utf8");
    expect(body.trim().split("\n")).toHaveLength(3);
  });

  it("answers Mixpanel's error body for bad parameters", async () => {
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const cases: [string, string][] = [
      [`project_id=1&to_date=${today()}`, "'from_date' is a required parameter"],
      [`project_id=1&from_date=${from()}&to_date=${tomorrow}`, "to_date cannot be later than today"],
      [
        `project_id=1&from_date=2024-02-30&to_date=${today()}`,
        "'from_date' is invalid: expected yyyy-mm-dd, got \"2024-02-30\"",
      ],
      [`project_id=1&from_date=${today()}&to_date=${from()}`, "'from_date' cannot be later than 'to_date'"],
      [
        `project_id=1&from_date=${from()}&to_date=${today()}&event=A`,
        `'event' must be a JSON array of event names, e.g. ["Signed Up"]`,
      ],
      [
        `project_id=1&from_date=${from()}&to_date=${today()}&limit=0`,
        "'limit' must be an integer from 1 to 100000",
      ],
    ];
    for (const [query, error] of cases) {
      const res = await get(query);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ request: `/api/2.0/export?${query}`, error });
    }
  });

  it("enforces roles: consumers and tokens cannot export, analysts and project secrets can", async () => {
    const q = `project_id=1&from_date=${from()}&to_date=${today()}`;
    expect((await get(q, basic("sa.consumer", "consumer-secret"))).status).toBe(403);
    expect((await get(q, basic("sa.analyst", "analyst-secret"))).status).toBe(200);
    expect((await get(`from_date=${from()}&to_date=${today()}`, basic("sec_demo"))).status).toBe(200);
    const token = await get(q, basic("tok_demo"));
    expect(token.status).toBe(401);
    expect(await token.json()).toMatchObject({ request: `/api/2.0/export?${q}` });
    expect((await get(q, basic("sa.owner", "wrong"))).status).toBe(401);
    expect((await get(`project_id=99&from_date=${from()}&to_date=${today()}`)).status).toBe(403);
    expect((await get(`from_date=${from()}&to_date=${today()}`)).status).toBe(400);
    expect((await get(`project_id=2&from_date=${from()}&to_date=${today()}`, basic("sec_demo"))).status).toBe(
      403,
    );
  });

  it("answers unknown API paths with Mixpanel's 400", async () => {
    const res = await server.app.request("/api/2.0/nope?x=1");
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ request: "/api/2.0/nope?x=1", error: "Invalid API endpoint" });
  });
});

describe("/api/2.0/export where", () => {
  it("filters with the expression language", async () => {
    const q = `project_id=1&from_date=${from()}&to_date=${today()}&where=${encodeURIComponent('properties["$os"] == "Linux" or properties["distinct_id"] == "u3"')}`;
    const res = await get(q);
    expect(res.status).toBe(200);
    const lines = (await res.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { properties: Record<string, unknown> });
    expect(lines.map((l) => l.properties["$insert_id"]).sort()).toEqual(["e1", "e3"]);
  });

  it("answers a 400 naming the position for a bad expression", async () => {
    const q = `project_id=1&from_date=${from()}&to_date=${today()}&where=${encodeURIComponent('properties["x" ==')}`;
    const res = await get(q);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { request: string; error: string };
    expect(body.request).toBe(`/api/2.0/export?${q}`);
    expect(body.error).toMatch(/^'where' is invalid: /);
  });
});
