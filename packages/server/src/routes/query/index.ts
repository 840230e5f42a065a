import type { Hono } from "hono";
import type { ServerContext } from "../../context.js";

/**
 * Registers the Query API (`/api/2.0/*` and `/api/query/*`): segmentation, events, funnels,
 * retention, engage, cohorts, insights, stream.
 */
export function registerQueryRoutes(_app: Hono, _ctx: ServerContext): void {}
