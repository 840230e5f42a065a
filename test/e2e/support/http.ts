import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { OWNER } from "./config.js";

/** A finished HTTP exchange. */
export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export interface RequestOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Certificate authority to trust for https (our self-signed certificate). */
  readonly ca?: Buffer | undefined;
  readonly timeoutMs?: number;
}

/**
 * One request over node:http(s). Not `fetch`: the tests need to trust a self-signed CA per request, send
 * bodies whose Content-Encoding lies, and see the raw status and body whatever they are.
 */
export function request(url: string, options: RequestOptions = {}): Promise<Reply> {
  const target = new URL(url);
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<Reply>((resolve, reject) => {
    const req = send(
      target,
      {
        method: options.method ?? "GET",
        headers: options.headers,
        ca: options.ca,
        // A fresh connection per request: a SIGKILLed server must not leave pooled sockets behind.
        agent: false,
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`request to ${url} timed out`)));
    req.on("error", reject);
    req.end(options.body);
  });
}

export function basic(user: string, pass = ""): string {
  return `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
}

export function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64");
}

/** `YYYY-MM-DD` of an instant in a time zone (export dates are checked against the project's "today"). */
export function dayIn(timeZone: string, ms = Date.now()): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date(ms));
}

/** One line of `/api/2.0/export`. */
export interface ExportLine {
  readonly event: string;
  readonly properties: Record<string, unknown> & { readonly time: number; readonly distinct_id: string };
}

/**
 * Reads a project's events back through `GET /api/2.0/export` (the public API, not storage), from ten
 * days before the project's today up to today, authenticated as the owner service account.
 */
export async function exportEvents(
  baseUrl: string,
  project: { readonly id: number; readonly timezone: string },
  options: { readonly ca?: Buffer | undefined; readonly days?: number } = {},
): Promise<ExportLine[]> {
  const to = dayIn(project.timezone);
  const from = dayIn(project.timezone, Date.now() - (options.days ?? 10) * 86_400_000);
  const res = await request(
    `${baseUrl}/api/2.0/export?project_id=${project.id}&from_date=${from}&to_date=${to}`,
    {
      headers: { authorization: basic(OWNER.username, OWNER.secret) },
      ca: options.ca,
    },
  );
  if (res.status !== 200) throw new Error(`export failed: ${res.status} ${res.body}`);
  return res.body
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as ExportLine);
}

/** Polls `check` until it returns a value (not undefined), for data that arrives asynchronously. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
