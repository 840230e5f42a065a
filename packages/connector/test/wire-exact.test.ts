import { createClient, IngestionRejectedError } from "@mpkit/connector";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentials, expectedAuth, wireClient } from "./support/fixtures.js";
import { startWireServer, type WireServer } from "./support/wire-server.js";

let server: WireServer;
beforeAll(async () => {
  server = await startWireServer();
});
afterAll(() => server.close());
const last = () => {
  const request = server.requests.at(-1);
  if (request === undefined) throw new Error("no request");
  return request;
};

describe("exact wire requests", () => {
  it("track-events: JSON array with token and $insert_id, verbose=1, no auth header", async () => {
    server.handle(() => ({ body: { status: 1, error: null } }));
    const result = await wireClient(server).trackEvents({
      events: [{ event: "Signed Up", properties: { distinct_id: "u1", time: 1 } }],
    });
    expect(result.ok).toBe(true);
    const request = last();
    expect([request.family, request.method, request.path]).toEqual(["ingestion", "POST", "/track"]);
    expect(request.query.toString()).toBe("ip=0&verbose=1");
    expect(request.headers["authorization"]).toBeUndefined();
    const [event] = request.json() as { properties: Record<string, unknown> }[];
    expect(event?.properties["token"]).toBe(credentials.token);
    expect(event?.properties["$insert_id"]).toMatch(/^[0-9a-f]{32}$/);
  });

  it("track-events: a 200 with status 0 raises IngestionRejectedError carrying Mixpanel's body", async () => {
    server.handle(() => ({ body: { status: 0, error: "token, missing or empty" } }));
    const error = await wireClient(server)
      .trackEvents({ events: [{ event: "x", properties: {} }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IngestionRejectedError);
    expect((error as IngestionRejectedError).body).toEqual({ status: 0, error: "token, missing or empty" });
  });

  it("create-profile: /engage record with $token, $distinct_id and $set", async () => {
    server.handle(() => ({ body: { status: 1, error: null } }));
    await wireClient(server).createProfile({
      distinct_id: "u1",
      properties: { $name: "Ada" },
      ignore_time: true,
    });
    expect(last().json()).toEqual([
      { $token: credentials.token, $distinct_id: "u1", $set: { $name: "Ada" }, $ignore_time: true },
    ]);
  });

  it("create-alias: form body `data=<json>` on /track", async () => {
    server.handle(() => ({ body: { status: 1, error: null } }));
    await wireClient(server).createAlias({ distinct_id: "u1", alias: "a@b.c" });
    const request = last();
    expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(JSON.parse(request.form().get("data") ?? "")).toEqual({
      event: "$create_alias",
      properties: { distinct_id: "u1", alias: "a@b.c", token: credentials.token },
    });
  });

  it("merge-identities: /import with strict=1, project_id, service-account auth", async () => {
    server.handle(() => ({ body: { code: 200, num_records_imported: 1, status: "OK" } }));
    await wireClient(server).mergeIdentities({ distinct_id_1: "a", distinct_id_2: "b" });
    const request = last();
    expect(request.query.toString()).toBe("strict=1&project_id=12345");
    expect(request.headers["authorization"]).toBe(expectedAuth.serviceAccount);
    expect(request.json()).toEqual([{ event: "$merge", properties: { $distinct_ids: ["a", "b"] } }]);
  });

  it("project secret: Basic secret: and no project_id (Mixpanel: do not provide with secret auth)", async () => {
    server.handle(() => ({ body: {} }));
    const client = createClient({
      apiSecret: credentials.apiSecret,
      projectId: 1,
      baseUrls: server.baseUrls,
    });
    await client.segmentation({ event: "E", from_date: "2024-01-01", to_date: "2024-01-02", unit: "day" });
    const request = last();
    expect(request.headers["authorization"]).toBe(expectedAuth.projectSecret);
    expect(request.query.toString()).toBe("event=E&from_date=2024-01-01&to_date=2024-01-02&unit=day");
  });

  it("aggregate-event-counts: arrays go as JSON text", async () => {
    await wireClient(server).aggregateEventCounts({
      event: ["A", "B"],
      type: "general",
      unit: "day",
      from_date: "2024-01-01",
      to_date: "2024-01-02",
    });
    expect(last().query.get("event")).toBe('["A","B"]');
  });

  it("custom-jql-query: form body with script and JSON params, project_id in the query", async () => {
    await wireClient(server).customJqlQuery({ script: "function main(){}", params: { a: 1 } });
    const request = last();
    expect(request.path).toBe("/api/query/jql");
    expect(request.query.get("project_id")).toBe("12345");
    expect(Object.fromEntries(request.form())).toEqual({ script: "function main(){}", params: '{"a":1}' });
  });

  it("create-gcs-pipeline: form with type=gcs-raw and one `events` field per event", async () => {
    await wireClient(server).createGcsPipeline({
      from_date: "2024-01-01",
      gcs_bucket: "b",
      gcs_region: "us-central1",
      events: ["A", "B"],
    });
    const form = last().form();
    expect(last().family).toBe("export");
    expect(form.get("type")).toBe("gcs-raw");
    expect(form.get("project_id")).toBe("12345");
    expect(form.getAll("events")).toEqual(["A", "B"]);
  });

  it("replace-lookup-table: PUT text/csv with project_id", async () => {
    await wireClient(server).replaceLookupTable({ id: "t1", csv: "id,name\n1,a\n" });
    const request = last();
    expect([request.method, request.path, request.headers["content-type"]]).toEqual([
      "PUT",
      "/lookup-tables/t1",
      "text/csv",
    ]);
    expect(request.text()).toBe("id,name\n1,a\n");
  });

  it("create-gdpr-deletion: bearer token and ?token=", async () => {
    await wireClient(server).createGdprDeletion({ distinct_ids: ["u1"], compliance_type: "CCPA" });
    const request = last();
    expect(request.headers["authorization"]).toBe(expectedAuth.oauth);
    expect(request.query.get("token")).toBe(credentials.token);
    expect(request.json()).toEqual({ distinct_ids: ["u1"], compliance_type: "CCPA" });
  });

  it("create-annotation: project id in the path, JSON body", async () => {
    await wireClient(server).createAnnotation({ date: "2024-01-01 00:00:00", description: "x", tags: [1] });
    expect(last().path).toBe("/api/app/projects/12345/annotations");
    expect(last().json()).toEqual({ date: "2024-01-01 00:00:00", description: "x", tags: [1] });
  });

  it("evaluate-flags: context as JSON text", async () => {
    await wireClient(server).evaluateFlags({ context: { distinct_id: "u1" } });
    expect(last().family).toBe("ingestion");
    expect(JSON.parse(last().query.get("context") ?? "")).toEqual({ distinct_id: "u1" });
  });

  it("get-projects: GET /api/app/me with the service account", async () => {
    server.handle(() => ({ body: { results: { projects: { 12345: { name: "P" } } } } }));
    const result = await wireClient(server).getProjects();
    expect(result).toEqual({ results: { projects: { 12345: { name: "P" } } } });
    expect([last().family, last().method, last().path]).toEqual(["query", "GET", "/api/app/me"]);
    expect(last().headers["authorization"]).toBe(expectedAuth.serviceAccount);
  });

  it("raw-request: any family, method and body; resolves for error statuses too", async () => {
    server.handle(() => ({ status: 404, body: { error: "nope" } }));
    const result = await wireClient(server).rawRequest({
      method: "POST",
      family: "export",
      path: "/api/2.0/x",
      query: { a: [1] },
      body: { b: 2 },
    });
    expect(result).toMatchObject({ status: 404, data: { error: "nope" } });
    expect([last().family, last().method, last().path, last().query.get("a")]).toEqual([
      "export",
      "POST",
      "/api/2.0/x",
      "[1]",
    ]);
    expect(last().json()).toEqual({ b: 2 });
  });

  it("custom-action: form encoding, and HTTP errors raise typed errors", async () => {
    server.handle(() => ({ status: 400, body: { request: "/x", error: "bad" } }));
    const error = await wireClient(server)
      .customAction({ method: "POST", path: "/api/query/x", body: { a: "b" }, body_encoding: "form" })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      name: "InvalidRequestError",
      status: 400,
      body: { request: "/x", error: "bad" },
    });
    expect(last().form().get("a")).toBe("b");
    server.handle(() => ({ body: { status: "ok" } }));
  });

  it("rejects unknown inputs by name before sending", async () => {
    const before = server.requests.length;
    await expect(
      wireClient(server).segmentation({ event: "E", from_date: "a", to_date: "b", bogus: 1 } as never),
    ).rejects.toThrow(/Unknown input "bogus"/);
    await expect(wireClient(server).segmentation({ from_date: "a", to_date: "b" } as never)).rejects.toThrow(
      /missing required input "event"/,
    );
    expect(server.requests.length).toBe(before);
  });

  it("one base URL (a self-hosted mpkit) serves every family on the same paths", async () => {
    const client = createClient({ ...credentials, baseUrl: server.url });
    await client.listSavedCohorts();
    await client.createProfile({ distinct_id: "u", properties: {} }).catch(() => undefined);
    expect(server.requests.slice(-2).map((r) => [r.family, r.path])).toEqual([
      [undefined, "/api/query/cohorts/list"],
      [undefined, "/engage"],
    ]);
  });
});
