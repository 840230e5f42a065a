import { ValidationError } from "../errors.js";
import { ensureInsertId } from "../import/insert-id.js";
import type { Field } from "../schema.js";
import { defineAction } from "./define.js";
import {
  array,
  boolean,
  integer,
  object,
  oneOf,
  projectIdQuery,
  records,
  string,
  tokenField,
} from "./fields.js";

// Ingestion (ingestion.openapi.yaml): events, user profiles, group profiles and lookup tables on
// api.mixpanel.com. /track, /engage and /groups authenticate with the project token inside the body.

const verbose = oneOf(
  [0, 1],
  "1 makes Mixpanel answer `{status, error}` instead of a bare 1/0, so rejections are reported.",
  {
    in: "query",
    default: 1,
  },
);
const ip = oneOf(
  [0, 1],
  "1 geolocates from the request IP; 0 (the default here) does not, as server-side callers want.",
  {
    in: "query",
    default: 0,
  },
);
const strictEngage = oneOf([0, 1], "1 validates each update and reports per-record errors.", { in: "query" });

/** Copies the connection token into each event's properties unless the event carries one. */
function eventsWithToken(events: unknown, token: unknown): unknown[] {
  // /track takes at most 2000 events per request (docs: reference/track-event); streams belong in importEvents.
  if (!Array.isArray(events))
    throw new ValidationError("track-events: events must be an array (use importEvents to stream)");
  if (events.length > 2000)
    throw new ValidationError(`track-events: ${events.length} events; /track takes at most 2000`);
  return (events as Record<string, unknown>[]).map((event) => {
    const properties = { ...((event["properties"] as Record<string, unknown> | undefined) ?? {}) };
    if (token !== undefined && properties["token"] === undefined) properties["token"] = token;
    return ensureInsertId({ ...event, properties });
  });
}

export const trackEvents = defineAction({
  key: "track-events",
  title: "Track Events",
  description:
    "Send up to 2000 recent events (last 5 days) to /track, as Mixpanel's client SDKs do. Each event gets the project token and a deterministic `$insert_id` when missing. Use Import Events for older or bulk data.",
  family: "ingestion",
  method: "POST",
  path: "/track",
  auth: ["none"],
  ingestion: true,
  idempotent: true,
  operations: ["ingestion#track-event"],
  inputs: {
    events: records("Events: `{ event, properties: { distinct_id, time, ... } }`.", {
      required: true,
      example: [{ event: "Signed Up", properties: { distinct_id: "user-1", time: 1704067200 } }],
    }),
    token: tokenField,
    ip,
    verbose,
  },
  build: (input) => ({ body: eventsWithToken(input["events"], input["token"]) }),
});

export const importEvents = defineAction({
  key: "import-events",
  title: "Import Events",
  description:
    "Import events of any age through /import: batches of at most 2000 events and 10 MB, gzipped, sent concurrently, each event given a deterministic `$insert_id` before the first attempt so retries never duplicate. Per-record failures are reported.",
  family: "ingestion",
  method: "POST",
  path: "/import",
  auth: ["serviceAccount", "projectSecret", "oauth", "projectToken"],
  gzip: true,
  ingestion: true,
  idempotent: true,
  operations: ["ingestion#import-events"],
  inputs: {
    events: records(
      "Events: an array, an (async) iterable, or in the CLI a file (NDJSON, JSON, CSV; gzip allowed).",
      {
        required: true,
        example: [{ event: "Purchase", properties: { distinct_id: "user-1", time: 1704067200, amount: 20 } }],
      },
    ),
    strict: oneOf(
      [0, 1],
      "1 validates every event and lists failures per record (recommended by Mixpanel).",
      {
        in: "query",
        default: 1,
      },
    ),
    project_id: projectIdQuery,
    batch_size: integer("Events per request (Mixpanel's maximum is 2000).", { in: "client", default: 2000 }),
    concurrency: integer("Requests in flight at once (Mixpanel suggests 10-20 parallel clients at most).", {
      in: "client",
      default: 4,
    }),
  },
  build: (input) => ({ body: (input["events"] as unknown[]).map(ensureInsertId) }),
});

interface ProfileSpec<K extends string, N extends string> {
  key: K;
  title: string;
  /** The Mixpanel operation, e.g. `$set`. */
  op: string;
  /** The input holding the operation's payload. */
  field: N;
  operation: string;
  description: string;
}

const profileCommon = {
  distinct_id: string("The profile's distinct_id.", { required: true, example: "user-1" }),
  token: tokenField,
  ignore_time: boolean("Do not update `$last_seen` (sends `$ignore_time: true`)."),
  ip,
  verbose,
  strict: strictEngage,
} as const;

function profileAction<const K extends string, const N extends string, const P extends Field>(
  spec: ProfileSpec<K, N>,
  payload: P,
) {
  const inputs = { ...profileCommon, [spec.field]: payload } as typeof profileCommon & Record<N, P>;
  return defineAction({
    key: spec.key,
    title: spec.title,
    description: spec.description,
    family: "ingestion",
    method: "POST",
    path: "/engage",
    auth: ["none"],
    ingestion: true,
    // $set/$unset/$union/$remove are idempotent; $add and $append are not, so they are not retried on 5xx.
    idempotent: spec.op !== "$add" && spec.op !== "$append",
    operations: [`ingestion#${spec.operation}`],
    inputs,
    build: (input) => {
      const update: Record<string, unknown> = { $token: input["token"], $distinct_id: input["distinct_id"] };
      update[spec.op] = input[spec.field];
      if (input["ignore_time"] === true) update["$ignore_time"] = true;
      return { body: [update] };
    },
  });
}

