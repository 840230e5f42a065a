import type { HostFamily } from "../http/hosts.js";
import { defineAction, type HttpMethod, type WireParts, type WireValue } from "./define.js";
import { json, object, oneOf, string } from "./fields.js";

// Escape hatches for endpoints the catalog does not model yet. Both reuse the connection's auth,
// hosts, retries and redaction.

const anyAuth = ["serviceAccount", "projectSecret", "oauth", "projectToken", "none"] as const;
const common = {
  method: oneOf(["GET", "POST", "PUT", "PATCH", "DELETE"], "HTTP method.", { default: "GET" }),
  family: oneOf(
    ["ingestion", "query", "export"],
    "Host family: ingestion (api.), query (mixpanel.com: /api/query, /api/app) or export (data.).",
    {
      default: "query",
    },
  ),
  path: string("Path starting with `/`, e.g. `/api/app/me`.", { required: true, example: "/api/app/me" }),
  query: object("Query parameters; arrays and objects are sent as JSON text."),
  body: json("JSON body (or form fields with `body_encoding: form`)."),
  body_encoding: oneOf(["json", "form"], "How `body` is encoded.", { default: "json" }),
} as const;

function wire(input: Record<string, unknown>): WireParts {
  const path = String(input["path"]);
  return {
    method: input["method"] as HttpMethod,
    family: input["family"] as HostFamily,
    path: path.startsWith("/") ? path : `/${path}`,
    query: (input["query"] as Record<string, WireValue> | undefined) ?? {},
    body: input["body"],
    bodyEncoding: input["body_encoding"] === "form" ? "form" : "json",
  };
}

export const rawRequest = defineAction({
  key: "raw-request",
  title: "Raw Request",
  aliases: ["Make an API Call"],
  description:
    "Call any Mixpanel endpoint with the connection's credentials and get `{ status, headers, data }` back for every status, errors included.",
  family: "query",
  method: "GET",
  path: "/",
  auth: anyAuth,
  rawResponse: true,
  idempotent: false,
  inputs: common,
  build: wire,
});

export const customAction = defineAction({
  key: "custom-action",
  title: "Custom Action",
  description:
    "Call any Mixpanel endpoint and get its parsed JSON answer; HTTP errors raise the usual typed errors (unlike Raw Request).",
  family: "query",
  method: "GET",
  path: "/",
  auth: anyAuth,
  idempotent: false,
  inputs: common,
  build: wire,
});
