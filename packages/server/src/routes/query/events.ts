import type { Hono } from "hono";
import type { ServerContext } from "../../context.js";
import { mount } from "./handler.js";

/** Registers the events family (sections 3.8-3.13). */
export function registerEventsRoutes(app: Hono, ctx: ServerContext): void {
  mount(app, ctx, [
    "events",
    "events/top",
    "events/names",
    "events/properties",
    "events/properties/top",
    "events/properties/values",
  ]);
}
