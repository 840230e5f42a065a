import { defineAction } from "./define.js";
import { array, boolean, fromDate, integer, projectIdQuery, string, toDate, where } from "./fields.js";

// Raw event export (export.openapi.yaml) on data.mixpanel.com: NDJSON, one event per line, not
// de-duplicated (docs: docs/export-methods). 60 queries per hour, 3 per second, 100 concurrent.

export const downloadData = defineAction({
  key: "download-data",
  title: "Download Data",
  aliases: ["Export Events", "Raw Event Export"],
  description:
    "Export raw events as a stream of NDJSON lines. The client's `exportEvents()` parses them one by one in constant memory; the CLI writes them as they arrive.",
  family: "export",
  method: "GET",
  path: "/api/2.0/export",
  auth: ["serviceAccount", "projectSecret"],
  response: "stream",
  operations: ["export#raw-event-export"],
  inputs: {
    project_id: projectIdQuery,
    from_date: string("Start date, yyyy-mm-dd, inclusive (UTC for projects created after 2023-01-01).", {
      ...fromDate,
    }),
    to_date: string("End date, yyyy-mm-dd, inclusive; not later than today.", { ...toDate }),
    limit: integer("Maximum events to return (at most 100000)."),
    event: array(string("An event name."), "Only these events."),
    where,
    time_in_ms: boolean("Export `time` in milliseconds instead of seconds."),
  },
});
