import { defineAction } from "./define.js";
import {
  array,
  boolean,
  fromDate,
  integer,
  object,
  on,
  oneOf,
  projectIdQuery,
  string,
  toDate,
  where,
  workspaceIdQuery,
} from "./fields.js";

// Query API (query.openapi.yaml) on mixpanel.com/api/query. Rate limits: 60 queries per hour and 5
// concurrent per project (docs: reference/rate-limits). Service account or project secret.

const auth = ["serviceAccount", "projectSecret"] as const;
const scope = { project_id: projectIdQuery, workspace_id: workspaceIdQuery } as const;
const event = string("A single event name.", { required: true, example: "Signed Up" });
const type = oneOf(
  ["general", "unique", "average"],
  "general: total events; unique: unique users; average: per user.",
  {
    required: true,
    example: "general",
  },
);
const segmentationUnit = oneOf(["hour", "day"], "Bucket size.");
const base = { family: "query", auth } as const;

export const queryInsights = defineAction({
  ...base,
  key: "query-insights",
  title: "Query Insights Saved Report",
  aliases: ["Query Insights Saved Reports"],
  description: "Get the data of a saved Insights report by its bookmark id.",
  method: "GET",
  path: "/api/query/insights",
  operations: ["query#insights-query"],
  inputs: {
    ...scope,
    bookmark_id: integer("Report id, from the report URL (`.../view/<W>/app/boards#...report-<ID>`).", {
      required: true,
      example: 4000000,
    }),
  },
});

export const queryFunnel = defineAction({
  ...base,
  key: "query-funnel",
  title: "Query Funnel Saved Report",
  aliases: ["Query Funnel Saved Reports"],
  description: "Get conversion data of a saved funnel over a date range.",
  method: "GET",
  path: "/api/query/funnels",
  operations: ["query#funnels-query"],
  inputs: {
    ...scope,
    funnel_id: integer("Funnel id (see List Saved Funnels).", { required: true, example: 7509 }),
    from_date: fromDate,
    to_date: toDate,
    length: integer(
      "Time users have to complete the funnel, in `length_unit`s (Mixpanel default: the funnel's own).",
    ),
    length_unit: oneOf(["day", "hour", "minute", "second"], "Unit of `length`."),
    interval: integer("Days per bucket (Mixpanel default 1)."),
    unit: oneOf(["day", "week", "month"], "Alternative to `interval`."),
    on,
    where,
    limit: integer("Top segment values to return when `on` is set (Mixpanel default 255, max 10000)."),
  },
});

export const listSavedFunnels = defineAction({
  ...base,
  key: "list-saved-funnels",
  title: "List Saved Funnels",
  description: "List the project's saved funnels (id and name).",
  method: "GET",
  path: "/api/query/funnels/list",
  operations: ["query#funnels-list-saved"],
  inputs: { ...scope },
});

export const queryRetention = defineAction({
  ...base,
  key: "query-retention",
  title: "Query Retention Report",
  description: "Cohort retention: birth (first `born_event`) or compounded, bucketed by day, week or month.",
  method: "GET",
  path: "/api/query/retention",
  operations: ["query#retention-query"],
  inputs: {
    ...scope,
    from_date: fromDate,
    to_date: toDate,
    retention_type: oneOf(["birth", "compounded"], "Mixpanel default: birth."),
    born_event: string("The first event that puts a user in a cohort (required for birth retention)."),
    event: string("The returning event (Mixpanel default: any event)."),
    born_where: string("Expression filtering `born_event`s.", { format: "expression" }),
    where,
    interval: integer("Units per bucket."),
    interval_count: integer("Number of buckets (Mixpanel default 1)."),
    unit: oneOf(["day", "week", "month"], "Bucket unit (Mixpanel default: day)."),
    unbounded_retention: boolean("Accumulate retention from right to left."),
    on,
    limit: integer("Top segment values when `on` is set."),
  },
});

