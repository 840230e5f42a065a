import type { Hono } from "hono";
import type { ServerContext } from "../../context.js";
import { mount } from "./handler.js";

/** Registers the activity feed (section 3.17). */
export function registerStreamRoutes(app: Hono, ctx: ServerContext): void {
  mount(app, ctx, ["stream/query"]);
}
