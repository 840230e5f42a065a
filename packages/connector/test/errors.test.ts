import {
  AuthenticationError,
  baseUrlFor,
  errorFromResponse,
  InvalidRequestError,
  MixpanelError,
  MixpanelHttpError,
  PayloadTooLargeError,
  PermissionError,
  RateLimitError,
  REDACTED,
  redactBodyText,
  redactHeaders,
  redactUrl,
  ServerError,
} from "@mpkit/connector";
import { describe, expect, it } from "vitest";

describe("errorFromResponse", () => {
  it.each([
    [401, AuthenticationError],
    [403, PermissionError],
    [400, InvalidRequestError],
    [404, InvalidRequestError],
    [413, PayloadTooLargeError],
    [429, RateLimitError],
    [500, ServerError],
    [503, ServerError],
  ])("maps %i", (status, type) => {
    const error = errorFromResponse({ status, body: { request: "/api/query/x", error: "why" } });
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(MixpanelHttpError);
    expect(error).toBeInstanceOf(MixpanelError);
    expect(error.message).toBe(`Mixpanel ${status}: why`);
    expect(error.status).toBe(status);
  });
  it("keeps ingestion codes and text bodies", () => {
    const error = errorFromResponse({
      status: 413,
      body: { code: 413, error: "too big", status: "Request Entity Too Large" },
    });
    expect(error.code).toBe("413");
    expect(errorFromResponse({ status: 502, body: "Bad gateway" }).message).toBe("Mixpanel 502: Bad gateway");
  });
});

describe("redaction", () => {
  it("redacts auth headers, secret query params and known secret values", () => {
    expect(redactHeaders({ authorization: "Basic abc", accept: "x" })).toEqual({
      authorization: `Basic ${REDACTED}`,
      accept: "x",
    });
    expect(redactUrl("https://mixpanel.com/api/app/x?token=t0ken&a=1")).toBe(
      `https://mixpanel.com/api/app/x?token=${REDACTED}&a=1`,
    );
    expect(redactUrl("https://h/p/s3cr3t-value", ["s3cr3t-value"])).toBe(`https://h/p/${REDACTED}`);
  });
  it("redacts secret keys inside JSON, NDJSON and form bodies", () => {
    expect(redactBodyText('[{"properties":{"token":"abc","x":1}}]', "application/json")).toBe(
      `[{"properties":{"token":"${REDACTED}","x":1}}]`,
    );
    expect(redactBodyText("client_secret=abc&name=n", "application/x-www-form-urlencoded")).toBe(
      `client_secret=${REDACTED}&name=n`,
    );
    expect(
      redactBodyText('data={"properties":{"token":"abc"}}', "application/x-www-form-urlencoded"),
    ).toContain(REDACTED);
  });
});

describe("hosts", () => {
  it("maps region × family", () => {
    expect(baseUrlFor("ingestion", {})).toBe("https://api.mixpanel.com");
    expect(baseUrlFor("query", { region: "EU" })).toBe("https://eu.mixpanel.com");
    expect(baseUrlFor("export", { region: "in" })).toBe("https://data-in.mixpanel.com");
    expect(baseUrlFor("query", { baseUrl: "http://127.0.0.1:8080/" })).toBe("http://127.0.0.1:8080");
    expect(baseUrlFor("export", { baseUrl: "http://a", baseUrls: { export: "http://b" } })).toBe("http://b");
    expect(() => baseUrlFor("query", { region: "mars" as never })).toThrow(/Unknown region/);
  });
});
