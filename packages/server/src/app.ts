import { Hono } from "hono";
import type { ServerContext } from "./context.js";
import { BodyEncodingError, BodyTooLargeError } from "./http/body.js";
import { cors } from "./http/cors.js";
import { ApiError, importError } from "./http/errors.js";
import { handleExport } from "./routes/export.js";
import { handleImport } from "./routes/import.js";
import { registerJqlRoutes } from "./routes/jql.js";
import { handleProfiles } from "./routes/profiles.js";
import { registerQueryRoutes } from "./routes/query/index.js";
import { handleTrack } from "./routes/track.js";

const INGEST = ["GET", "POST"];

/**
 * The HTTP application: every Mixpanel host family on one port, on Mixpanel's own paths. Trailing
 * slashes are optional (`/track` from node and Python, `/track/` from mixpanel-browser and mobile).
 *
 * @example
 * ```ts
 * const app = createApp(ctx);
 * const res = await app.request("/track?data=...");
 * ```
 */
export function createApp(ctx: ServerContext): Hono {
  const app = new Hono({ strict: false });
  app.use("*", cors);

  app.on(INGEST, "/track", (c) => handleTrack(c, ctx));
  app.on(INGEST, "/engage", (c) => handleProfiles(c, ctx, "user"));
  app.on(INGEST, "/groups", (c) => handleProfiles(c, ctx, "group"));
  app.on(INGEST, "/import", (c) => handleImport(c, ctx));
  app.on(["GET", "POST"], "/api/2.0/export", (c) => handleExport(c, ctx));
  registerQueryRoutes(app, ctx);
  registerJqlRoutes(app, ctx);

  app.get("/healthz", (c) => c.json({ status: "ok" }));

  app.notFound((c) => {
    const url = new URL(c.req.url);
    // Mixpanel answers unknown API paths with 400 "Invalid API endpoint" (a logged live probe).
    if (url.pathname.startsWith("/api/")) {
      return c.json({ request: url.pathname + url.search, error: "Invalid API endpoint" }, 400);
    }
    return c.json({ error: "Not found", status: 0 }, 404);
  });

  app.onError((error, c) => {
    if (error instanceof ApiError) {
      return c.newResponse(JSON.stringify(error.body), error.status as 400, {
        "content-type": "application/json",
        ...error.headers,
      });
    }
    if (error instanceof BodyTooLargeError) {
      const url = new URL(c.req.url);
      // Each API family answers in its own error shape.
      const body = url.pathname.startsWith("/api/")
        ? { request: url.pathname + url.search, error: error.message }
        : importError(413, error.message).body;
      return c.json(body as object, 413);
    }
    if (error instanceof BodyEncodingError)
      return c.json(importError(400, error.message).body as object, 400);
    console.error("mpkit: unhandled error", error);
    return c.json({ error: "An unknown error occurred.", status: 0 }, 500);
  });
  return app;
}
