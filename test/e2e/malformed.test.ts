/**
 * At least 1,000 randomized malformed requests (seeded; the seed is printed, `MPKIT_FUZZ_SEED=<n>`
 * replays a run) against a real server on a real socket, interleaved with valid ones. Every malformed
 * request must get Mixpanel's error for its endpoint family, nothing may answer 5xx or take the server
 * down, and at the end exactly the valid data is there.
 */
import { gzipSync } from "node:zlib";
import type { RunningServer } from "@mpkit/server";
import { sql } from "@mpkit/sql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OWNER, P1, P2 } from "./support/config.js";
import { b64, basic, type ExportLine, exportEvents, type Reply, request } from "./support/http.js";
import { fuzzSeed, Random } from "./support/random.js";
import { startInProcess, tempDir } from "./support/servers.js";

const MALFORMED_TARGET = 1000;
const CONCURRENCY = 6;
const MAX_RECORDS = 2000;
const MAX_BODY = 10 * 1024 * 1024;
const DAY = 86_400_000;

interface Case {
  readonly kind: string;
  readonly valid: boolean;
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Throws when the reply is not the expected one. */
  check(reply: Reply): void;
}

/** A valid event the server must end up with, as sent. */
interface Expected {
  readonly event: string;
  readonly distinctId: string;
  readonly timeSec: number;
  readonly props: Record<string, unknown>;
}

// ---- reply shapes -------------------------------------------------------------------------------

function fail(message: string, reply: Reply): never {
  throw new Error(`${message}; got ${reply.status} ${reply.body.slice(0, 300)}`);
}

function parse(reply: Reply): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(reply.body);
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  return fail("expected a JSON object", reply);
}

/** /track, /engage, /groups refuse with HTTP 200 and `0`, or `{"status":0,"error":"..."}` with verbose=1. */
function ingestRefused(verbose: boolean) {
  return (reply: Reply) => {
    if (reply.status !== 200) fail("expected 200", reply);
    if (!verbose) {
      if (reply.body !== "0") fail("expected 0", reply);
      return;
    }
    const body = parse(reply);
    if (body["status"] !== 0 || typeof body["error"] !== "string" || body["error"] === "")
      fail('expected {"status":0,"error":"<message>"}', reply);
  };
}

function ingestAccepted(verbose: boolean) {
  return (reply: Reply) => {
    if (reply.status !== 200) fail("expected 200", reply);
    if (verbose ? reply.body !== '{"status":1,"error":null}' : reply.body !== "1")
      fail("expected success", reply);
  };
}

/** `/import` errors (and body-level errors on any ingestion path): `{"code","error","status"}`. */
function importRefused(status: number) {
  return (reply: Reply) => {
    if (reply.status !== status) fail(`expected ${status}`, reply);
    const body = parse(reply);
    if (body["code"] !== status || typeof body["error"] !== "string" || body["error"] === "")
      fail(`expected {"code":${status},"error":"<message>","status"}`, reply);
    if (typeof body["status"] !== "string") fail("expected a status text", reply);
  };
}

/** Query-side errors: `{"request": "<path and query>", "error": "<message>"}`. */
function queryRefused(status: number) {
  return (reply: Reply) => {
    if (reply.status !== status) fail(`expected ${status}`, reply);
    const body = parse(reply);
    if (typeof body["request"] !== "string" || typeof body["error"] !== "string" || body["error"] === "")
      fail('expected {"request","error"}', reply);
  };
}

// ---- malformed payloads -------------------------------------------------------------------------

const nowSec = () => Math.floor(Date.now() / 1000);

