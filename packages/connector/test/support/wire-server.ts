import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import type { HostFamily } from "@mpkit/connector";

/**
 * A loopback HTTP server that records exactly what the connector sends. Each host family gets its own
 * base URL (`/__ingestion`, `/__query`, `/__export` prefixes on one port), so tests can assert the
 * family as well as method, path, query, headers and body. Point the same tests at a real mpkit
 * server by using `baseUrl` instead of `baseUrls` (then `family` is `undefined`).
 */
export interface RecordedRequest {
  readonly family: HostFamily | undefined;
  readonly method: string;
  /** Path without the family prefix and without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string>>;
  /** The body as received (still gzipped if it was). */
  readonly raw: Buffer;
  /** The body after undoing `Content-Encoding: gzip`. */
  readonly body: Buffer;
  text(): string;
  json(): unknown;
  form(): URLSearchParams;
}

/** What the server answers; a function reply can depend on the request and the attempt count. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array | object;
  /** Body sent in these pieces, with a flush between them (streamed responses). */
  chunks?: string[];
  /** Wait before answering (timeouts). */
  delayMs?: number;
  /** Drop the connection without an answer (network errors). */
  destroy?: boolean;
}

export type Handler = (request: RecordedRequest, index: number) => Reply | Promise<Reply>;

export interface WireServer {
  readonly url: string;
  readonly baseUrls: Record<HostFamily, string>;
  readonly requests: RecordedRequest[];
  /** Replaces the handler for the following requests. */
  handle(handler: Handler): void;
  close(): Promise<void>;
}

const families: HostFamily[] = ["ingestion", "query", "export"];

function record(request: IncomingMessage, raw: Buffer): RecordedRequest {
  const url = new URL(request.url ?? "/", "http://loopback");
  const match = /^\/__(ingestion|query|export)(\/.*)?$/.exec(url.pathname);
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(", ") : value;
  }
  const body = headers["content-encoding"] === "gzip" && raw.length > 0 ? gunzipSync(raw) : raw;
  return {
    family: match ? (match[1] as HostFamily) : undefined,
    method: request.method ?? "GET",
    path: match ? (match[2] ?? "/") : url.pathname,
    query: url.searchParams,
    headers,
    raw,
    body,
    text: () => body.toString("utf8"),
    json: () => JSON.parse(body.toString("utf8")),
    form: () => new URLSearchParams(body.toString("utf8")),
  };
}

async function reply(response: ServerResponse, answer: Reply): Promise<void> {
  if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
  if (answer.destroy) {
    response.socket?.destroy();
    return;
  }
  const body = answer.body;
  const isJson = body !== undefined && typeof body === "object" && !(body instanceof Uint8Array);
  response.writeHead(answer.status ?? 200, {
    ...(isJson ? { "content-type": "application/json" } : {}),
    ...answer.headers,
  });
  if (answer.chunks) {
    for (const chunk of answer.chunks) {
      response.write(chunk);
      await new Promise((resolve) => setImmediate(resolve));
    }
    response.end();
    return;
  }
  response.end(isJson ? JSON.stringify(body) : (body as string | Uint8Array | undefined));
}

/** Starts a wire server on an ephemeral loopback port. */
export async function startWireServer(
  handler: Handler = () => ({ body: { status: "ok" } }),
): Promise<WireServer> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const recorded = record(request, Buffer.concat(chunks));
      requests.push(recorded);
      Promise.resolve(current(recorded, requests.length - 1))
        .then((answer) => reply(response, answer))
        .catch((error: unknown) => {
          response.writeHead(500);
          response.end(String(error));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseUrls: Object.fromEntries(families.map((family) => [family, `${url}/__${family}`])) as Record<
      HostFamily,
      string
    >,
    requests,
    handle(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
