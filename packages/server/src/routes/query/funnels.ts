import type { Hono } from "hono";
import type { ServerContext } from "../../context.js";
import { mount } from "./handler.js";

/** Registers funnels and the saved-funnel list (sections 3.4, 3.5). */
export function registerFunnelsRoutes(app: Hono, ctx: ServerContext): void {
  mount(app, ctx, ["funnels", "funnels/list"]);
}
