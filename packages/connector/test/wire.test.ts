import { catalog, exampleInput, findAction } from "@mpkit/connector";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentials, expectedAuth, successFor, wireClient } from "./support/fixtures.js";
import { loadSpecOperations, pathMatcher } from "./support/specs.js";
import { startWireServer, type WireServer } from "./support/wire-server.js";

// Every action is called with its example input against a loopback server; the recorded request must
// match the operation in Mixpanel's spec: method, host family, path, required query parameters, body
// content type and an auth header of a scheme the operation accepts.

const operations = new Map(loadSpecOperations().map((op) => [op.ref, op]));
const schemeOfHeader = (header: string | undefined): string | undefined => {
  if (header === undefined) return undefined;
  return Object.entries(expectedAuth).find(([, value]) => value === header)?.[0];
};
const specScheme: Record<string, string> = {
  serviceAccount: "ServiceAccount",
  projectSecret: "ProjectSecret",
  oauth: "OAuthToken",
  projectToken: "ProjectToken",
};

let server: WireServer;
beforeAll(async () => {
  server = await startWireServer((request) => {
    const action =
      catalog.find((a) => a.path === request.path && a.method === request.method) ??
      findAction("segmentation");
    return successFor(action);
  });
});
afterAll(() => server.close());

describe("each action sends the request Mixpanel's spec requires", () => {
  const specActions = catalog.filter((action) => (action.operations?.length ?? 0) > 0);
  it.each(specActions.map((action) => [action.key, action] as const))("%s", async (_key, action) => {
    const client = wireClient(server);
    const before = server.requests.length;
    const result = await client.call(action.key, exampleInput(action));
    if (result instanceof ReadableStream) await result.cancel();
    expect(server.requests.length).toBe(before + 1);
    const request = server.requests.at(-1);
    if (request === undefined) throw new Error("no request recorded");
    const op = operations.get(action.operations?.[0] ?? "");
    if (op === undefined) throw new Error(`unknown operation for ${action.key}`);

    expect(request.method).toBe(op.method);
    expect(request.family).toBe(op.family);
    expect(request.path).toMatch(pathMatcher(op.path));
    for (const name of op.requiredQuery) {
      // project_id is required "if using service account"; the client uses one whenever accepted.
      expect(request.query.has(name), `query ${name}`).toBe(true);
    }
    if (request.body.length > 0) {
      const type = (request.headers["content-type"] ?? "").split(";")[0] ?? "";
      expect(op.contentTypes, `content type ${type}`).toContain(type);
    } else {
      expect(request.headers["content-type"]).toBeUndefined();
    }
    const used = schemeOfHeader(request.headers["authorization"]);
    const accepted = op.security.map((names) => names[0] ?? "none");
    // export.openapi.yaml lists only ProjectSecret, yet documents `project_id` as "Required if using
    // service account" (docs: reference/raw-data-export-api-authentication): service accounts work.
    if (op.queryParams.includes("project_id")) accepted.push("ServiceAccount");
    if (used === undefined) {
      expect(request.headers["authorization"]).toBeUndefined();
      expect(accepted).toContain("none");
    } else if (used !== "projectToken") {
      expect(accepted).toContain(specScheme[used]);
    }
    // No secret ever travels in a URL except the project token GDPR asks for as `?token=`.
    const url = request.path + request.query.toString();
    for (const secret of [credentials.serviceAccount.secret, credentials.apiSecret, credentials.oauthToken]) {
      expect(url).not.toContain(secret);
    }
  });
});