export const queryFrequency = defineAction({
  ...base,
  key: "query-frequency",
  title: "Query Frequency Report",
  aliases: ["Query Addiction Report"],
  description: "How often users perform an event within each period (the addiction report).",
  method: "GET",
  path: "/api/query/retention/addiction",
  operations: ["query#retention-frequency-query"],
  inputs: {
    ...scope,
    from_date: fromDate,
    to_date: toDate,
    unit: oneOf(["day", "week", "month"], "Overall period.", { required: true, example: "week" }),
    addiction_unit: oneOf(["hour", "day"], "Granularity of the frequency.", {
      required: true,
      example: "day",
    }),
    event: string("The event (Mixpanel default: any event)."),
    where,
    on,
    limit: integer("Top segment values when `on` is set."),
  },
});

export const segmentation = defineAction({
  ...base,
  key: "segmentation",
  title: "Query Segmentation Report",
  description: "Event counts over time, optionally segmented by a property expression (`on`).",
  method: "GET",
  path: "/api/query/segmentation",
  operations: ["query#segmentation-query"],
  inputs: {
    ...scope,
    event,
    from_date: fromDate,
    to_date: toDate,
    on,
    unit: oneOf(["minute", "hour", "day", "month"], "Bucket size (Mixpanel default: day)."),
    interval: integer("Days per bucket, instead of `unit`."),
    where,
    limit: integer("Top segment values (Mixpanel default 60, max 10000)."),
    type: oneOf(["general", "unique", "average"], "Counting (Mixpanel default: general)."),
    format: oneOf(["csv"], "Answer as CSV instead of JSON."),
  },
});

const numericInputs = (what: string) =>
  ({
    ...scope,
    event,
    from_date: fromDate,
    to_date: toDate,
    on: string(what, { required: true, format: "expression", example: 'number(properties["amount"])' }),
    unit: segmentationUnit,
    where,
  }) as const;

export const segmentationNumeric = defineAction({
  ...base,
  key: "segmentation-numeric",
  title: "Numerically Bucket",
  description: "Segmentation with a numeric `on` expression bucketed into ranges.",
  method: "GET",
  path: "/api/query/segmentation/numeric",
  operations: ["query#segmentation-numeric-query"],
  inputs: {
    ...numericInputs("Numeric expression to bucket."),
    type: oneOf(["general", "unique", "average"], "Counting."),
  },
});

export const segmentationSum = defineAction({
  ...base,
  key: "segmentation-sum",
  title: "Numerically Sum",
  description: "Sum of a numeric expression per time bucket.",
  method: "GET",
  path: "/api/query/segmentation/sum",
  operations: ["query#segmentation-sum-query"],
  inputs: numericInputs("Numeric expression to sum."),
});

export const segmentationAverage = defineAction({
  ...base,
  key: "segmentation-average",
  title: "Numerically Average",
  description: "Average of a numeric expression per time bucket.",
  method: "GET",
  path: "/api/query/segmentation/average",
  operations: ["query#segmentation-query-average"],
  inputs: numericInputs("Numeric expression to average."),
});

export const profileEventActivity = defineAction({
  ...base,
  key: "profile-event-activity",
  title: "Get Profile Event Activity",
  description: "The activity feed (events) of up to a few users over a date range.",
  method: "GET",
  path: "/api/query/stream/query",
  operations: ["query#activity-stream-query"],
  inputs: {
    ...scope,
    distinct_ids: array(string("A distinct_id."), "Users whose activity to return.", {
      required: true,
      example: ["user-1"],
    }),
    from_date: fromDate,
    to_date: toDate,
  },
});

export const listSavedCohorts = defineAction({
  ...base,
  key: "list-saved-cohorts",
  title: "List Saved Cohorts",
  description: "List the project's saved cohorts (id, name, count, description).",
  method: "POST",
  path: "/api/query/cohorts/list",
  idempotent: true,
  operations: ["query#cohorts-list"],
  inputs: { ...scope },
});

const engageInputs = {
  project_id: projectIdQuery,
  workspace_id: workspaceIdQuery,
  distinct_id: string("Return the profile with this distinct_id."),
  distinct_ids: array(string("A distinct_id."), "Return the profiles with these distinct_ids."),
  data_group_id: string("Group key id, to query group profiles instead of users."),
  where: string('Expression filtering profiles, e.g. `properties["plan"] == "pro"`.', {
    format: "expression",
  }),
  output_properties: array(string("A property name."), "Only return these properties."),
  session_id: string("From a previous page's answer; keeps paging consistent."),
  page: integer("Page number, from 0 (pages hold `page_size` profiles, 1000 by default)."),
  behaviors: integer("Used with an event selector export (legacy)."),
  as_of_timestamp: integer("With `behaviors`: evaluate as of this Unix time."),
  filter_by_cohort: object('`{ "id": <cohort id> }`: only profiles in this cohort.'),
  include_all_users: boolean("With `filter_by_cohort`: include cohort members without a profile."),
} as const;

