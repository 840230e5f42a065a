import type { Hono } from "hono";
import type { ServerContext } from "../../context.js";
import { registerAppRoutes } from "../app/index.js";
import { registerCohortsRoutes } from "./cohorts.js";
import { registerEngageRoutes } from "./engage.js";
import { registerEventsRoutes } from "./events.js";
import { registerFunnelsRoutes } from "./funnels.js";
import { registerInsightsRoutes } from "./insights.js";
import { registerRetentionRoutes } from "./retention.js";
import { registerSegmentationRoutes } from "./segmentation.js";
import { registerStreamRoutes } from "./stream.js";

/**
 * Registers the Query API (`/api/2.0/*` and `/api/query/*`, GET and POST): segmentation, events,
 * funnels, retention, engage, cohorts, insights, stream; and the App API for saved reports.
 */
export function registerQueryRoutes(app: Hono, ctx: ServerContext): void {
  registerSegmentationRoutes(app, ctx);
  registerEventsRoutes(app, ctx);
  registerFunnelsRoutes(app, ctx);
  registerRetentionRoutes(app, ctx);
  registerEngageRoutes(app, ctx);
  registerCohortsRoutes(app, ctx);
  registerInsightsRoutes(app, ctx);
  registerStreamRoutes(app, ctx);
  registerAppRoutes(app, ctx);
}
