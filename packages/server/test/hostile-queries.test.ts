/**
 * Requests found by review to crash, stall or 500 the read side; each must now get a Mixpanel-shaped
 * 4xx quickly, and the server must keep answering.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MpkitServer } from "../src/index.js";
import { memoryServer, OWNER, today } from "./support/fixtures.js";

let server: MpkitServer;
beforeEach(async () => {
  server = await memoryServer({ limits: { maxBodyBytes: 64 * 1024 } });
  const t = Date.now() - 3_600_000;
  const res = await server.app.request("/import?strict=1&project_id=1", {
    method: "POST",
    headers: { authorization: OWNER, "content-type": "application/json" },
    body: JSON.stringify([
      { event: "A", properties: { time: t, distinct_id: "u1", $insert_id: "h1", n: 1e308 } },
      { event: "A", properties: { time: t + 1, distinct_id: "u2", $insert_id: "h2", n: -1e308 } },
    ]),
  });
  expect(res.status).toBe(200);
});
afterEach(async () => {
  await server.close();
});

const get = (path: string) => server.app.request(path, { headers: { authorization: OWNER } });
const range = () => `from_date=${today()}&to_date=${today()}`;
const huge = encodeURIComponent('properties["n"] > 1e999');

async function expectError(res: Response, status: number): Promise<string> {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { request?: string; error: string };
  expect(typeof body.error).toBe("string");
  return body.error;
}

describe("hostile read requests", () => {
  it("answers an out-of-range number in an expression with a 400 everywhere", async () => {
    expect(
      await expectError(await get(`/api/2.0/retention?project_id=1&born_event=A&${range()}&on=${huge}`), 400),
    ).toMatch(/finite number/);
    await expectError(await get(`/api/2.0/retention/addiction?project_id=1&${range()}&on=${huge}`), 400);
    await expectError(await get(`/api/2.0/segmentation?project_id=1&event=A&${range()}&where=${huge}`), 400);
    await expectError(await get(`/api/2.0/export?project_id=1&${range()}&where=${huge}`), 400);
    const jql = await server.app.request("/api/query/jql?project_id=1", {
      method: "POST",
      headers: { authorization: OWNER, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        script: `function main() { return Events({ from_date: "${today()}", to_date: "${today()}", event_selectors: [{ event: "A", selector: 'properties["n"] > 1e999' }] }); }`,
      }).toString(),
    });
    expect(jql.status).toBe(400);
    // Still serving.
    expect((await get(`/api/2.0/segmentation?project_id=1&event=A&${range()}`)).status).toBe(200);
  });

  it("refuses huge bucket lists and pre-1970 dates instead of stalling", async () => {
    const started = Date.now();
    expect(
      await expectError(
        await get(
          `/api/2.0/segmentation?project_id=1&event=A&from_date=2014-01-01&to_date=${today()}&unit=minute`,
        ),
        400,
      ),
    ).toMatch(/too many minute buckets/);
    await expectError(
      await get(`/api/2.0/segmentation?project_id=2&event=A&from_date=0100-01-01&to_date=${today()}`),
      400,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("buckets numeric segmentation of values near the double range", async () => {
    const res = await get(
      `/api/2.0/segmentation/numeric?project_id=1&event=A&${range()}&on=${encodeURIComponent('properties["n"]')}`,
    );
    expect(res.status).toBe(200);
  });

  it("refuses oversize read bodies before buffering them, in the query shape", async () => {
    const res = await server.app.request("/api/2.0/segmentation", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `event=A&pad=${"x".repeat(200 * 1024)}`,
    });
    expect(await expectError(res, 413)).toMatch(/exceeds max limit/);
  });

  it("validates saved reports: step counts, dates and windows", async () => {
    const post = (kind: string, body: unknown) =>
      server.app.request(`/api/app/projects/1/${kind}`, {
        method: "POST",
        headers: { authorization: OWNER, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const steps = Array.from({ length: 61 }, () => ({ event: "A" }));
    await expectError(await post("funnels", { name: "f", steps }), 400);
    await expectError(await post("funnels", { name: "f", steps: steps.slice(0, 2), length: 91 }), 400);
    await expectError(
      await post("bookmarks", { name: "b", events: ["A"], from_date: "2024-02-30", to_date: "2024-03-01" }),
      400,
    );
    await expectError(
      await post("bookmarks", { name: "b", events: ["A"], from_date: "2024-03-02", to_date: "2024-03-01" }),
      400,
    );
    await expectError(
      await post("bookmarks", { name: "b", events: ["A"], from_date: "0000-01-01", to_date: "2024-03-01" }),
      400,
    );
  });
});