/** Event records that no endpoint may store, whatever the token. */
function badEvents(r: Random, token: unknown, endpoint: "track" | "import"): unknown[] {
  const id = `bad-${r.int(0, 1e9)}`;
  const time = endpoint === "track" ? nowSec() - 60 : nowSec() - 86_400;
  const p = (extra: Record<string, unknown>) => ({ token, distinct_id: id, time, $insert_id: id, ...extra });
  return [
    42,
    "an event",
    null,
    [],
    true,
    {},
    { properties: p({}) },
    { event: 42, properties: p({}) },
    { event: "", properties: p({}) },
    { event: "   ", properties: p({}) },
    { event: null, properties: p({}) },
    { event: ["x"], properties: p({}) },
    { event: "bad", properties: "token=x" },
    { event: "bad", properties: [1, 2] },
    { event: "bad", properties: 7 },
    { event: "bad", properties: p({ time: "yesterday" }) },
    { event: "bad", properties: p({ time: {} }) },
    { event: "bad", properties: p({ time: true }) },
    { event: "bad", properties: p({ time: 5 }) }, // 1970: Mixpanel refuses events before 1971
    { event: "bad", properties: p({ distinct_id: { a: 1 } }) },
    { event: "bad", properties: p({ distinct_id: [id] }) },
    { event: "bad", properties: p({ distinct_id: true }) },
    { event: "bad", properties: p({ distinct_id: "undefined" }) }, // Mixpanel's blocked placeholder ids
    { event: "bad", properties: p({ distinct_id: "00000000-0000-0000-0000-000000000000" }) },
    { event: "bad", properties: p({ distinct_id: "x".repeat(256) }) },
    { event: "bad", properties: p({ $device_id: { id } }) },
    { event: "bad", properties: p({ $user_id: [id] }) },
    endpoint === "track"
      ? { event: "bad", properties: p({ time: nowSec() - 6 * 86_400 }) } // /track takes the last 5 days only
      : { event: "bad", properties: p({ time: nowSec() + 2 * 86_400 }) }, // /import: not in the future
    // (/track clamps future times to the receipt time instead, so this one is only invalid on /import)
    ...(endpoint === "import" ? [{ event: "bad", properties: p({ time: Number.MAX_SAFE_INTEGER }) }] : []),
  ];
}

/** Well-formed events with tokens that belong to no project (or are the wrong type). */
function wrongTokenEvents(r: Random): unknown[] {
  const id = `bad-${r.int(0, 1e9)}`;
  const p = (token: unknown) => ({ event: "bad", properties: { token, distinct_id: id, $insert_id: id } });
  return [
    p("nope"),
    p("tok_demo "),
    p("TOK_DEMO"),
    p(""),
    p(42),
    p(null),
    p(["tok_demo"]),
    p({ t: "tok_demo" }),
  ];
}

function badProfiles(r: Random, kind: "engage" | "groups", token: unknown): unknown[] {
  const id = `bad-${r.int(0, 1e9)}`;
  const who = kind === "engage" ? { $distinct_id: id } : { $group_key: "company", $group_id: id };
  const u = (extra: Record<string, unknown>) => ({ $token: token, ...who, ...extra });
  const list: unknown[] = [
    42,
    null,
    "a profile",
    [],
    u({}), // no operation
    u({ $set: "plan=pro" }),
    u({ $set: [1] }),
    u({ $set_once: 5 }),
    u({ $add: { n: "one" } }),
    u({ $add: "n" }),
    u({ $add: { n: null } }),
    u({ $unset: "plan" }),
    u({ $unset: [1, 2] }),
    u({ $union: 5 }),
    u({ $append: "x" }),
    u({ $remove: [1] }),
    { $token: "nope", ...who, $set: { a: 1 } },
    { $token: 42, ...who, $set: { a: 1 } },
    { ...who, $set: { a: 1 } },
  ];
  if (kind === "engage") {
    list.push(
      { $token: token, $set: { a: 1 } },
      { $token: token, $distinct_id: "", $set: { a: 1 } },
      { $token: token, $distinct_id: { id }, $set: { a: 1 } },
    );
  } else {
    list.push(
      { $token: token, $group_id: id, $set: { a: 1 } },
      { $token: token, $group_key: "company", $set: { a: 1 } },
      { $token: token, $group_key: ["company"], $group_id: id, $set: { a: 1 } },
    );
  }
  return list;
}

/** Records that look valid but must not be stored (they ride in a request refused as a whole). */
function plausibleEvents(n: number, tag: string, endpoint: "track" | "import"): unknown[] {
  const time = endpoint === "track" ? nowSec() - 10 : nowSec() - 3600;
  return Array.from({ length: n }, (_, i) => ({
    event: "bad",
    properties: { token: P1.token, distinct_id: `bad-${tag}`, time, $insert_id: `bad-${tag}-${i}` },
  }));
}

// ---- the generator ------------------------------------------------------------------------------

class Fuzzer {
  readonly cases: Case[] = [];
  readonly expectedEvents = new Map<string, Expected>();
  /** good-user-k → the n values unioned (and each one $add-ed 1). */
  readonly expectedProfiles = new Map<string, number[]>();
  private serial = 0;
  private readonly bigBody: Buffer;

