import { defineAction } from "./define.js";

// Account-level calls not described by the published specs (platform.openapi.json has no paths yet).

export const getProjects = defineAction({
  key: "get-projects",
  title: "Get Projects",
  description: "The organizations, projects and workspaces the credential can access (`GET /api/app/me`).",
  family: "query",
  method: "GET",
  path: "/api/app/me",
  auth: ["serviceAccount", "oauth"],
  inputs: {},
});
