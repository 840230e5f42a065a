import type { ActionDef, BodyEncoding, CredentialKind, WireValue } from "./catalog/define.js";
import { authorizationHeader, type Connection, chooseCredential, connectionSecrets } from "./connection.js";
import { ValidationError } from "./errors.js";
import { baseUrlFor } from "./http/hosts.js";
import { checkRequired, validateInput } from "./validate.js";

/** A fully built HTTP request, before gzip and sending. `--dry-run` prints this (redacted). */
export interface PreparedRequest {
  readonly action: string;
  readonly family: ActionDef["family"];
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  /** Uncompressed body text. */
  readonly body: string | undefined;
  readonly gzip: boolean;
  readonly idempotent: boolean;
  readonly auth: CredentialKind;
  /** Secret values to scrub from logs and errors. */
  readonly secrets: readonly string[];
}

const contentTypes: Record<BodyEncoding, string> = {
  json: "application/json",
  form: "application/x-www-form-urlencoded",
  csv: "text/csv",
  ndjson: "application/x-ndjson",
};

/** Mixpanel's convention for query and form values: scalars as text, arrays and objects as JSON text. */
export function encodeWireValue(value: WireValue): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function appendParams(
  target: URLSearchParams,
  values: Record<string, WireValue>,
  explode: ReadonlySet<string>,
): void {
  for (const [key, value] of Object.entries(values)) {
    if (explode.has(key) && Array.isArray(value)) {
      for (const item of value) target.append(key, encodeWireValue(item as WireValue) ?? "");
      continue;
    }
    const encoded = encodeWireValue(value);
    if (encoded !== undefined) target.append(key, encoded);
  }
}

function fillFromConnection(
  action: ActionDef,
  input: Record<string, unknown>,
  connection: Connection,
  auth: CredentialKind,
): void {
  const pathParams = new Set([...action.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
  for (const [key, field] of Object.entries(action.inputs)) {
    if (field.connection === undefined || input[key] !== undefined) continue;
    const value =
      field.connection === "project_id"
        ? connection.projectId
        : field.connection === "workspace_id"
          ? connection.workspaceId
          : connection.token;
    if (value === undefined) continue;
    // Mixpanel: project_id authenticates service accounts and must not accompany a project secret or
    // token (identity.openapi.yaml, /import `project_id`); path parameters are always needed.
    if (
      field.connection === "project_id" &&
      !pathParams.has(key) &&
      auth !== "serviceAccount" &&
      auth !== "oauth"
    )
      continue;
    input[key] = field.type === "number" ? Number(value) : String(value);
  }
}

/**
 * Turns an action and its input into the exact HTTP request Mixpanel's spec describes.
 * @example
 * const request = prepareRequest(segmentation, { event: "Signup", from_date: "2024-01-01", to_date: "2024-01-31" }, { serviceAccount, projectId: 1 });
 * request.url; // "https://mixpanel.com/api/query/segmentation?project_id=1&event=Signup&..."
 */
export function prepareRequest(
  action: ActionDef,
  rawInput: unknown,
  connection: Connection,
): PreparedRequest {
  const input = validateInput(action.inputs, rawInput, action.key);
  const auth = chooseCredential(action.auth, connection, action.key);
  fillFromConnection(action, input, connection, auth);
  checkRequired(action.inputs, input, action.key);

  const used = new Set<string>();
  let method: string = action.method;
  let encoding: BodyEncoding = action.body ?? "json";
  let family = action.family;
  let path = action.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    used.add(name);
    const value = input[name];
    if (value === undefined) throw new ValidationError(`${action.key}: missing path input "${name}"`);
    return encodeURIComponent(String(value));
  });
  const query: Record<string, WireValue> = {};
  const bodyFields: Record<string, unknown> = {};
  const defaultLocation = action.method === "GET" || action.method === "DELETE" ? "query" : "body";
  for (const [key, field] of Object.entries(action.inputs)) {
    if (used.has(key) || input[key] === undefined || field.in === "client") continue;
    if ((field.in ?? defaultLocation) === "query") query[key] = input[key] as WireValue;
    else bodyFields[key] = input[key];
  }
  let body: unknown = Object.keys(bodyFields).length > 0 ? bodyFields : undefined;
  const headers: Record<string, string> = {
    accept: action.response === "text" ? "text/plain, */*" : "application/json, */*",
  };
  if (action.build !== undefined) {
    const parts = action.build(input, { auth });
    if (parts.path !== undefined) path = parts.path;
    if (parts.method !== undefined) method = parts.method;
    if (parts.family !== undefined) family = parts.family;
    if (parts.bodyEncoding !== undefined) encoding = parts.bodyEncoding;
    if (parts.query !== undefined) Object.assign(query, parts.query);
    if ("body" in parts) body = parts.body;
    Object.assign(headers, parts.headers);
  }

  const url = new URL(baseUrlFor(family, connection) + path);
  const explode = new Set(
    Object.entries(action.inputs)
      .filter(([, field]) => field.type === "array" && field.explode === true)
      .map(([key]) => key),
  );
  appendParams(url.searchParams, query, explode);
  let text: string | undefined;
  if (body !== undefined) {
    if (encoding === "json") text = JSON.stringify(body);
    else if (encoding === "form") {
      const form = new URLSearchParams();
      appendParams(form, body as Record<string, WireValue>, explode);
      text = form.toString();
    } else text = String(body);
    headers["content-type"] = contentTypes[encoding];
  }
  const authorization = authorizationHeader(auth, connection);
  if (authorization !== undefined) headers["authorization"] = authorization;
  return {
    action: action.key,
    family,
    method,
    url: url.toString(),
    headers,
    body: text,
    gzip: action.gzip === true && text !== undefined,
    idempotent: action.idempotent ?? (method === "GET" || method === "PUT" || method === "DELETE"),
    auth,
    secrets: connectionSecrets(connection),
  };
}
