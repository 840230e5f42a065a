import { defineAction } from "./define.js";
import { array, boolean, integer, object, oneOf, projectIdPath, string } from "./fields.js";

// Saved funnels, cohorts and Insights reports (bookmarks) through the mpkit server's App API under
// /api/app/projects/{project_id}/funnels|cohorts|bookmarks. Mixpanel itself only creates these in its web
// app and publishes no API for it, so these actions have no spec operation and work against `mpkit serve`
// only. Shapes follow packages/query/src/reports/types.ts; the server validates them (validateReport) and
// answers `{"status": "ok", "results": ...}`. Reading needs a consumer role, changing needs analyst or above.

const base = { family: "query", auth: ["serviceAccount"] } as const;
const mpkitOnly = "mpkit server only: Mixpanel offers this in its web app, not in an API.";
const expression = (description: string) => string(description, { format: "expression" });

// Funnels (FunnelDefinition).

const funnelId = integer("Saved funnel id (the `funnel_id` of List Saved Funnels).", {
  required: true,
  example: 1,
});
const funnelStep = object("One step: `{ event, selector?, label? }`.", {
  properties: {
    event: string("Event name of the step.", { required: true }),
    selector: expression("Expression filtering this step's events."),
    where: expression("Alias of `selector`."),
    label: string("Display name (default: the event name)."),
  },
});
const funnelInputs = {
  project_id: projectIdPath,
  name: string("Funnel name.", { required: true, example: "Signup" }),
  steps: array(
    funnelStep,
    'At least two steps, in order: `{ "event": "Signed Up", "selector": "properties[\\"plan\\"] == \\"pro\\"", "label": "Pro signup" }` (`selector` and `label` optional).',
    { required: true, example: [{ event: "Viewed" }, { event: "Signed Up" }] },
  ),
  length: integer("Conversion window in `length_unit`s (default 30 days; at most 90 days)."),
  length_unit: oneOf(["day", "hour", "minute", "second"], "Unit of `length` (default day)."),
} as const;

export const createSavedFunnel = defineAction({
  ...base,
  key: "create-saved-funnel",
  title: "Create Saved Funnel",
  description: `Save a funnel; Query Funnel Saved Report then answers for its id. ${mpkitOnly}`,
  method: "POST",
  path: "/api/app/projects/{project_id}/funnels",
  inputs: funnelInputs,
});

export const listSavedFunnelDefinitions = defineAction({
  ...base,
  key: "list-saved-funnel-definitions",
  title: "List Saved Funnel Definitions",
  description: `List saved funnels with their full definitions (steps, window), unlike List Saved Funnels. ${mpkitOnly}`,
  method: "GET",
  path: "/api/app/projects/{project_id}/funnels",
  inputs: { project_id: projectIdPath },
});

export const getSavedFunnel = defineAction({
  ...base,
  key: "get-saved-funnel",
  title: "Get Saved Funnel",
  description: `Get one saved funnel's definition. ${mpkitOnly}`,
  method: "GET",
  path: "/api/app/projects/{project_id}/funnels/{funnel_id}",
  inputs: { project_id: projectIdPath, funnel_id: funnelId },
});

export const updateSavedFunnel = defineAction({
  ...base,
  key: "update-saved-funnel",
  title: "Update Saved Funnel",
  description: `Replace a saved funnel's definition (the whole definition, as when creating it). ${mpkitOnly}`,
  method: "PUT",
  path: "/api/app/projects/{project_id}/funnels/{funnel_id}",
  inputs: { ...funnelInputs, funnel_id: funnelId },
});

export const deleteSavedFunnel = defineAction({
  ...base,
  key: "delete-saved-funnel",
  title: "Delete Saved Funnel",
  description: `Delete a saved funnel. ${mpkitOnly}`,
  method: "DELETE",
  path: "/api/app/projects/{project_id}/funnels/{funnel_id}",
  inputs: { project_id: projectIdPath, funnel_id: funnelId },
});

// Cohorts (CohortDefinition).

const cohortId = integer("Saved cohort id (the `id` of List Saved Cohorts).", { required: true, example: 2 });
const behavior = object("One rule: `{ event, selector?, min?, max?, days }`.", {
  properties: {
    event: string("Event the user did.", { required: true }),
    selector: expression("Expression filtering those events."),
    min: integer("At least this many times (default 1)."),
    max: integer("At most this many times."),
    days: integer("Within the last this many days (1 to 3650).", { required: true }),
  },
});
const cohortInputs = {
  project_id: projectIdPath,
  name: string("Cohort name.", { required: true, example: "Buyers" }),
  description: string("Free text shown by List Saved Cohorts."),
  selector: expression('Expression over profile properties, e.g. `properties["plan"] == "pro"`.'),
  behaviors: array(
    behavior,
    'Behavioural rules, all of which must hold: `{ "event": "Purchase", "min": 2, "days": 30 }` means "did Purchase at least twice in the last 30 days" (by resolved identity).',
  ),
  is_visible: boolean("Shown in the cohort list (default true)."),
} as const;

