import type { Hono } from "hono";
import type { ServerContext } from "../../context.js";
import { mount } from "./handler.js";

/** Registers retention and frequency (sections 3.6, 3.7). */
export function registerRetentionRoutes(app: Hono, ctx: ServerContext): void {
  mount(app, ctx, ["retention", "retention/addiction"]);
}
