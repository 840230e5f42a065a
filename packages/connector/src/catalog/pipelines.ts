import { defineAction } from "./define.js";
import { array, boolean, fromDate, integer, object, oneOf, string, where } from "./fields.js";

// Data pipelines (data-pipelines.openapi.yaml): scheduled exports to a warehouse or bucket, on
// data.mixpanel.com/api/2.0/nessie. Form-encoded bodies; `project_id` goes in the form with a service
// account (and is left out with a project secret).

const base = { family: "export", auth: ["serviceAccount", "projectSecret"] } as const;
const projectIdForm = integer("Project id; filled from the connection with a service account.", {
  in: "body",
  connection: "project_id",
});
const projectIdQuery = integer("Project id; filled from the connection with a service account.", {
  in: "query",
  connection: "project_id",
});
const name = string("Pipeline name (from Create Pipeline or List Pipelines).", {
  required: true,
  example: "trial-events-daily-gcs-raw",
});
// Mixpanel wants one `events` form field per event ("events=a&events=b"), hence `explode`.
const events = array(string("An event name."), "Only export these events (Mixpanel default: all).", {
  explode: true,
});
const common = {
  project_id: projectIdForm,
  trial: boolean("Create a trial pipeline (runs for a limited time on a sample)."),
  data_source: oneOf(["events", "people"], "What to export (Mixpanel default events)."),
  from_date: { ...fromDate, description: "First day to export, yyyy-mm-dd." },
  to_date: string("Last day to export, yyyy-mm-dd (Mixpanel default: keep running).", { format: "date" }),
  frequency: oneOf(["daily", "hourly"], "How often to export (Mixpanel default daily)."),
  events,
  where,
  data_format: oneOf(["json", "parquet"], "File format (Mixpanel default json)."),
} as const;
const gcs = {
  gcs_bucket: string("Bucket to write to.", { required: true, example: "my-mixpanel-export" }),
  gcs_prefix: string("Path prefix inside the bucket."),
  gcs_region: string("Bucket region, e.g. `us-central1`.", { required: true, example: "us-central1" }),
} as const;

export const createGcsPipeline = defineAction({
  ...base,
  key: "create-gcs-pipeline",
  title: "Create GCS Pipeline",
  description: "Create a raw-event export pipeline to a Google Cloud Storage bucket (`type=gcs-raw`).",
  method: "POST",
  path: "/api/2.0/nessie/pipeline/create",
  body: "form",
  operations: ["data-pipelines#create-warehouse-pipeline"],
  inputs: { ...common, ...gcs },
  build: (input) => ({ body: { type: "gcs-raw", ...input } }),
});

export const createPipeline = defineAction({
  ...base,
  key: "create-pipeline",
  title: "Create Generic Pipeline",
  aliases: ["Create Pipeline"],
  description:
    "Create a pipeline of any type (gcs-raw, s3-raw, azure-raw, bigquery, snowflake, aws, azure-blob, gcs-schema); destination fields go in `settings`.",
  method: "POST",
  path: "/api/2.0/nessie/pipeline/create",
  body: "form",
  operations: ["data-pipelines#create-warehouse-pipeline"],
  inputs: {
    type: oneOf(
      ["gcs-raw", "s3-raw", "azure-raw", "bigquery", "snowflake", "aws", "azure-blob", "gcs-schema"],
      "Pipeline type.",
      {
        required: true,
        example: "s3-raw",
      },
    ),
    ...common,
    schema_type: oneOf(["monoschema", "multischema"], "Schematized pipelines: one table or one per event."),
    sync: boolean("Schematized pipelines: keep the destination in sync with late data."),
    settings: object(
      "Destination fields, e.g. `{ s3_bucket, s3_region, s3_role }` or `{ bq_region, gcp_project }`.",
      {
        example: {
          s3_bucket: "my-bucket",
          s3_region: "us-east-1",
          s3_role: "arn:aws:iam::123456789012:role/mixpanel",
        },
      },
    ),
  },
  build: (input) => {
    const { settings, ...rest } = input;
    return { body: { ...rest, ...(settings as Record<string, unknown> | undefined) } };
  },
});

