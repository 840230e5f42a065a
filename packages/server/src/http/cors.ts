import type { MiddlewareHandler } from "hono";

/**
 * CORS for browser SDKs. mixpanel-browser sends every XHR `withCredentials`, so the response must echo
 * the request's `Origin` and allow credentials: browsers reject `*` there. Preflights (flags calls carry
 * `Authorization`) are answered directly with 204.
 */
export const cors: MiddlewareHandler = async (c, next) => {
  const origin = c.req.header("origin");
  if (c.req.method === "OPTIONS") {
    const headers: Record<string, string> = {
      "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
      "access-control-allow-headers":
        c.req.header("access-control-request-headers") ?? "Authorization, Content-Type, traceparent",
      "access-control-max-age": "86400",
      vary: "Origin",
    };
    if (origin !== undefined) {
      headers["access-control-allow-origin"] = origin;
      headers["access-control-allow-credentials"] = "true";
    }
    return new Response(null, { status: 204, headers });
  }
  await next();
  if (origin !== undefined) {
    c.res.headers.set("access-control-allow-origin", origin);
    c.res.headers.set("access-control-allow-credentials", "true");
    c.res.headers.append("vary", "Origin");
  }
};
