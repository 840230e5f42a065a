import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MpkitServer } from "../src/index.js";
import { b64, basic, exportAll, memoryServer, OWNER } from "./support/fixtures.js";

let server: MpkitServer;
beforeEach(async () => {
  server = await memoryServer();
});
afterEach(async () => {
  await server.close();
});

const nowMs = () => Date.now();
const ev = (id: string, extra: Record<string, unknown> = {}) => ({
  event: "Purchase",
  properties: { time: nowMs() - 60_000, distinct_id: "u1", $insert_id: id, price: 9.5, ...extra },
});

async function post(path: string, body: string | Buffer, headers: Record<string, string> = {}) {
  return server.app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: OWNER, ...headers },
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
}

describe("/import", () => {
  it("imports a JSON array with a service account and project_id", async () => {
    const res = await post("/import?strict=1&project_id=1", JSON.stringify([ev("a1"), ev("a2")]));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ code: 200, num_records_imported: 2, status: "OK" });
    const lines = await exportAll(server);
    expect(lines.map((l) => l.properties["$insert_id"]).sort()).toEqual(["a1", "a2"]);
    expect(lines[0]?.properties["$import"]).toBe(true);
  });

  it("imports NDJSON and gzip bodies, with the project secret or the token as user name", async () => {
    const ndjson = `${JSON.stringify(ev("n1"))}\n${JSON.stringify(ev("n2"))}\n`;
    const r1 = await post("/import?strict=1", ndjson, {
      "content-type": "application/x-ndjson",
      authorization: basic("sec_demo"),
    });
    expect(r1.status).toBe(200);
    const r2 = await post("/import?strict=1", gzipSync(JSON.stringify([ev("g1")])), {
      "content-encoding": "gzip",
      authorization: basic("tok_demo"),
    });
    expect(await r2.json()).toEqual({ code: 200, num_records_imported: 1, status: "OK" });
    expect(await exportAll(server)).toHaveLength(3);
  });

  it("stores a lone surrogate as U+FFFD instead of failing the batch (also in a derived $device_id)", async () => {
    const res = await post(
      "/import?strict=1&project_id=1",
      JSON.stringify([ev("s1", { distinct_id: "$device:d\ud800", note: "x\udc00" }), ev("s2")]),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ code: 200, num_records_imported: 2, status: "OK" });
    const line = (await exportAll(server)).find((l) => l.properties["$insert_id"] === "s1");
    expect(line?.properties["$device_id"]).toBe("d\ufffd");
    expect(line?.properties["note"]).toBe("x\ufffd");
  });

  it("accepts plain-text Basic credentials after 'Basic '", async () => {
    const res = await post("/import?strict=1&project_id=1", JSON.stringify([ev("p1")]), {
      authorization: "Basic sa.owner:owner-secret",
    });
    expect(res.status).toBe(200);
  });

  it("keeps the valid records of a partly invalid strict batch and lists the failures", async () => {
    const bad = {
      event: "Purchase",
      properties: { time: nowMs() + 86_400_000, distinct_id: "u1", $insert_id: "f1" },
    };
    const res = await post("/import?strict=1&project_id=1", JSON.stringify([ev("ok1"), bad, { event: "" }]));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      code: 400,
      error: "some data points in the request failed validation",
      failed_records: [
        {
          index: 1,
          insert_id: "f1",
          $insert_id: "f1",
          field: "properties.time",
          message: "'properties.time' is invalid: must not be in the future",
        },
        {
          index: 2,
          insert_id: "",
          $insert_id: "",
          field: "event",
          message: "'event' must not be missing or blank",
        },
      ],
      num_records_imported: 1,
      status: "Bad Request",
    });
    expect((await exportAll(server)).map((l) => l.properties["$insert_id"])).toEqual(["ok1"]);
  });

  it("requires $insert_id in strict mode and generates one otherwise", async () => {
    const noId = { event: "x", properties: { time: nowMs(), distinct_id: "u1" } };
    const strict = await post("/import?strict=1&project_id=1", JSON.stringify([noId]));
    expect(strict.status).toBe(400);
    const lax = await post("/import?strict=0&project_id=1", JSON.stringify([noId]));
    expect(await lax.json()).toEqual({ code: 200, num_records_imported: 1, status: "OK" });
    const [line] = await exportAll(server);
    expect(String(line?.properties["$insert_id"])).toMatch(/^[0-9a-f]{32}$/);
  });

  it("reads times in seconds, milliseconds and fractional seconds", async () => {
    const base = Math.floor(nowMs() / 1000) - 3600;
    await post(
      "/import?strict=1&project_id=1",
      JSON.stringify([
        { event: "s", properties: { time: base, distinct_id: "u", $insert_id: "t1" } },
        { event: "ms", properties: { time: base * 1000 + 250, distinct_id: "u", $insert_id: "t2" } },
        { event: "f", properties: { time: base + 0.75, distinct_id: "u", $insert_id: "t3" } },
      ]),
    );
    const lines = await exportAll(server, 1, "&time_in_ms=true");
    const byName = Object.fromEntries(lines.map((l) => [l.event, l.properties["time"]]));
    expect(byName).toEqual({ s: base * 1000, ms: base * 1000 + 250, f: base * 1000 + 750 });
  });

  it("never doubles a retried batch", async () => {
    const batch = JSON.stringify([ev("r1"), ev("r2")]);
    await post("/import?strict=1&project_id=1", batch);
    await post("/import?strict=1&project_id=1", batch);
    expect(await exportAll(server)).toHaveLength(2);
  });

  it("answers 413 for more than 2000 records or more than 10 MB", async () => {
    const many = JSON.stringify(Array.from({ length: 2001 }, (_, i) => ev(`m${i}`)));
    const r1 = await post("/import?strict=1&project_id=1", many);
    expect(r1.status).toBe(413);
    expect(((await r1.json()) as { code: number }).code).toBe(413);
    const huge = JSON.stringify([ev("big", { blob: "x".repeat(11 * 1024 * 1024) })]);
    const r2 = await post("/import?strict=1&project_id=1", huge);
    expect(r2.status).toBe(413);
    expect(await r2.json()).toEqual({
      code: 413,
      error: "request exceeds max limit of 10485760 bytes",
      status: "Request Entity Too Large",
    });
  });

  it("refuses bad credentials, consumers and foreign projects", async () => {
    const body = JSON.stringify([ev("c1")]);
    const none = await server.app.request("/import?strict=1", { method: "POST", body });
    expect(none.status).toBe(401);
    const wrong = await post("/import?strict=1&project_id=1", body, {
      authorization: basic("sa.owner", "nope"),
    });
    expect(await wrong.json()).toEqual({ code: 401, error: "Invalid credentials", status: "Unauthorized" });
    const consumer = await post("/import?strict=1&project_id=1", body, {
      authorization: basic("sa.consumer", "consumer-secret"),
    });
    expect(consumer.status).toBe(403);
    const foreign = await post("/import?strict=1&project_id=2", body, {
      authorization: basic("sa.consumer", "consumer-secret"),
    });
    expect(foreign.status).toBe(403);
    const noProject = await post("/import?strict=1", body);
    expect(noProject.status).toBe(400);
    expect(await exportAll(server)).toHaveLength(0);
  });

  it("takes the SDKs' form-encoded data= and answers 1", async () => {
    const res = await server.app.request("/import?verbose=0", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic("sec_demo") },
      body: `data=${encodeURIComponent(b64([ev("form1")]))}`,
    });
    expect(await res.text()).toBe("1");
    expect(await exportAll(server)).toHaveLength(1);
  });

  it("applies property limits: truncates strings, rejects too many properties", async () => {
    const props: Record<string, unknown> = { time: nowMs(), distinct_id: "u", $insert_id: "lim1" };
    for (let i = 0; i < 300; i++) props[`p${i}`] = i;
    const res = await post(
      "/import?strict=1&project_id=1",
      JSON.stringify([{ event: "wide", properties: props }, ev("lim2", { long: "y".repeat(400) })]),
    );
    expect(res.status).toBe(400);
    const [line] = await exportAll(server);
    expect(String(line?.properties["long"])).toHaveLength(255);
  });

  it("rejects reserved placeholder distinct ids", async () => {
    const res = await post(
      "/import?strict=1&project_id=1",
      JSON.stringify([ev("b1", { distinct_id: "undefined" })]),
    );
    expect(res.status).toBe(400);
  });
});