export const queryProfiles = defineAction({
  ...base,
  key: "query-profiles",
  title: "Query Profiles",
  description:
    "One page of user (or group) profiles matching a filter. The client's `profiles()` iterator and the CLI page through all of them.",
  method: "POST",
  path: "/api/query/engage",
  body: "form",
  idempotent: true,
  operations: ["query#engage-query"],
  inputs: engageInputs,
});

export const queryProfile = defineAction({
  ...base,
  key: "query-profile",
  title: "Query Profile",
  description: "Get one user profile by distinct_id.",
  method: "POST",
  path: "/api/query/engage",
  body: "form",
  idempotent: true,
  operations: ["query#engage-query"],
  inputs: {
    project_id: projectIdQuery,
    workspace_id: workspaceIdQuery,
    distinct_id: string("The profile's distinct_id.", { required: true, example: "user-1" }),
    output_properties: engageInputs.output_properties,
  },
});

const eventsCommon = {
  ...scope,
  type,
  unit: oneOf(["minute", "hour", "day", "week", "month"], "Bucket size.", { required: true, example: "day" }),
  interval: integer("Number of units to return; alternative to the date range."),
  from_date: fromDate,
  to_date: toDate,
  format: oneOf(["json", "csv"], "Answer format (Mixpanel default: json)."),
} as const;

export const aggregateEventCounts = defineAction({
  ...base,
  key: "aggregate-event-counts",
  title: "Get Aggregate Event Counts",
  description: "Counts of one or more events over time.",
  method: "GET",
  path: "/api/query/events",
  operations: ["query#list-recent-events"],
  inputs: {
    ...eventsCommon,
    event: array(string("An event name."), "Events to count.", {
      required: true,
      example: ["Signed Up", "Purchase"],
    }),
  },
});

export const todaysTopEvents = defineAction({
  ...base,
  key: "todays-top-events",
  title: "Get Today's Top Events",
  description: "Today's most common events with counts and change against yesterday.",
  method: "GET",
  path: "/api/query/events/top",
  operations: ["query#query-top-events"],
  inputs: { ...scope, type, limit: integer("Maximum events (Mixpanel default 100).") },
});

export const topEvents = defineAction({
  ...base,
  key: "top-events",
  title: "Get Top Events (Last 31 Days)",
  description: "Names of the most common events over the last 31 days.",
  method: "GET",
  path: "/api/query/events/names",
  operations: ["query#query-months-top-event-names"],
  inputs: { ...scope, type, limit: integer("Maximum names (Mixpanel default 255).") },
});

export const aggregatedEventPropertyValues = defineAction({
  ...base,
  key: "aggregated-event-property-values",
  title: "Get Aggregated Event Property Values",
  description: "Counts of an event over time, split by the values of one property.",
  method: "GET",
  path: "/api/query/events/properties",
  operations: ["query#query-event-properties"],
  inputs: {
    ...eventsCommon,
    event,
    name: string("Property name.", { required: true, example: "plan" }),
    values: array(string("A value."), "Only these property values."),
    limit: integer("Maximum values (Mixpanel default 255)."),
  },
});

export const topEventProperties = defineAction({
  ...base,
  key: "top-event-properties",
  title: "Get Top Event Properties",
  description: "The most common property names of an event, with counts.",
  method: "GET",
  path: "/api/query/events/properties/top",
  operations: ["query#query-events-top-properties"],
  inputs: { ...scope, event, limit: integer("Maximum properties (Mixpanel default 10).") },
});

export const topEventPropertyValues = defineAction({
  ...base,
  key: "top-event-property-values",
  title: "Get Top Event Property Values",
  description: "The most common values of one event property.",
  method: "GET",
  path: "/api/query/events/properties/values",
  operations: ["query#query-events-top-property-values"],
  inputs: {
    ...scope,
    event,
    name: string("Property name.", { required: true, example: "plan" }),
    limit: integer("Maximum values (Mixpanel default 255)."),
  },
});