const properties = (what: string) =>
  object(what, { required: true, example: { $name: "Ada Lovelace", plan: "pro" } });

export const createProfile = profileAction(
  {
    key: "create-profile",
    title: "Create Profile",
    op: "$set",
    field: "properties",
    operation: "profile-set",
    description: "Create a user profile (or overwrite its properties) with `$set`.",
  },
  properties("Profile properties, e.g. `$name`, `$email`."),
);
export const setProfileProperties = profileAction(
  {
    key: "set-profile-properties",
    title: "Set Profile Properties",
    op: "$set",
    field: "properties",
    operation: "profile-set",
    description: "Set properties on a user profile, overwriting existing values (`$set`).",
  },
  properties("Properties to set."),
);
export const setProfilePropertiesOnce = profileAction(
  {
    key: "set-profile-properties-once",
    title: "Set Profile Properties Once",
    op: "$set_once",
    field: "properties",
    operation: "profile-set-property-once",
    description: "Set properties only where the profile has no value yet (`$set_once`).",
  },
  properties("Properties to set when absent."),
);
export const incrementProfileProperties = profileAction(
  {
    key: "increment-profile-properties",
    title: "Increment Numerical Property",
    op: "$add",
    field: "increments",
    operation: "profile-numerical-add",
    description:
      "Add to numeric profile properties (`$add`); negative values subtract. Not retried on server errors, as a repeat would add twice.",
  },
  object("Property → amount to add.", { required: true, example: { logins: 1 } }),
);
export const unionProfileListProperties = profileAction(
  {
    key: "union-profile-list-properties",
    title: "Union To List Property",
    op: "$union",
    field: "values",
    operation: "user-profile-union",
    description: "Merge values into list properties without duplicates (`$union`).",
  },
  object("Property → list of values to merge.", { required: true, example: { tags: ["beta"] } }),
);
export const appendProfileListProperties = profileAction(
  {
    key: "append-profile-list-properties",
    title: "Append to List Property",
    op: "$append",
    field: "values",
    operation: "profile-append-to-list-property",
    description: "Append one value to each named list property (`$append`). Not retried on server errors.",
  },
  object("Property → value to append.", { required: true, example: { visited: "pricing" } }),
);
export const removeProfileListProperties = profileAction(
  {
    key: "remove-profile-list-properties",
    title: "Remove from List Property",
    op: "$remove",
    field: "values",
    operation: "profile-remove-from-list-property",
    description: "Remove a value from each named list property (`$remove`).",
  },
  object("Property → value to remove.", { required: true, example: { tags: "beta" } }),
);
export const unsetProfileProperties = profileAction(
  {
    key: "unset-profile-properties",
    title: "Delete Profile Property",
    op: "$unset",
    field: "names",
    operation: "profile-delete-property",
    description: "Remove properties from a user profile (`$unset`).",
  },
  array(string("Property name."), "Property names to remove.", { required: true, example: ["plan"] }),
);

export const deleteProfile = defineAction({
  key: "delete-profile",
  title: "Delete Profile",
  description: "Delete a user profile (`$delete`). Events are kept; use a GDPR deletion to remove them too.",
  family: "ingestion",
  method: "POST",
  path: "/engage",
  auth: ["none"],
  ingestion: true,
  idempotent: true,
  operations: ["ingestion#delete-profile"],
  inputs: {
    distinct_id: profileCommon.distinct_id,
    token: tokenField,
    ignore_alias: boolean("Do not follow an alias to its original profile (`$ignore_alias`).", {
      default: false,
    }),
    verbose,
    strict: strictEngage,
  },
  build: (input) => ({
    body: [
      {
        $token: input["token"],
        $distinct_id: input["distinct_id"],
        $delete: "",
        ...(input["ignore_alias"] === true ? { $ignore_alias: true } : {}),
      },
    ],
  }),
});

export const updateMultipleProfiles = defineAction({
  key: "update-multiple-profiles",
  title: "Update Multiple Profiles",
  description:
    "Send up to 2000 profile updates in one /engage request; each is a Mixpanel update object (`$distinct_id` plus one operation such as `$set`). `$token` is added when missing.",
  family: "ingestion",
  method: "POST",
  path: "/engage",
  auth: ["none"],
  ingestion: true,
  idempotent: false,
  operations: ["ingestion#profile-batch-update"],
  inputs: {
    updates: array(object("One update."), "Profile updates, e.g. `{ $distinct_id, $set: {...} }`.", {
      required: true,
      example: [{ $distinct_id: "user-1", $set: { plan: "pro" } }],
    }),
    token: tokenField,
    ip,
    verbose,
    strict: strictEngage,
  },
  build: (input) => ({
    body: (input["updates"] as Record<string, unknown>[]).map((update) => ({
      $token: input["token"],
      ...update,
    })),
  }),
});