export const editGcsPipeline = defineAction({
  ...base,
  key: "edit-gcs-pipeline",
  title: "Edit GCS Pipeline",
  description: "Change which events a GCS pipeline exports.",
  method: "POST",
  path: "/api/2.0/nessie/pipeline/edit",
  body: "form",
  idempotent: true,
  operations: ["data-pipelines#edit-warehouse-pipeline"],
  inputs: { name, project_id: projectIdForm, events, where },
});

export const editPipeline = defineAction({
  ...base,
  key: "edit-pipeline",
  title: "Edit Generic Pipeline",
  aliases: ["Edit Pipeline"],
  description: "Change a pipeline's event filter or destination credentials (`settings`).",
  method: "POST",
  path: "/api/2.0/nessie/pipeline/edit",
  body: "form",
  idempotent: true,
  operations: ["data-pipelines#edit-warehouse-pipeline"],
  inputs: {
    name,
    project_id: projectIdForm,
    events,
    where,
    settings: object("Destination fields to change, e.g. `{ snowflake_password }`."),
  },
  build: (input) => {
    const { settings, ...rest } = input;
    return { body: { ...rest, ...(settings as Record<string, unknown> | undefined) } };
  },
});

const byName = (
  key: "delete-pipeline" | "pause-pipeline" | "resume-pipeline",
  verb: string,
  title: string,
  text: string,
) =>
  defineAction({
    ...base,
    key,
    title,
    description: text,
    method: "POST",
    path: `/api/2.0/nessie/pipeline/${verb}`,
    body: "form",
    idempotent: true,
    operations: [`data-pipelines#${verb}-warehouse-pipeline`],
    inputs: { name, project_id: projectIdForm },
  });

export const deletePipeline = byName(
  "delete-pipeline",
  "cancel",
  "Delete Pipeline",
  "Delete (cancel) a pipeline.",
);
export const pausePipeline = byName("pause-pipeline", "pause", "Pause Pipeline", "Pause a pipeline.");
export const resumePipeline = byName(
  "resume-pipeline",
  "resume",
  "Resume Pipeline",
  "Resume a paused pipeline.",
);

export const getPipeline = defineAction({
  ...base,
  key: "get-pipeline",
  title: "Get Pipeline",
  description: "A pipeline's tasks by status (canceled, retried, succeeded, ...).",
  method: "GET",
  path: "/api/2.0/nessie/pipeline/status",
  operations: ["data-pipelines#get-warehouse-pipeline-status"],
  inputs: {
    project_id: projectIdQuery,
    name,
    summary: boolean("Only task counts by status."),
    status: array(
      string("A task status."),
      "Only tasks in these states (pending, running, retried, failed, canceled, timed_out).",
      {
        explode: true,
      },
    ),
  },
});

export const listPipelines = defineAction({
  ...base,
  key: "list-pipelines",
  title: "List Pipelines",
  description: "List the project's pipelines.",
  method: "GET",
  path: "/api/2.0/nessie/pipeline/jobs",
  operations: ["data-pipelines#list-warehouse-pipeline-jobs"],
  inputs: { project_id: projectIdQuery },
});

export const listPipelineSyncDates = defineAction({
  ...base,
  key: "list-pipeline-logs",
  title: "List Pipeline Logs",
  description: "Per day, when a pipeline synced and how it went.",
  method: "GET",
  path: "/api/2.0/nessie/pipeline/timeline",
  operations: ["data-pipelines#list-warehouse-pipeline-sync-dates"],
  inputs: {
    project_id: projectIdQuery,
    name: string("Pipeline name.", { example: "trial-events-daily-gcs-raw" }),
  },
});
