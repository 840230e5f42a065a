import type { Hono } from "hono";
import type { ServerContext } from "../../context.js";
import { mount } from "./handler.js";

/** Registers profile queries (section 3.14; `/engage/query` is the spelling mixpanel-import uses). */
export function registerEngageRoutes(app: Hono, ctx: ServerContext): void {
  mount(app, ctx, ["engage", "engage/query"]);
}
