import { flag, type RequestParams } from "./params.js";

/** A 1×1 transparent GIF, the "pixel" answered for `img=1` (Mixpanel's pixel-tracking docs). */
const PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==", "base64");

/** JSONP callback names as mixpanel-browser sends them, e.g. `mixpanel._jsc[12345678]`. */
const CALLBACK = /^[A-Za-z_$][\w$.]*(\[[\w"'$]+\])*$|^\(function\(\)\{\}\)$/;

/**
 * The answer to `/track`, `/engage` and `/groups`, in every form the SDKs ask for: `1`/`0` as plain
 * text; `{"status":1,"error":null}` with `verbose=1`; a JavaScript call with `callback=`; a GIF with
 * `img=1`; a redirect with `redirect=`. Validation failures keep HTTP 200, as Mixpanel does.
 */
export function ingestReply(params: RequestParams, success: boolean, error: string | null): Response {
  const verbose = flag(params.get("verbose"));
  const payload = verbose
    ? JSON.stringify({ status: success ? 1 : 0, error: success ? null : error })
    : success
      ? "1"
      : "0";
  const callback = params.get("callback");
  if (callback !== undefined && callback !== "") {
    if (!CALLBACK.test(callback)) {
      return new Response(JSON.stringify({ status: 0, error: "invalid callback name" }), {
        status: 400,
        headers: { "content-type": "application/json" },
      });
    }
    return new Response(`${callback}(${payload});`, {
      headers: { "content-type": "text/javascript; charset=utf-8" },
    });
  }
  const redirect = params.get("redirect");
  if (redirect !== undefined && /^https?:\/\//i.test(redirect)) {
    return new Response(null, { status: 302, headers: { location: redirect } });
  }
  if (flag(params.get("img"))) {
    return new Response(PIXEL, {
      headers: { "content-type": "image/gif", "cache-control": "no-cache, no-store, must-revalidate" },
    });
  }
  return new Response(payload, {
    headers: { "content-type": verbose ? "application/json" : "text/plain; charset=utf-8" },
  });
}
