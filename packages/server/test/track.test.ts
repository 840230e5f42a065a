import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MpkitServer } from "../src/index.js";
import { b64, exportAll, memoryServer } from "./support/fixtures.js";

let server: MpkitServer;
beforeEach(async () => {
  server = await memoryServer();
});
afterEach(async () => {
  await server.close();
});

const nowSec = () => Math.floor(Date.now() / 1000);

describe("/track", () => {
  it("accepts the node SDK's GET with base64 data and answers 1", async () => {
    const event = {
      event: "Signed Up",
      properties: { distinct_id: "user-1", token: "tok_demo", plan: "pro" },
    };
    const res = await server.app.request(`/track?ip=0&verbose=0&data=${encodeURIComponent(b64(event))}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("1");
    const [line] = await exportAll(server);
    expect(line?.event).toBe("Signed Up");
    expect(line?.properties["distinct_id"]).toBe("user-1");
    expect(line?.properties["plan"]).toBe("pro");
    expect(line?.properties["token"]).toBeUndefined();
    expect(line?.properties["$mp_api_endpoint"]).toBe("localhost");
    expect(Object.keys(line?.properties ?? {}).slice(0, 2)).toEqual(["time", "distinct_id"]);
  });

  it("accepts form POST batches, with a trailing slash, and answers verbose JSON", async () => {
    const batch = [
      { event: "a", properties: { distinct_id: "u", token: "tok_demo", time: nowSec(), $insert_id: "i1" } },
      { event: "b", properties: { distinct_id: "u", token: "tok_demo", time: Date.now(), $insert_id: "i2" } },
    ];
    const res = await server.app.request("/track/?verbose=1&ip=1", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `data=${encodeURIComponent(b64(batch))}`,
    });
    expect(await res.json()).toEqual({ status: 1, error: null });
    expect((await exportAll(server)).map((l) => l.event).sort()).toEqual(["a", "b"]);
  });

  it("reads sendBeacon's text/plain form body and plain JSON data", async () => {
    const batch = [{ event: "beacon", properties: { distinct_id: "u", token: "tok_demo" } }];
    const res = await server.app.request("/track/?ip=1", {
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8" },
      body: `data=${encodeURIComponent(JSON.stringify(batch))}`,
    });
    expect(await res.text()).toBe("1");
    expect((await exportAll(server)).map((l) => l.event)).toEqual(["beacon"]);
  });

  it("answers 0 and a verbose error for an unknown token, and stores nothing", async () => {
    const event = { event: "x", properties: { distinct_id: "u", token: "nope" } };
    const res = await server.app.request(`/track?verbose=1&data=${b64(event)}`);
    expect(await res.json()).toEqual({ status: 0, error: "token, invalid" });
    expect(await exportAll(server)).toEqual([]);
  });

  it("serves JSONP, the pixel and redirects", async () => {
    const data = b64({ event: "x", properties: { distinct_id: "u", token: "tok_demo" } });
    const jsonp = await server.app.request(`/track?callback=mixpanel._jsc[123]&data=${data}`);
    expect(await jsonp.text()).toBe("mixpanel._jsc[123](1);");
    const gif = await server.app.request(`/track?img=1&data=${data}`);
    expect(gif.headers.get("content-type")).toBe("image/gif");
    expect(new Uint8Array(await gif.arrayBuffer()).slice(0, 6)).toEqual(new TextEncoder().encode("GIF89a"));
    const redirect = await server.app.request(
      `/track?redirect=${encodeURIComponent("https://example.com/x")}&data=${data}`,
    );
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe("https://example.com/x");
  });

  it("echoes Origin with credentials for CORS and answers preflights", async () => {
    const pre = await server.app.request("/track/", {
      method: "OPTIONS",
      headers: { origin: "http://app.test", "access-control-request-headers": "content-type" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("http://app.test");
    expect(pre.headers.get("access-control-allow-credentials")).toBe("true");
    const data = b64({ event: "x", properties: { distinct_id: "u", token: "tok_demo" } });
    const res = await server.app.request(`/track/?data=${data}`, { headers: { origin: "http://app.test" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("http://app.test");
  });

  it("drops events older than five days and clamps future times", async () => {
    const old = {
      event: "old",
      properties: { distinct_id: "u", token: "tok_demo", time: nowSec() - 6 * 86400 },
    };
    const res = await server.app.request(`/track?verbose=1&data=${b64(old)}`);
    expect(((await res.json()) as { status: number }).status).toBe(0);
    const future = {
      event: "f",
      properties: { distinct_id: "u", token: "tok_demo", time: nowSec() + 86400 },
    };
    await server.app.request(`/track?data=${b64(future)}`);
    const [line] = await exportAll(server);
    expect(Number(line?.properties["time"])).toBeLessThanOrEqual(nowSec() + 1);
  });

  it("stores a retried event once ($insert_id de-duplication)", async () => {
    const e = {
      event: "a",
      properties: { distinct_id: "u", token: "tok_demo", time: nowSec(), $insert_id: "dup-1" },
    };
    await server.app.request(`/track?data=${b64(e)}`);
    await server.app.request(`/track?data=${b64([e, e])}`);
    expect(await exportAll(server)).toHaveLength(1);
  });

  it("answers 0 for broken base64 and broken JSON", async () => {
    expect(await (await server.app.request("/track?data=%%%%")).text()).toBe("0");
    expect(await (await server.app.request(`/track?data=${encodeURIComponent("{not json")}`)).text()).toBe(
      "0",
    );
    expect(await (await server.app.request("/track")).text()).toBe("0");
  });
});
