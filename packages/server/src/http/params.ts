/**
 * Request parameters. Mixpanel's SDKs put `data`, `verbose`, `ip` and friends in the query string
 * (node, browser), in a form body (Python, Ruby, Java, browser batches) or both, and sendBeacon posts
 * a form body labelled `text/plain`; so parameters are read from the query first and then from any
 * body that looks like a form, whatever its Content-Type says.
 */
export interface RequestParams {
  get(name: string): string | undefined;
}

/** True when a body starts like a form (`name=`), whatever its Content-Type says. */
export function looksLikeForm(text: string): boolean {
  return /^[A-Za-z_$][\w$.-]*=/.test(text);
}

/** Merges query parameters and the form body (query wins, as with the SDKs that send both). */
export function requestParams(url: URL, body: string, contentType: string): RequestParams {
  const query = url.searchParams;
  const trimmed = body.trimStart();
  const form =
    trimmed !== "" && !/json/i.test(contentType) && looksLikeForm(trimmed)
      ? new URLSearchParams(body)
      : undefined;
  return { get: (name) => query.get(name) ?? form?.get(name) ?? undefined };
}

/** Reads a Mixpanel boolean flag (`1`, `true`). */
export function flag(value: string | undefined): boolean {
  return value === "1" || value === "true";
}