  constructor(private readonly r: Random) {
    // One 10 MB + 1 KB body, shared by the oversize cases: valid-looking JSON, so only its size is wrong.
    const record = JSON.stringify(plausibleEvents(1, "huge", "import")[0]);
    const count = Math.ceil((MAX_BODY + 1024) / (record.length + 1));
    this.bigBody = Buffer.from(`[${Array.from({ length: count }, () => record).join(",")}]`);
  }

  private add(c: Case) {
    this.cases.push(c);
  }

  get malformedCount(): number {
    return this.cases.filter((c) => !c.valid).length;
  }

  /** An ingestion request carrying `records` (or raw `data`) as the SDKs do, in a random transport. */
  private ingest(
    path: string,
    data: string,
    verbose: boolean,
    extra = "",
  ): Omit<Case, "kind" | "valid" | "check"> {
    const q = `${verbose ? "verbose=1&" : ""}ip=0${extra}`;
    let transport = this.r.int(0, 3);
    // PHP's raw form body only ever carries base64: plain JSON there would not survive form decoding.
    if (transport === 3 && !/^[A-Za-z0-9+/=]*$/.test(data)) transport = 1;
    // Node refuses request lines over 16 KB (431) before the app sees them; big payloads are POSTed.
    if (transport === 0 && data.length > 4000) transport = 1;
    switch (transport) {
      case 0: // node SDK: GET with data in the query
        return { method: "GET", path: `${path}?${q}&data=${encodeURIComponent(data)}` };
      case 1: // Python, Ruby, browser batches: a form POST
        return {
          method: "POST",
          path: `${path}?${q}`,
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: `data=${encodeURIComponent(data)}`,
        };
      case 2: // sendBeacon: a form body labelled text/plain
        return {
          method: "POST",
          path: `${path}/?${q}`,
          headers: { "content-type": "text/plain;charset=UTF-8" },
          body: `data=${encodeURIComponent(data)}`,
        };
      default: // PHP's consumer: base64 in the form without URL-encoding
        return {
          method: "POST",
          path: `${path}?${q}`,
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: `data=${data}`,
        };
    }
  }

  private encode(records: unknown): string {
    // Base64 JSON (node, browser) or plain JSON (Python, browser with api_payload_format: 'json').
    return this.r.chance(0.7) ? b64(records) : JSON.stringify(records);
  }

  /**
   * A record nested thousands of levels deep, as JSON text (JSON.stringify would overflow the stack
   * building it, which is exactly what the server must not do reading it).
   */
  private deepRecord(endpoint: "track" | "import" | "engage" | "groups"): string {
    const levels = this.r.int(2000, 20000);
    const open = this.r.chance(0.5) ? "[".repeat(levels) : '{"a":'.repeat(levels);
    const close = open.startsWith("[") ? "]".repeat(levels) : "}".repeat(levels);
    const deep = `${open}1${close}`;
    const id = `bad-deep-${this.serial++}`;
    if (endpoint === "engage") return `{"$token":"${P1.token}","$distinct_id":"${id}","$set":{"d":${deep}}}`;
    if (endpoint === "groups")
      return `{"$token":"${P1.token}","$group_key":"company","$group_id":"${id}","$union":{"d":${deep}}}`;
    const time = endpoint === "track" ? nowSec() - 10 : nowSec() - 3600;
    return `{"event":"bad","properties":{"token":"${P1.token}","distinct_id":"${id}","time":${time},"$insert_id":"${id}","d":${deep}}}`;
  }

