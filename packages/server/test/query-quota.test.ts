import { afterEach, describe, expect, it } from "vitest";
import type { MpkitServer } from "../src/index.js";
import { memoryServer, OWNER, testConfig, today } from "./support/fixtures.js";

let server: MpkitServer;
afterEach(async () => {
  await server.close();
});

describe("query quota", () => {
  it("counts the Query API and JQL against one per-project hourly budget", async () => {
    server = await memoryServer({ limits: { query: { perHour: 2 } } });
    const segmentation = () =>
      server.app.request(
        `/api/query/segmentation?project_id=1&event=x&from_date=${today()}&to_date=${today()}`,
        {
          headers: { authorization: OWNER },
        },
      );
    const jql = () =>
      server.app.request("/api/query/jql?project_id=1", {
        method: "POST",
        headers: { authorization: OWNER, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          script: `function main() { return Events({ from_date: "${today()}", to_date: "${today()}" }).reduce(mixpanel.reducer.count()); }`,
        }).toString(),
      });
    expect((await segmentation()).status).toBe(200);
    expect((await jql()).status).toBe(200);
    const over = await jql();
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await over.json()) as { error: string }).error).toMatch(
      /^Query rate limit exceeded for project_id: 1\./,
    );
    expect((await segmentation()).status).toBe(429);
  });
});

describe("query quota from the config file", () => {
  it("reads limits.query from the config", async () => {
    server = await memoryServer({ config: { ...testConfig, limits: { query: { perHour: 1 } } } });
    const q = () =>
      server.app.request(
        `/api/query/segmentation?project_id=1&event=x&from_date=${today()}&to_date=${today()}`,
        {
          headers: { authorization: OWNER },
        },
      );
    expect((await q()).status).toBe(200);
    expect((await q()).status).toBe(429);
  });
});

describe("JQL limits from the config file", () => {
  it("reads limits.jql (here a 300 ms timeout) from the config", async () => {
    server = await memoryServer({ config: { ...testConfig, limits: { jql: { timeoutMs: 300 } } } });
    const res = await server.app.request("/api/query/jql?project_id=1", {
      method: "POST",
      headers: { authorization: OWNER, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ script: "function main() { while (true) {} }" }).toString(),
    });
    expect(res.status).toBe(412);
    expect(((await res.json()) as { error: string }).error).toMatch(/time/i);
  });
});
