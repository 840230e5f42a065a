import type { RedactedRequest } from "../errors.js";

/** Shown in place of every secret. */
export const REDACTED = "[REDACTED]";

// Keys whose values are credentials wherever they appear (query, form, JSON). `token` covers the
// project token in `/track` bodies and GDPR's `?token=`; pipeline bodies carry `*_secret`, `*_password`
// and service-account key JSON (`gcs_credentials`, `client_secret`).
const SECRET_KEY =
  /^\$?(token|api_key|api_secret|secret|password|sig|.*(secret|password|credentials|private_key)).*$/i;

/** True when a key names a credential. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

function scrubValues(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  }
  return out;
}

/** Redacts secret-named query parameters and any known secret value in a URL. */
export function redactUrl(url: string, secrets: readonly string[] = []): string {
  try {
    const parsed = new URL(url);
    for (const key of [...parsed.searchParams.keys()]) {
      if (isSecretKey(key)) parsed.searchParams.set(key, REDACTED);
    }
    return scrubValues(parsed.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED), secrets);
  } catch {
    return scrubValues(url, secrets);
  }
}

/** Redacts `Authorization` (keeping its scheme) and any secret-looking header. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    const lower = key.toLowerCase();
    if (lower === "authorization") out[key] = `${value.split(" ")[0] ?? ""} ${REDACTED}`;
    else if (isSecretKey(lower) || lower === "cookie") out[key] = REDACTED;
    else out[key] = value;
  }
  return out;
}

/** Deep-copies a JSON value, replacing values under secret-named keys. */
export function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = isSecretKey(key) && inner !== null && inner !== "" ? REDACTED : redactJson(inner);
    }
    return out;
  }
  return value;
}

function redactJsonText(text: string): string {
  try {
    return JSON.stringify(redactJson(JSON.parse(text)));
  } catch {
    return text;
  }
}

/**
 * Redacts a body given as text, by content type: JSON, NDJSON, or form fields (whose `data` field may
 * itself hold JSON, as `/track` form posts do).
 */
export function redactBodyText(
  text: string,
  contentType: string | undefined,
  secrets: readonly string[] = [],
): string {
  const type = (contentType ?? "").toLowerCase();
  let out = text;
  if (type.includes("x-ndjson")) out = text.split("\n").map(redactJsonText).join("\n");
  else if (type.includes("json")) out = redactJsonText(text);
  else if (type.includes("x-www-form-urlencoded")) {
    const params = new URLSearchParams(text);
    const next = new URLSearchParams();
    for (const [key, value] of params) {
      next.append(
        key,
        isSecretKey(key)
          ? REDACTED
          : value.startsWith("{") || value.startsWith("[")
            ? redactJsonText(value)
            : value,
      );
    }
    out = next.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED);
  }
  return scrubValues(out, secrets);
}

/** Redacts a whole request for errors, debug logs and `--dry-run`. */
export function redactRequest(
  request: { method: string; url: string; headers: Record<string, string> },
  secrets: readonly string[] = [],
): RedactedRequest {
  return {
    method: request.method,
    url: redactUrl(request.url, secrets),
    headers: redactHeaders(request.headers),
  };
}
