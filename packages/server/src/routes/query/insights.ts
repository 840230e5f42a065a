import type { Hono } from "hono";
import type { ServerContext } from "../../context.js";
import { mount } from "./handler.js";

/** Registers saved Insights reports (section 3.16). */
export function registerInsightsRoutes(app: Hono, ctx: ServerContext): void {
  mount(app, ctx, ["insights"]);
}
