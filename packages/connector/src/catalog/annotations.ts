import { defineAction } from "./define.js";
import { array, integer, projectIdPath, string } from "./fields.js";

// Annotations and their tags (annotations.openapi.yaml) on the app API. Service accounts only.

const base = { family: "query", auth: ["serviceAccount"] } as const;
const annotationId = integer("Annotation id.", { required: true, example: 42 });
const tags = array(integer("A tag id."), "Tag ids (see List Annotation Tags).");

export const listAnnotations = defineAction({
  ...base,
  key: "list-annotations",
  title: "List Annotations",
  description: "List the project's annotations, optionally within a date range.",
  method: "GET",
  path: "/api/app/projects/{project_id}/annotations",
  operations: ["annotations#list-all-annotations-for-project"],
  inputs: {
    project_id: projectIdPath,
    fromDate: string("Start date, yyyy-mm-dd, inclusive.", { format: "date" }),
    toDate: string("End date, yyyy-mm-dd, inclusive.", { format: "date" }),
  },
});

export const createAnnotation = defineAction({
  ...base,
  key: "create-annotation",
  title: "Create Annotation",
  description: "Add an annotation (a note on a date shown on charts).",
  method: "POST",
  path: "/api/app/projects/{project_id}/annotations",
  operations: ["annotations#create-annotation"],
  inputs: {
    project_id: projectIdPath,
    date: string('When, as "YYYY-MM-DD HH:mm:ss".', {
      required: true,
      format: "datetime",
      example: "2024-01-15 00:00:00",
    }),
    description: string("The note shown on charts.", { required: true, example: "Launched v2" }),
    tags,
  },
});

export const getAnnotation = defineAction({
  ...base,
  key: "get-annotation",
  title: "Get Annotation",
  description: "Get one annotation.",
  method: "GET",
  path: "/api/app/projects/{project_id}/annotations/{annotation_id}",
  operations: ["annotations#get-annotation"],
  inputs: { project_id: projectIdPath, annotation_id: annotationId },
});

export const updateAnnotation = defineAction({
  ...base,
  key: "update-annotation",
  title: "Update Annotation",
  description: "Change an annotation's description or tags.",
  method: "PATCH",
  path: "/api/app/projects/{project_id}/annotations/{annotation_id}",
  idempotent: true,
  operations: ["annotations#patch-annotation"],
  inputs: {
    project_id: projectIdPath,
    annotation_id: annotationId,
    description: string("New description."),
    tags,
  },
});

export const deleteAnnotation = defineAction({
  ...base,
  key: "delete-annotation",
  title: "Delete Annotation",
  description: "Delete an annotation.",
  method: "DELETE",
  path: "/api/app/projects/{project_id}/annotations/{annotation_id}",
  operations: ["annotations#delete-annotation"],
  inputs: { project_id: projectIdPath, annotation_id: annotationId },
});

export const listAnnotationTags = defineAction({
  ...base,
  key: "list-annotation-tags",
  title: "List Annotation Tags",
  description: "List the tags annotations can carry.",
  method: "GET",
  path: "/api/app/projects/{project_id}/annotations/tags",
  operations: ["annotations#get-annotation-tags"],
  inputs: { project_id: projectIdPath },
});

export const createAnnotationTag = defineAction({
  ...base,
  key: "create-annotation-tag",
  title: "Create Annotation Tag",
  description: "Create an annotation tag.",
  method: "POST",
  path: "/api/app/projects/{project_id}/annotations/tags",
  operations: ["annotations#create-annotation-tag"],
  inputs: { project_id: projectIdPath, name: string("Tag name.", { required: true, example: "release" }) },
});