  /** One malformed request to /track, /engage or /groups. */
  private malformedIngest(): void {
    const r = this.r;
    const endpoint = r.pick(["track", "engage", "groups"] as const);
    const path = `/${endpoint}`;
    const verbose = r.chance(0.5);
    const token = r.chance(0.8) ? P1.token : r.pick(["nope", P2.token]);
    const records =
      endpoint === "track"
        ? [...badEvents(r, token, "track"), ...wrongTokenEvents(r)]
        : badProfiles(r, endpoint, token);
    const refused = ingestRefused(verbose);
    const variant = r.int(0, 10);
    if (variant === 10) {
      // Pathological nesting, and (profiles) a $time beyond the Date range: both used to answer 500.
      const data =
        endpoint !== "track" && r.chance(0.3)
          ? JSON.stringify({
              $token: P1.token,
              ...(endpoint === "engage"
                ? { $distinct_id: "bad-time" }
                : { $group_key: "company", $group_id: "bad-time" }),
              $time: r.pick([1e300, -1e300, 8.7e15]),
              $set: { a: 1 },
            })
          : this.deepRecord(endpoint);
      this.add({
        kind: `${endpoint}: pathological record`,
        valid: false,
        ...this.ingest(path, data, verbose),
        check: refused,
      });
    } else if (variant <= 3) {
      const batch = Array.from({ length: r.int(1, 4) }, () => r.pick(records));
      const payload = batch.length === 1 && r.chance(0.5) ? batch[0] : batch;
      this.add({
        kind: `${endpoint}: invalid records`,
        valid: false,
        ...this.ingest(path, this.encode(payload), verbose),
        check: refused,
      });
    } else if (variant === 4) {
      // Broken base64: characters outside the alphabet, or base64 of random bytes.
      const data = r.chance(0.5) ? `${r.text(30)}!*` : r.bytes(r.int(1, 60)).toString("base64");
      this.add({
        kind: `${endpoint}: broken base64`,
        valid: false,
        ...this.ingest(path, data, verbose),
        check: refused,
      });
    } else if (variant === 5) {
      // Broken JSON: a valid payload cut short, base64-encoded or not.
      const json = JSON.stringify([
        { event: "bad", properties: { token: P1.token, distinct_id: "bad-cut" } },
      ]);
      const cut = json.slice(0, r.int(1, json.length - 1));
      const data = r.chance(0.5) ? Buffer.from(cut).toString("base64") : cut;
      this.add({
        kind: `${endpoint}: broken JSON`,
        valid: false,
        ...this.ingest(path, data, verbose),
        check: refused,
      });
    } else if (variant === 6) {
      // No data at all, empty data, or a form without data.
      const c = r.int(0, 2);
      const req =
        c === 0
          ? { method: "GET", path: `${path}?verbose=${verbose ? 1 : 0}` }
          : c === 1
            ? this.ingest(path, "", verbose)
            : { method: "POST", path: `${path}?verbose=${verbose ? 1 : 0}`, body: `other=${r.int(0, 9)}` };
      this.add({ kind: `${endpoint}: missing data`, valid: false, ...req, check: refused });
    } else if (variant === 7) {
      // Random bytes as the body, under a random content type.
      this.add({
        kind: `${endpoint}: random body`,
        valid: false,
        method: "POST",
        path: `${path}?verbose=${verbose ? 1 : 0}`,
        headers: {
          "content-type": r.pick([
            "application/json",
            "text/plain",
            "application/octet-stream",
            "application/x-www-form-urlencoded",
          ]),
        },
        body: Buffer.concat([Buffer.from(r.pick(["", "data=", "[", "{"])), r.bytes(r.int(1, 200))]),
        check: (reply) => {
          // A body that happens to decode as JSON holding no valid record is refused with 200 + 0;
          // everything else too. Either way: Mixpanel's ingestion answer, never a 5xx.
          refused(reply);
        },
      });
    } else if (variant === 8) {
      // A body that claims gzip but is not: a 400 with the reason.
      this.add({
        kind: `${endpoint}: bad gzip`,
        valid: false,
        method: "POST",
        path: `${path}?verbose=1`,
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "content-encoding": r.pick(["gzip", "deflate"]),
        },
        body: Buffer.concat([Buffer.from([0x1f, 0x8b]), r.bytes(r.int(0, 100))]),
        check: importRefused(400),
      });
    } else {
      // More records than Mixpanel takes in one request (2000); all of them look valid, none is stored.
      const tag = `many-${this.serial++}`;
      const many =
        endpoint === "track"
          ? plausibleEvents(MAX_RECORDS + 1, tag, "track")
          : Array.from({ length: MAX_RECORDS + 1 }, (_, i) =>
              endpoint === "engage"
                ? { $token: P1.token, $distinct_id: `bad-${tag}-${i}`, $set: { a: 1 } }
                : { $token: P1.token, $group_key: "company", $group_id: `bad-${tag}-${i}`, $set: { a: 1 } },
            );
      this.add({
        kind: `${endpoint}: too many records`,
        valid: false,
        method: "POST",
        path: `${path}?verbose=1`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `data=${encodeURIComponent(b64(many))}`,
        check: (reply) => {
          ingestRefused(true)(reply);
          if (!/at most 2000/.test(reply.body)) fail("expected the 2000-record limit in the error", reply);
        },
      });
    }
  }

  private importAuth(): { headers: Record<string, string>; query: string } {
    const r = this.r;
    return r.chance(0.5)
      ? { headers: { authorization: basic(P1.secret) }, query: "" }
      : { headers: { authorization: basic(OWNER.username, OWNER.secret) }, query: `&project_id=${P1.id}` };
  }

  /** One malformed `/import` request. */
  private malformedImport(): void {
    const r = this.r;
    const variant = r.int(0, 9);
    const json = { "content-type": "application/json" };
    const valid = JSON.stringify(plausibleEvents(2, `auth-${this.serial++}`, "import"));
    if (variant <= 2) {
      // Authentication and authorization: Mixpanel's 401/403 (and 400 for a missing project_id).
      const cases: [Record<string, string>, string, number][] = [
        [{}, "", 401],
        [{ authorization: basic("not-a-secret") }, "", 401],
        [{ authorization: basic(P1.secret, "x") }, "", 401],
        [{ authorization: basic(OWNER.username, "wrong") }, "&project_id=1", 401],
        [{ authorization: basic("nobody", "secret") }, "&project_id=1", 401],
        [{ authorization: "Bearer abc" }, "", 401],
        [{ authorization: "Basic !!!not-base64" }, "", 401],
        [{ authorization: basic(OWNER.username, OWNER.secret) }, "", 400],
        [{ authorization: basic(OWNER.username, OWNER.secret) }, "&project_id=999", 403],
        [{ authorization: basic(OWNER.username, OWNER.secret) }, "&project_id=abc", 403],
        [{ authorization: basic(OWNER.username, OWNER.secret) }, "&project_id=1.5", 403],
        [{ authorization: basic("sa.consumer", "consumer-secret") }, "&project_id=1", 403],
        [{ authorization: basic("sa.analyst", "analyst-secret") }, "&project_id=1", 403],
        [{ authorization: basic(P1.secret) }, "&project_id=2", 403],
        [{ authorization: basic(P1.secret) }, "&project_id=999", 403],
      ];
      const [headers, query, status] = r.pick(cases);
      this.add({
        kind: "import: bad credentials",
        valid: false,
        method: "POST",
        path: `/import?strict=1${query}`,
        headers: { ...json, ...headers },
        body: valid,
        check: importRefused(status),
      });
      return;
    }
    const auth = this.importAuth();
    const base = { method: "POST", headers: { ...json, ...auth.headers } };
    if (variant <= 4) {
      // Invalid records: strict=1 lists them in failed_records; strict=0 drops them (num_records_imported 0).
      const batch = Array.from({ length: r.int(1, 5) }, () => r.pick(badEvents(r, P1.token, "import")));
      const strict = r.chance(0.7);
      this.add({
        kind: `import: invalid records (strict=${strict ? 1 : 0})`,
        valid: false,
        ...base,
        path: `/import?strict=${strict ? 1 : 0}${auth.query}`,
        body: JSON.stringify(batch),
        check: (reply) => {
          if (strict) {
            importRefused(400)(reply);
            const body = parse(reply);
            const failed = body["failed_records"];
            if (!Array.isArray(failed) || failed.length !== batch.length)
              fail("expected every record in failed_records", reply);
            if (body["num_records_imported"] !== 0) fail("expected num_records_imported 0", reply);
          } else {
            if (reply.status !== 200) fail("expected 200", reply);
            const body = parse(reply);
            if (body["num_records_imported"] !== 0) fail("expected num_records_imported 0", reply);
          }
        },
      });
    } else if (variant === 5) {
      // Broken JSON, NDJSON with a broken line, or broken form data.
      const text = JSON.stringify(plausibleEvents(3, `cut-${this.serial++}`, "import"));
      const c = r.int(0, 2);
      const body =
        c === 0
          ? text.slice(0, r.int(1, text.length - 2))
          : c === 1
            ? `${JSON.stringify(plausibleEvents(1, `nd-${this.serial++}`, "import")[0])}\n{"event":`
            : `data=${encodeURIComponent(`${r.text(20)}!*`)}`;
      this.add({
        kind: "import: broken JSON",
        valid: false,
        ...base,
        headers:
          c === 2 ? { ...auth.headers, "content-type": "application/x-www-form-urlencoded" } : base.headers,
        path: `/import?strict=1${auth.query}`,
        body,
        check: importRefused(400),
      });
    } else if (variant === 6) {
      this.add({
        kind: "import: bad gzip",
        valid: false,
        ...base,
        headers: { ...base.headers, "content-encoding": "gzip" },
        path: `/import?strict=1${auth.query}`,
        body: Buffer.concat([Buffer.from([0x1f, 0x8b, 8]), r.bytes(r.int(0, 64))]),
        check: importRefused(400),
      });
    } else if (variant === 7) {
      // Over 2000 records: 413, and none of them is stored.
      this.add({
        kind: "import: too many records",
        valid: false,
        ...base,
        path: `/import?strict=1${auth.query}`,
        body: JSON.stringify(plausibleEvents(MAX_RECORDS + r.int(1, 50), `many-${this.serial++}`, "import")),
        check: importRefused(413),
      });
    } else if (r.chance(0.2)) {
      this.add({
        kind: "import: pathological record",
        valid: false,
        ...base,
        path: `/import?strict=1${auth.query}`,
        body: `[${this.deepRecord("import")}]`,
        check: importRefused(400),
      });
    } else {
      // Wrong JSON types for the whole body.
      const body = r.pick([
        '"events"',
        "42",
        "null",
        "true",
        '{"event":',
        "[1,2,3]",
        '[{"event":"bad"}]',
        "[[]]",
      ]);
      this.add({
        kind: "import: wrong body type",
        valid: false,
        ...base,
        path: `/import?strict=1${auth.query}`,
        body,
        check: importRefused(400),
      });
    }
  }

  /** One malformed `/api/2.0/export` request. */
  private malformedExport(): void {
    const r = this.r;
    const today = new Date().toISOString().slice(0, 10);
    const owner = { authorization: basic(OWNER.username, OWNER.secret) };
    const ok = `project_id=1&from_date=${today}&to_date=${today}`;
    const cases: [Record<string, string>, string, number][] = [
      [{}, ok, 401],
      [{ authorization: basic(OWNER.username, "nope") }, ok, 401],
      [{ authorization: basic(P1.token) }, ok, 401], // a token never reads
      [{ authorization: basic("sa.consumer", "consumer-secret") }, ok, 403],
      [owner, `project_id=999&from_date=${today}&to_date=${today}`, 403],
      [owner, `project_id=x&from_date=${today}&to_date=${today}`, 403],
      [owner, `from_date=${today}&to_date=${today}`, 400],
      [owner, `project_id=1&to_date=${today}`, 400],
      [owner, `project_id=1&from_date=${today}`, 400],
      [owner, `project_id=1&from_date=2024-13-01&to_date=${today}`, 400],
      [owner, `project_id=1&from_date=2024-02-30&to_date=${today}`, 400],
      [owner, `project_id=1&from_date=yesterday&to_date=${today}`, 400],
      [owner, `project_id=1&from_date=2024/01/01&to_date=${today}`, 400],
      [owner, `project_id=1&from_date=${encodeURIComponent(r.text(12))}&to_date=${today}`, 400],
      [owner, `project_id=1&from_date=${today}&to_date=2999-01-01`, 400],
      [owner, `project_id=1&from_date=${today}&to_date=2020-01-01`, 400],
      [owner, `${ok}&limit=abc`, 400],
      [owner, `${ok}&limit=0`, 400],
      [owner, `${ok}&limit=100001`, 400],
      [owner, `${ok}&limit=-5`, 400],
      [owner, `${ok}&event=${encodeURIComponent("Signed Up")}`, 400],
      [owner, `${ok}&event=${encodeURIComponent('{"a":1}')}`, 400],
      [owner, `${ok}&event=${encodeURIComponent("[1,2]")}`, 400],
      [owner, `${ok}&where=${encodeURIComponent(`((${r.text(10)}`)}`, 400],
    ];
    const [headers, query, status] = r.pick(cases);
    const post = r.chance(0.3);
    this.add({
      kind: "export: bad request",
      valid: false,
      method: post ? "POST" : "GET",
      path: post ? "/api/2.0/export" : `/api/2.0/export?${query}`,
      headers: post ? { ...headers, "content-type": "application/x-www-form-urlencoded" } : headers,
      ...(post ? { body: query } : {}),
      check: queryRefused(status),
    });
  }

  /** Unknown paths and methods. */
  private malformedOther(): void {
    const r = this.r;
    const c = r.int(0, 2);
    if (c === 0) {
      this.add({
        kind: "unknown API path",
        valid: false,
        method: "GET",
        path: `/api/2.0/${r.pick(["exports", "engage2", "nope"])}?project_id=1`,
        check: queryRefused(400),
      });
    } else {
      this.add({
        kind: "unknown path or method",
        valid: false,
        method: c === 1 ? r.pick(["PUT", "DELETE", "PATCH"]) : "GET",
        path:
          c === 1 ? r.pick(["/track", "/import", "/engage"]) : `/${r.pick(["trak", "imports", "decide2"])}`,
        check: (reply) => {
          if (reply.status !== 404) fail("expected 404", reply);
          const body = parse(reply);
          if (body["status"] !== 0 || typeof body["error"] !== "string")
            fail('expected {"error","status":0}', reply);
        },
      });
    }
  }

  // ---- valid requests ----

  private validEvent(endpoint: "track" | "import"): Record<string, unknown> {
    const r = this.r;
    const n = this.serial++;
    const timeSec =
      endpoint === "track"
        ? nowSec() - r.int(0, 3600)
        : Math.floor((Date.now() - r.int(3600_000, 8 * DAY)) / 1000);
    const props = {
      n,
      text: r.text(20),
      flag: r.chance(0.5),
      list: [n, `${n}`],
      $insert_id: `good-${endpoint}-${n}`,
    };
    const distinctId = `good-${n % 11}`;
    const event = r.pick(["Good A", "Good B", "Good C"]);
    this.expectedEvents.set(props.$insert_id, { event, distinctId, timeSec, props });
    // /import takes milliseconds as well as seconds.
    const time = endpoint === "import" && r.chance(0.5) ? timeSec * 1000 : timeSec;
    return { event, properties: { ...props, token: P1.token, distinct_id: distinctId, time } };
  }

  private valid(): void {
    const r = this.r;
    const c = r.int(0, 3);
    if (c === 0) {
      // /track: valid events, sometimes alongside invalid ones (Mixpanel answers 1 when any is valid).
      const verbose = r.chance(0.5);
      const good = Array.from({ length: r.int(1, 3) }, () => this.validEvent("track"));
      const mixed = r.chance(0.5)
        ? [...good, r.pick(badEvents(r, P1.token, "track")), r.pick(wrongTokenEvents(r))]
        : good;
      const payload = mixed.length === 1 ? mixed[0] : mixed;
      this.add({
        kind: "valid track",
        valid: true,
        ...this.ingest("/track", this.encode(payload), verbose),
        check: ingestAccepted(verbose),
      });
    } else if (c === 1) {
      // /import: a JSON array, maybe gzipped, maybe with invalid records (dropped, or failed_records with strict=1).
      const auth = this.importAuth();
      const good = Array.from({ length: r.int(1, 10) }, () => this.validEvent("import"));
      const bad = r.chance(0.4) ? [r.pick(badEvents(r, P1.token, "import"))] : [];
      const strict = r.chance(0.5);
      const text = JSON.stringify([...good, ...bad]);
      const gzip = r.chance(0.3);
      this.add({
        kind: "valid import",
        valid: true,
        method: "POST",
        path: `/import?strict=${strict ? 1 : 0}${auth.query}`,
        headers: {
          "content-type": "application/json",
          ...auth.headers,
          ...(gzip ? { "content-encoding": "gzip" } : {}),
        },
        body: gzip ? gzipSync(text) : text,
        check: (reply) => {
          const body = parse(reply);
          if (body["num_records_imported"] !== good.length)
            fail(`expected num_records_imported ${good.length}`, reply);
          if (strict && bad.length > 0) importRefused(400)(reply);
          else if (reply.status !== 200 || body["code"] !== 200) fail("expected 200", reply);
        },
      });
    } else {
      // /engage: $add and $union on a few users; the final profiles must hold every one of them.
      const verbose = r.chance(0.5);
      const n = this.serial++;
      const user = `good-user-${n % 5}`;
      this.expectedProfiles.set(user, [...(this.expectedProfiles.get(user) ?? []), n]);
      const update = [
        { $token: P1.token, $distinct_id: user, $add: { count: 1 } },
        { $token: P1.token, $distinct_id: user, $union: { seen: [n] } },
      ];
      this.add({
        kind: "valid engage",
        valid: true,
        ...this.ingest("/engage", this.encode(update), verbose),
        check: ingestAccepted(verbose),
      });
    }
  }

  generate(): void {
    // Each special case once, then random requests until there are enough malformed ones.
    const auth = this.importAuth();
    this.add({
      kind: "import: body over 10 MB",
      valid: false,
      method: "POST",
      path: `/import?strict=1${auth.query}`,
      headers: { "content-type": "application/json", ...auth.headers },
      body: this.bigBody,
      check: importRefused(413),
    });
    this.add({
      kind: "import: gzip bomb over 10 MB decoded",
      valid: false,
      method: "POST",
      path: `/import?strict=1${auth.query}`,
      headers: { "content-type": "application/json", "content-encoding": "gzip", ...auth.headers },
      body: gzipSync(this.bigBody),
      check: importRefused(413),
    });
    this.add({
      kind: "track: body over 10 MB",
      valid: false,
      method: "POST",
      path: "/track?verbose=1",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: Buffer.concat([Buffer.from("data="), this.bigBody]),
      check: importRefused(413),
    });
    while (this.malformedCount < MALFORMED_TARGET) {
      const roll = this.r.next();
      if (roll < 0.15) this.valid();
      else if (roll < 0.55) this.malformedIngest();
      else if (roll < 0.8) this.malformedImport();
      else if (roll < 0.95) this.malformedExport();
      else this.malformedOther();
    }
  }
}

// ---- the run ------------------------------------------------------------------------------------

const seed = fuzzSeed();
const dir = tempDir("fuzz");
let server: RunningServer;
const fuzzer = new Fuzzer(new Random(seed));
const failures: string[] = [];
const statuses = new Map<number, number>();

beforeAll(async () => {
  console.log(`malformed.test.ts: fuzz seed ${seed} (replay with MPKIT_FUZZ_SEED=${seed})`);
  server = await startInProcess(dir.path);
  fuzzer.generate();
  let next = 0;
  const worker = async () => {
    while (next < fuzzer.cases.length) {
      const c = fuzzer.cases[next++] as Case;
      try {
        const reply = await request(server.url + c.path, {
          method: c.method,
          headers: c.headers,
          body: c.body,
        });
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        if (reply.status >= 500) fail("a 5xx", reply);
        c.check(reply);
      } catch (error) {
        failures.push(`${c.kind}: ${c.method} ${c.path.slice(0, 160)}: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}, 150_000);

afterAll(async () => {
  await server?.stop();
  dir.remove();
});

describe(`malformed requests (seed ${seed})`, () => {
  it(`sends at least ${MALFORMED_TARGET} malformed requests, each answered with Mixpanel's error and no 5xx`, () => {
    expect(fuzzer.malformedCount).toBeGreaterThanOrEqual(MALFORMED_TARGET);
    expect(fuzzer.cases.filter((c) => c.valid).length).toBeGreaterThan(50);
    expect(
      failures.slice(0, 20),
      `${failures.length} failures; statuses ${JSON.stringify([...statuses])}`,
    ).toEqual([]);
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
  });

  it("is still up", async () => {
    const res = await request(`${server.url}/healthz`);
    expect(res.status).toBe(200);
  });

  it("stored exactly the valid events, field by field", async () => {
    const lines = await exportEvents(server.url, P1);
    const byId = new Map<string, ExportLine>();
    for (const line of lines) {
      const id = String(line.properties["$insert_id"]);
      expect(byId.has(id), `duplicate ${id}`).toBe(false);
      byId.set(id, line);
    }
    expect([...byId.keys()].sort()).toEqual([...fuzzer.expectedEvents.keys()].sort());
    for (const [id, e] of fuzzer.expectedEvents) {
      const line = byId.get(id);
      expect(line?.event, id).toBe(e.event);
      expect(line?.properties.distinct_id, id).toBe(e.distinctId);
      expect(line?.properties.time, id).toBe(e.timeSec);
      for (const [k, v] of Object.entries(e.props)) expect(line?.properties[k], `${id}.${k}`).toEqual(v);
    }
    // Nothing leaked into another project, whatever the day boundaries.
    const other = await server.context.storage.query(
      sql`SELECT count(*)::INTEGER AS n FROM events WHERE project_id <> ${P1.id}`,
    );
    expect(other[0]?.["n"]).toBe(0);
  });

  it("applied exactly the valid profile updates", async () => {
    const rows = await server.context.storage.query(sql`SELECT group_key, id, properties FROM profiles`);
    const got = new Map(
      rows.map((row) => {
        const p = row["properties"];
        return [
          `${String(row["group_key"])}/${String(row["id"])}`,
          (typeof p === "string" ? JSON.parse(p) : p) as Record<string, unknown>,
        ];
      }),
    );
    expect([...got.keys()].sort()).toEqual([...fuzzer.expectedProfiles.keys()].map((u) => `/${u}`).sort());
    for (const [user, ns] of fuzzer.expectedProfiles) {
      const p = got.get(`/${user}`);
      expect(p?.["count"], user).toBe(ns.length);
      expect(
        [...((p?.["seen"] as number[]) ?? [])].sort((a, b) => a - b),
        user,
      ).toEqual([...ns].sort((a, b) => a - b));
    }
  });
});
