import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MpkitServer } from "../src/index.js";
import { b64, basic, exportAll, memoryServer } from "./support/fixtures.js";

let server: MpkitServer;
beforeEach(async () => {
  server = await memoryServer();
});
afterEach(async () => {
  await server.close();
});

const now = () => Date.now() - 1000;

async function track(events: unknown[]) {
  const res = await server.app.request(`/track?data=${encodeURIComponent(b64(events))}`);
  expect(await res.text()).toBe("1");
}

async function importLegacy(events: unknown[]) {
  const res = await server.app.request("/import?strict=1", {
    method: "POST",
    headers: { authorization: basic("sec_legacy"), "content-type": "application/json" },
    body: JSON.stringify(events),
  });
  expect(res.status).toBe(200);
}

const ids = async (projectId: number) =>
  Object.fromEntries((await exportAll(server, projectId)).map((l) => [l.event, l.properties["distinct_id"]]));

describe("Simplified ID Merge", () => {
  it("re-attributes earlier anonymous events once $device_id meets $user_id", async () => {
    await track([
      {
        event: "anon view",
        properties: { token: "tok_demo", distinct_id: "$device:d1", $device_id: "d1", time: now() },
      },
      { event: "anon click", properties: { token: "tok_demo", $device_id: "d1", time: now() } },
    ]);
    expect(await ids(1)).toEqual({ "anon view": "$device:d1", "anon click": "$device:d1" });
    await track([
      {
        event: "login",
        properties: {
          token: "tok_demo",
          distinct_id: "alice",
          $device_id: "d1",
          $user_id: "alice",
          time: now(),
        },
      },
    ]);
    expect(await ids(1)).toEqual({ "anon view": "alice", "anon click": "alice", login: "alice" });
  });

  it("joins a device to one user only", async () => {
    await track([
      { event: "a", properties: { token: "tok_demo", $device_id: "d2", $user_id: "u1", time: now() } },
      { event: "b", properties: { token: "tok_demo", $device_id: "d2", $user_id: "u2", time: now() } },
      { event: "c", properties: { token: "tok_demo", distinct_id: "$device:d2", time: now() } },
    ]);
    expect((await ids(1))["c"]).toBe("u1");
  });
});

describe("Original ID Merge", () => {
  it("merges $identify, $create_alias and $merge clusters retroactively", async () => {
    await importLegacy([
      { event: "anon", properties: { distinct_id: "anon-1", time: now(), $insert_id: "o1" } },
      { event: "other", properties: { distinct_id: "other-1", time: now(), $insert_id: "o2" } },
      { event: "aliased", properties: { distinct_id: "nick", time: now(), $insert_id: "o3" } },
    ]);
    await importLegacy([
      {
        event: "$identify",
        properties: { distinct_id: "user-1", $anon_distinct_id: "anon-1", time: now(), $insert_id: "o4" },
      },
      {
        event: "$create_alias",
        properties: { distinct_id: "user-1", alias: "nick", time: now(), $insert_id: "o5" },
      },
      {
        event: "$merge",
        properties: { $distinct_ids: ["user-1", "other-1"], time: now(), $insert_id: "o6" },
      },
    ]);
    const got = await ids(2);
    expect(got["anon"]).toBe("user-1");
    expect(got["aliased"]).toBe("user-1");
    expect(got["other"]).toBe("user-1");
  });

  it("ignores $merge sent to /track", async () => {
    await importLegacy([{ event: "x", properties: { distinct_id: "m2", time: now(), $insert_id: "t1" } }]);
    await server.app.request(
      `/track?data=${b64({ event: "$merge", properties: { token: "tok_legacy", $distinct_ids: ["m1", "m2"] } })}`,
    );
    expect((await ids(2))["x"]).toBe("m2");
  });
});
