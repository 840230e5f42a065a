import type { Hono } from "hono";
import type { ServerContext } from "../../context.js";
import { mount } from "./handler.js";

/** Registers the segmentation family (sections 3.1-3.3). */
export function registerSegmentationRoutes(app: Hono, ctx: ServerContext): void {
  mount(app, ctx, ["segmentation", "segmentation/numeric", "segmentation/sum", "segmentation/average"]);
}
