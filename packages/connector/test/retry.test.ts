import {
  defaultRetryOptions,
  NetworkError,
  parseRetryAfter,
  RateLimitError,
  retryDelay,
  ServerError,
  shouldRetry,
  TimeoutError,
} from "@mpkit/connector";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wireClient } from "./support/fixtures.js";
import { startWireServer, type WireServer } from "./support/wire-server.js";

let server: WireServer;
beforeAll(async () => {
  server = await startWireServer();
});
afterAll(() => server.close());

const query = { event: "E", from_date: "2024-01-01", to_date: "2024-01-02" } as const;

describe("retry decisions (pure)", () => {
  const options = { ...defaultRetryOptions, maxRetries: 3 };
  const server503 = new ServerError("x", { status: 503, body: "" });
  it("retries 5xx, network and timeout errors on idempotent calls only", () => {
    expect(shouldRetry(server503, 0, options, true)).toBe(true);
    expect(shouldRetry(new NetworkError("x"), 0, options, true)).toBe(true);
    expect(shouldRetry(new TimeoutError(5), 0, options, true)).toBe(true);
    expect(shouldRetry(server503, 0, options, false)).toBe(false);
    expect(shouldRetry(server503, 3, options, true)).toBe(false);
  });
  it("always retries 429 (Mixpanel did no work), never 4xx unless retryOn is all", () => {
    expect(shouldRetry(new RateLimitError("x", { status: 429, body: "" }), 0, options, false)).toBe(true);
    const bad = new ServerError("x", { status: 400, body: "" });
    expect(shouldRetry(bad, 0, options, true)).toBe(false);
    expect(shouldRetry(bad, 0, { ...options, retryOn: "all" }, true)).toBe(true);
  });
  it("backs off exponentially with a cap and 50–100% jitter", () => {
    const plain = { ...options, jitter: false, initialDelayMs: 100, maxDelayMs: 350 };
    expect([0, 1, 2, 3].map((attempt) => retryDelay(server503, attempt, plain))).toEqual([
      100, 200, 350, 350,
    ]);
    expect(retryDelay(server503, 0, { ...plain, jitter: true }, () => 0)).toBe(50);
    expect(retryDelay(server503, 0, { ...plain, jitter: true }, () => 1)).toBe(100);
  });
  it("prefers Retry-After, and gives up when it asks for longer than maxRetryAfterMs", () => {
    const limited = new RateLimitError("x", { status: 429, body: "", retryAfterMs: 7000 });
    expect(retryDelay(limited, 0, options)).toBe(7000);
    expect(retryDelay(limited, 0, { ...options, maxRetryAfterMs: 1000 })).toBeUndefined();
  });
  it("parses Retry-After seconds and HTTP dates", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(
      parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", Date.parse("Wed, 21 Oct 2015 07:27:58 GMT")),
    ).toBe(2000);
    expect(parseRetryAfter("soon")).toBeUndefined();
  });
});

describe("retries against a server that fails on purpose", () => {
  it("retries 503 then succeeds", async () => {
    server.handle((_, index) => (index % 3 < 2 ? { status: 503, body: "busy" } : { body: { ok: 1 } }));
    server.requests.length = 0;
    expect(await wireClient(server).segmentation(query)).toEqual({ ok: 1 });
    expect(server.requests.length).toBe(3);
  });

  it("honours Retry-After on 429 and surfaces RateLimitError with retryAfterMs when retries run out", async () => {
    server.requests.length = 0;
    server.handle(() => ({
      status: 429,
      headers: { "retry-after": "0.05" },
      body: { error: "Query rate limit exceeded" },
    }));
    const started = Date.now();
    const error = await wireClient(server, { retry: { maxRetries: 2, initialDelayMs: 1, jitter: false } })
      .segmentation(query)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(50);
    expect((error as RateLimitError).body).toEqual({ error: "Query rate limit exceeded" });
    expect(server.requests.length).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
  });

  it("does not retry 400", async () => {
    server.requests.length = 0;
    server.handle(() => ({ status: 400, body: { error: "bad where" } }));
    await expect(wireClient(server).segmentation(query)).rejects.toMatchObject({
      name: "InvalidRequestError",
      status: 400,
    });
    expect(server.requests.length).toBe(1);
  });

  it("does not repeat a non-idempotent call after a 5xx, but does after a 429", async () => {
    server.requests.length = 0;
    server.handle(() => ({ status: 500, body: "oops" }));
    await expect(
      wireClient(server).createAnnotation({ date: "2024-01-01 00:00:00", description: "d" }),
    ).rejects.toMatchObject({ status: 500 });
    expect(server.requests.length).toBe(1);
    server.handle((_, index) => (index === 1 ? { status: 429, body: {} } : { body: { results: { id: 1 } } }));
    await wireClient(server).createAnnotation({ date: "2024-01-01 00:00:00", description: "d" });
    expect(server.requests.length).toBe(3);
  });

  it("times out slow responses with TimeoutError, retrying each attempt", async () => {
    server.requests.length = 0;
    server.handle(() => ({ delayMs: 300, body: {} }));
    const error = await wireClient(server, { timeoutMs: 40, retry: { maxRetries: 1, initialDelayMs: 1 } })
      .segmentation(query)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(server.requests.length).toBe(2);
  });

  it("turns dropped connections into NetworkError after retries", async () => {
    server.handle(() => ({ destroy: true }));
    await expect(wireClient(server, { retry: 1 }).segmentation(query)).rejects.toBeInstanceOf(NetworkError);
  });

  it("aborts in flight and during backoff, without further attempts", async () => {
    server.requests.length = 0;
    server.handle(() => ({ delayMs: 500, body: {} }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("stop")), 30);
    await expect(wireClient(server).segmentation(query, { signal: controller.signal })).rejects.toThrow(
      "stop",
    );

    server.handle(() => ({ status: 503, body: "" }));
    const backoff = new AbortController();
    const pending = wireClient(server, { retry: { initialDelayMs: 10_000, jitter: false } }).segmentation(
      query,
      { signal: backoff.signal },
    );
    setTimeout(() => backoff.abort(new Error("cancelled")), 50);
    const started = Date.now();
    await expect(pending).rejects.toThrow("cancelled");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("per-call settings override client defaults", async () => {
    server.requests.length = 0;
    server.handle(() => ({ status: 502, body: "" }));
    await expect(
      wireClient(server, { retry: 5 }).segmentation(query, { retry: false }),
    ).rejects.toBeInstanceOf(ServerError);
    expect(server.requests.length).toBe(1);
  });

  it("returns text and binary when asked", async () => {
    server.handle(() => ({ body: "a,b\n1,2\n" }));
    expect(await wireClient(server).segmentation({ ...query, format: "csv" }, { responseType: "text" })).toBe(
      "a,b\n1,2\n",
    );
    const bytes = await wireClient(server).segmentation(query, { responseType: "binary" });
    expect(bytes).toBeInstanceOf(Uint8Array);
  });

  it("debug logs every request with secrets redacted", async () => {
    server.handle(() => ({ body: {} }));
    const lines: string[] = [];
    await wireClient(server, { debug: (line) => lines.push(line) }).createGdprRetrieval({
      distinct_ids: ["u"],
    });
    const text = lines.join("\n");
    expect(text).toContain("POST");
    expect(text).toContain("[REDACTED]");
    for (const secret of ["oauth-token-abc", "project-token-789", "sa-secret-value-123"])
      expect(text).not.toContain(secret);
  });
});
