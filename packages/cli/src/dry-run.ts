import { type PreparedRequest, redactBodyText, redactHeaders, redactUrl } from "@mpkit/connector";

/**
 * The exact request as text, secrets redacted: request line, headers, blank line, body. A gzipped body
 * is shown uncompressed, with the `content-encoding` header it will carry.
 */
export function formatDryRun(request: PreparedRequest, note?: string): string {
  const headers = redactHeaders(
    request.gzip ? { ...request.headers, "content-encoding": "gzip" } : request.headers,
  );
  const lines = [`${request.method} ${redactUrl(request.url, request.secrets)}`];
  for (const [key, value] of Object.entries(headers)) lines.push(`${key}: ${value}`);
  if (request.body !== undefined) {
    lines.push("", redactBodyText(request.body, request.headers["content-type"], request.secrets));
  }
  if (note !== undefined) lines.push("", `# ${note}`);
  return `${lines.join("\n")}\n`;
}