export const createSavedCohort = defineAction({
  ...base,
  key: "create-saved-cohort",
  title: "Create Saved Cohort",
  description: `Save a cohort (profile filter and behavioural rules); List Saved Cohorts and Query Profiles' \`filter_by_cohort\` then use it. ${mpkitOnly}`,
  method: "POST",
  path: "/api/app/projects/{project_id}/cohorts",
  inputs: cohortInputs,
});

export const listSavedCohortDefinitions = defineAction({
  ...base,
  key: "list-saved-cohort-definitions",
  title: "List Saved Cohort Definitions",
  description: `List saved cohorts with their full definitions, unlike List Saved Cohorts (which counts members). ${mpkitOnly}`,
  method: "GET",
  path: "/api/app/projects/{project_id}/cohorts",
  inputs: { project_id: projectIdPath },
});

export const getSavedCohort = defineAction({
  ...base,
  key: "get-saved-cohort",
  title: "Get Saved Cohort",
  description: `Get one saved cohort's definition. ${mpkitOnly}`,
  method: "GET",
  path: "/api/app/projects/{project_id}/cohorts/{cohort_id}",
  inputs: { project_id: projectIdPath, cohort_id: cohortId },
});

export const updateSavedCohort = defineAction({
  ...base,
  key: "update-saved-cohort",
  title: "Update Saved Cohort",
  description: `Replace a saved cohort's definition (the whole definition, as when creating it). ${mpkitOnly}`,
  method: "PUT",
  path: "/api/app/projects/{project_id}/cohorts/{cohort_id}",
  inputs: { ...cohortInputs, cohort_id: cohortId },
});

export const deleteSavedCohort = defineAction({
  ...base,
  key: "delete-saved-cohort",
  title: "Delete Saved Cohort",
  description: `Delete a saved cohort. ${mpkitOnly}`,
  method: "DELETE",
  path: "/api/app/projects/{project_id}/cohorts/{cohort_id}",
  inputs: { project_id: projectIdPath, cohort_id: cohortId },
});

// Insights reports, "bookmarks" in Mixpanel's App API (InsightDefinition).

const bookmarkId = integer("Saved Insights report id (the `bookmark_id` of Query Insights Saved Report).", {
  required: true,
  example: 3,
});
const insightInputs = {
  project_id: projectIdPath,
  name: string("Report name.", { required: true, example: "Logins" }),
  events: array(string("An event name."), "Events measured, one series each.", {
    required: true,
    example: ["Logged In"],
  }),
  type: oneOf(["general", "unique", "average"], "Measurement (default general: total events)."),
  unit: oneOf(["hour", "day", "week", "month"], "Bucket size (default day)."),
  from_date: string("Fixed range start, yyyy-mm-dd (with `to_date`).", { format: "date" }),
  to_date: string("Fixed range end, yyyy-mm-dd, inclusive (with `from_date`).", { format: "date" }),
  last_days: integer("Instead of a fixed range: the last N days ending today (1 to 3650)."),
  on: expression('Property expression to segment by, e.g. `properties["plan"]`.'),
  where: expression("Expression filtering events."),
} as const;

export const createSavedInsightsReport = defineAction({
  ...base,
  key: "create-saved-insights-report",
  title: "Create Saved Insights Report",
  description: `Save an Insights report (a bookmark); Query Insights Saved Report then answers for its id. ${mpkitOnly}`,
  method: "POST",
  path: "/api/app/projects/{project_id}/bookmarks",
  inputs: insightInputs,
});

export const listSavedInsightsReports = defineAction({
  ...base,
  key: "list-saved-insights-reports",
  title: "List Saved Insights Reports",
  description: `List saved Insights reports (bookmarks) with their definitions. ${mpkitOnly}`,
  method: "GET",
  path: "/api/app/projects/{project_id}/bookmarks",
  inputs: { project_id: projectIdPath },
});

export const getSavedInsightsReport = defineAction({
  ...base,
  key: "get-saved-insights-report",
  title: "Get Saved Insights Report",
  description: `Get one saved Insights report's definition. ${mpkitOnly}`,
  method: "GET",
  path: "/api/app/projects/{project_id}/bookmarks/{bookmark_id}",
  inputs: { project_id: projectIdPath, bookmark_id: bookmarkId },
});

export const updateSavedInsightsReport = defineAction({
  ...base,
  key: "update-saved-insights-report",
  title: "Update Saved Insights Report",
  description: `Replace a saved Insights report's definition (the whole definition, as when creating it). ${mpkitOnly}`,
  method: "PUT",
  path: "/api/app/projects/{project_id}/bookmarks/{bookmark_id}",
  inputs: { ...insightInputs, bookmark_id: bookmarkId },
});

export const deleteSavedInsightsReport = defineAction({
  ...base,
  key: "delete-saved-insights-report",
  title: "Delete Saved Insights Report",
  description: `Delete a saved Insights report. ${mpkitOnly}`,
  method: "DELETE",
  path: "/api/app/projects/{project_id}/bookmarks/{bookmark_id}",
  inputs: { project_id: projectIdPath, bookmark_id: bookmarkId },
});
