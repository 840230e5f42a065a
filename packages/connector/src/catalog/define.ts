import type { HostFamily } from "../http/hosts.js";
import type { Field, Inputs } from "../schema.js";

/**
 * How an action authenticates (docs: reference/authentication):
 * - `serviceAccount`: HTTP Basic `username:secret`, plus `project_id` on project-scoped calls;
 * - `projectSecret`: HTTP Basic `secret:` (legacy; Mixpanel retires it on 2027-03-03);
 * - `projectToken`: HTTP Basic `token:` (/import, /flags);
 * - `oauth`: `Authorization: Bearer <token>` (GDPR API);
 * - `none`: no header; the project token travels in the body (/track, /engage, /groups).
 */
export type CredentialKind = "serviceAccount" | "projectSecret" | "projectToken" | "oauth" | "none";

/** Body encodings Mixpanel's specs use. */
export type BodyEncoding = "json" | "form" | "csv" | "ndjson";

/** What a call resolves to: parsed JSON, text, bytes, or the unread response body (export streams). */
export type ResponseType = "json" | "text" | "binary" | "stream";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Query or form values before encoding; arrays and objects are sent as JSON text, Mixpanel's convention. */
export type WireValue =
  | string
  | number
  | boolean
  | readonly unknown[]
  | Record<string, unknown>
  | null
  | undefined;

/** The wire parts an action's `build` may set; anything left out comes from the default mapping. */
export interface WireParts {
  method?: HttpMethod;
  family?: HostFamily;
  path?: string;
  query?: Record<string, WireValue>;
  /** Already in the action's body encoding: an object for json/form, a string for csv/ndjson. */
  body?: unknown;
  bodyEncoding?: BodyEncoding;
  headers?: Record<string, string>;
}

/** What `build` knows besides the input. */
export interface BuildContext {
  readonly auth: CredentialKind;
}

/**
 * One Mixpanel action: everything the client, CLI and docs need.
 * Inputs use Mixpanel's wire names (`from_date`, `distinct_id`) so the docs read like Mixpanel's.
 */
export interface ActionDef<I extends Inputs = Inputs> {
  /** kebab-case; the CLI command name. The client method is its camelCase form. */
  readonly key: string;
  readonly title: string;
  readonly description: string;
  /** Names integration platforms give this action, when different from `title`. */
  readonly aliases?: readonly string[];
  readonly family: HostFamily;
  readonly method: HttpMethod;
  /** Full path with `{input}` placeholders, e.g. `/api/app/projects/{project_id}/annotations`. */
  readonly path: string;
  /** Accepted credentials in order of preference; the first one the connection has is used. */
  readonly auth: readonly CredentialKind[];
  readonly inputs: I;
  /** @default "json" when the action has body inputs */
  readonly body?: BodyEncoding;
  /** @default "json" */
  readonly response?: ResponseType;
  /** Gzip the body (Mixpanel accepts `Content-Encoding: gzip` on /import). */
  readonly gzip?: boolean;
  /**
   * Whether sending twice is harmless; decides if 5xx/network errors are retried.
   * @default true for GET, PUT, DELETE; false otherwise
   */
  readonly idempotent?: boolean;
  /** Ingestion endpoint: the response is normalised into an `IngestResult` and checked for rejections. */
  readonly ingestion?: boolean;
  /** Resolve to `{ status, headers, data }` for every status instead of throwing (Raw Request). */
  readonly rawResponse?: boolean;
  /** Spec operations this action implements, as `<spec file stem>#<operationId>`. */
  readonly operations?: readonly string[];
  /** Custom wire mapping for shapes the default mapping cannot express (e.g. `$set` profile records). */
  readonly build?: (input: Record<string, unknown>, context: BuildContext) => WireParts;
}

/** Declares an action, keeping its literal types so the client can be typed from it. */
export function defineAction<const D extends ActionDef>(action: D): D {
  return action;
}

/** Every field of an action, flattened for docs/CLI. */
export function fieldEntries(action: ActionDef): [string, Field][] {
  return Object.entries(action.inputs);
}
