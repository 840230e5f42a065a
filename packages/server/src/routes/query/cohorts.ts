import type { Hono } from "hono";
import type { ServerContext } from "../../context.js";
import { mount } from "./handler.js";

/** Registers the cohort list (section 3.15). */
export function registerCohortsRoutes(app: Hono, ctx: ServerContext): void {
  mount(app, ctx, ["cohorts/list"]);
}
