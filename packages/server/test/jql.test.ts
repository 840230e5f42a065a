import { DuckDbStorage } from "@mpkit/storage-duckdb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MpkitServer, startServer } from "../src/index.js";
import { b64, basic, memoryServer, OWNER, testConfig } from "./support/fixtures.js";

/**
 * JQL over HTTP against real storage (DuckDB :memory:). Expected values are computed here from the
 * imported fixture, never by the JQL runtime.
 */

let server: MpkitServer;
const T0 = Date.UTC(2024, 0, 10, 12); // 2024-01-10 12:00 UTC

type Ev = { event: string; properties: Record<string, unknown> };
const P1: Ev[] = [];
const names = ["view", "signup", "purchase"];
for (let i = 0; i < 60; i++) {
  P1.push({
    event: names[i % 3] as string,
    properties: {
      time: T0 + i * 3_600_000,
      distinct_id: `u${i % 5}`,
      $insert_id: `p1-${i}`,
      amount: i % 3 === 2 ? i : undefined,
      plan: i % 2 === 0 ? "pro" : "free",
      n: i,
    },
  });
}
// Anonymous events merged into "u0" later: JQL must see the resolved identity.
P1.push({ event: "view", properties: { time: T0 - 3_600_000, $device_id: "dev9", $insert_id: "p1-anon" } });
P1.push({
  event: "login",
  properties: { time: T0 - 1_800_000, $device_id: "dev9", $user_id: "u0", $insert_id: "p1-login" },
});
// Project 2 has the same event names and ids: isolation must hold on them.
const P2: Ev[] = [0, 1, 2].map((i) => ({
  event: "view",
  properties: { time: T0 + i * 1000, distinct_id: `u${i}`, $insert_id: `p2-${i}`, secret: "project-2" },
}));

async function importTo(projectId: number, events: Ev[]) {
  const res = await server.app.request(`/import?strict=1&project_id=${projectId}`, {
    method: "POST",
    headers: { authorization: OWNER, "content-type": "application/json" },
    body: JSON.stringify(events),
  });
  expect(res.status, await res.text()).toBe(200);
}

async function engage(records: unknown[]) {
  const res = await server.app.request(`/engage?verbose=1&data=${encodeURIComponent(b64(records))}`);
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  server = await memoryServer({ limits: { jql: { timeoutMs: 4_000, memoryMb: 48 } } });
  await importTo(1, P1);
  await importTo(2, P2);
  await engage([
    { $token: "tok_demo", $distinct_id: "u0", $set: { plan: "pro", age: 30 } },
    { $token: "tok_demo", $distinct_id: "u1", $set: { plan: "free", age: 40 } },
    { $token: "tok_demo", $distinct_id: "u2", $set: { plan: "pro", age: 50 } },
  ]);
  await engage([{ $token: "tok_legacy", $distinct_id: "u0", $set: { plan: "secret-2" } }]);
});
afterAll(async () => {
  await server.close();
});

async function jql(
  script: string,
  opts: { params?: unknown; project?: number; auth?: string; path?: string } = {},
): Promise<{ status: number; body: unknown }> {
  const form = new URLSearchParams({ script });
  if (opts.params !== undefined) form.set("params", JSON.stringify(opts.params));
  const res = await server.app.request(`${opts.path ?? "/api/query/jql"}?project_id=${opts.project ?? 1}`, {
    method: "POST",
    headers: {
      authorization: opts.auth ?? OWNER,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: form.toString(),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) };
}

const RANGE = 'from_date: "2024-01-09", to_date: "2024-01-13"';
/** Resolved id of a fixture event (u0 cluster includes the device). */
const resolved = (e: Ev): string =>
  (e.properties["distinct_id"] as string | undefined) ??
  (e.properties["$user_id"] as string | undefined) ??
  "u0";
const countBy = (xs: Ev[], key: (e: Ev) => string) => {
  const m = new Map<string, number>();
  for (const e of xs) m.set(key(e), (m.get(key(e)) ?? 0) + 1);
  return [...m].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => ({ key: [k], value: v }));
};

describe("POST /api/query/jql and /api/2.0/jql", () => {
  it("runs Events().groupBy(name, count) on both paths", async () => {
    const script = `function main(){ return Events({${RANGE}}).groupBy(["name"], mixpanel.reducer.count()); }`;
    const expected = countBy(P1, (e) => e.event);
    for (const path of ["/api/query/jql", "/api/2.0/jql"]) {
      const r = await jql(script, { path });
      expect(r.status).toBe(200);
      expect(r.body).toEqual(expected);
    }
  });

  it("gives events Mixpanel's shape with the resolved identity, time in project time", async () => {
    const r = await jql(
      `function main(){ return Events({${RANGE}}).filter(function(e){ return e.name == "view" || e.name == "login"; }); }`,
    );
    expect(r.status).toBe(200);
    const got = r.body as Record<string, unknown>[];
    const want = P1.filter((e) => e.event === "view" || e.event === "login").sort(
      (a, b) => (a.properties["time"] as number) - (b.properties["time"] as number),
    );
    expect(got.map((e) => [e["name"], e["distinct_id"], e["time"]])).toEqual(
      want.map((e) => [e.event, resolved(e), e.properties["time"]]),
    );
    const first = got[0] as Record<string, unknown>;
    expect(Object.keys(first).sort()).toEqual([
      "distinct_id",
      "name",
      "properties",
      "sampling_factor",
      "time",
    ]);
    expect(first["sampling_factor"]).toBe(1);
    expect((first["properties"] as Record<string, unknown>)["$device_id"]).toBe("dev9");
  });

  it("shifts time into the project's zone (project 2 is America/Los_Angeles)", async () => {
    const r = await jql(
      `function main(){ return Events({from_date: "2024-01-10", to_date: "2024-01-10"}).map(function(e){ return [e.time, new Date(e.time).getHours()]; }); }`,
      { project: 2 },
    );
    expect(r.status).toBe(200);
    // 12:00 UTC is 04:00 in Los Angeles (UTC-8 in January).
    expect(r.body).toEqual(P2.map((e) => [(e.properties["time"] as number) - 8 * 3_600_000, 4]));
  });

  it("pushes event selectors (expression language) and params", async () => {
    const r = await jql(
      `function main(){ return Events({${RANGE}, event_selectors: [{event: "purchase", selector: 'properties["amount"] > ' + params.min}, {event: "signup", selector: 'properties["plan"] == "pro"'}]})
         .groupBy(["name", "distinct_id"], mixpanel.reducer.count()); }`,
      { params: { min: 30 } },
    );
    expect(r.status).toBe(200);
    const kept = P1.filter(
      (e) =>
        (e.event === "purchase" && (e.properties["amount"] as number) > 30) ||
        (e.event === "signup" && e.properties["plan"] === "pro"),
    );
    const m = new Map<string, { key: string[]; value: number }>();
    for (const e of kept) {
      const key = [e.event, resolved(e)];
      const id = key.join("\u0000");
      const g = m.get(id) ?? { key, value: 0 };
      g.value++;
      m.set(id, g);
    }
    expect(r.body).toEqual(
      [...m.values()].sort((a, b) => (a.key.join("\u0000") < b.key.join("\u0000") ? -1 : 1)),
    );
  });

  it("computes property reducers (sum/avg/min/max/numeric_summary) like the sandbox", async () => {
    const r = await jql(`function main(){ return Events({${RANGE}, event_selectors: [{event: "purchase"}]})
      .groupBy(["properties.plan"], [mixpanel.reducer.sum("properties.amount"), mixpanel.reducer.avg("properties.amount"),
        mixpanel.reducer.min("properties.amount"), mixpanel.reducer.max("properties.amount"), mixpanel.reducer.count()]); }`);
    expect(r.status).toBe(200);
    const purchases = P1.filter((e) => e.event === "purchase");
    const rows = ["free", "pro"].map((plan) => {
      const xs = purchases
        .filter((e) => e.properties["plan"] === plan)
        .map((e) => e.properties["amount"] as number);
      const sum = xs.reduce((a, b) => a + b, 0);
      return { key: [plan], value: [sum, sum / xs.length, Math.min(...xs), Math.max(...xs), xs.length] };
    });
    expect(r.body).toEqual(rows);
  });

  it("reads People() with user_selectors and join() with selectors", async () => {
    const people = await jql(
      `function main(){ return People({user_selectors: [{selector: 'user["plan"] == "pro"'}]}).map(function(u){ return [u.distinct_id, u.properties.age]; }); }`,
    );
    expect(people.status).toBe(200);
    expect(people.body).toEqual([
      ["u0", 30],
      ["u2", 50],
    ]);
    const joined = await jql(
      `function main(){ return join(Events({${RANGE}, event_selectors: [{event: "signup"}]}), People(), {type: "inner", selectors: [{selector: 'user["age"] >= 40 and properties["plan"] == "free"'}]})
        .groupBy(["user.distinct_id"], mixpanel.reducer.count()); }`,
    );
    expect(joined.status).toBe(200);
    const age: Record<string, number> = { u0: 30, u1: 40, u2: 50 };
    expect(joined.body).toEqual(
      countBy(
        P1.filter(
          (e) => e.event === "signup" && (age[resolved(e)] ?? 0) >= 40 && e.properties["plan"] === "free",
        ),
        resolved,
      ),
    );
  });

  it("groupByUser sees each user's events in time order (funnel-style script)", async () => {
    // Counts users who did view -> signup -> purchase in that order.
    const script = `function main(){
      return Events({${RANGE}})
        .groupByUser(function(state, events){
          state = state || {step: 0};
          var order = ["view", "signup", "purchase"];
          _.each(events, function(e){ if (state.step < 3 && e.name == order[state.step]) state.step++; });
          return state;
        })
        .map(function(r){ return r.value.step; })
        .groupBy([function(s){ return s; }], mixpanel.reducer.count());
    }`;
    const r = await jql(script);
    expect(r.status).toBe(200);
    const byUser = new Map<string, Ev[]>();
    for (const e of [...P1].sort(
      (a, b) => (a.properties["time"] as number) - (b.properties["time"] as number),
    )) {
      const list = byUser.get(resolved(e)) ?? [];
      list.push(e);
      byUser.set(resolved(e), list);
    }
    const steps = new Map<number, number>();
    for (const evs of byUser.values()) {
      let step = 0;
      const order = ["view", "signup", "purchase"];
      for (const e of evs) if (step < 3 && e.event === order[step]) step++;
      steps.set(step, (steps.get(step) ?? 0) + 1);
    }
    expect(r.body).toEqual([...steps].sort(([a], [b]) => a - b).map(([k, v]) => ({ key: [k], value: v })));
  });
});

describe("isolation and auth", () => {
  it("never shows another project's events or profiles", async () => {
    const ev = await jql(`function main(){ return Events({${RANGE}}); }`, { project: 2 });
    expect(ev.status).toBe(200);
    expect((ev.body as { properties: Record<string, unknown> }[]).map((e) => e.properties["secret"])).toEqual(
      ["project-2", "project-2", "project-2"],
    );
    const p1 = await jql(`function main(){ return Events({${RANGE}}).reduce(mixpanel.reducer.count()); }`);
    expect(p1.body).toEqual([P1.length]);
    const people2 = await jql(`function main(){ return People(); }`, { project: 2 });
    expect(
      (people2.body as { properties: Record<string, unknown> }[]).map((u) => u.properties["plan"]),
    ).toEqual(["secret-2"]);
    const people1 = await jql(
      `function main(){ return People().groupBy(["properties.plan"], mixpanel.reducer.count()); }`,
    );
    expect(people1.body).toEqual([
      { key: ["free"], value: 1 },
      { key: ["pro"], value: 2 },
    ]);
  });

  it("requires a reader with access to the project", async () => {
    const analyst = basic("sa.analyst", "analyst-secret");
    expect((await jql("function main(){ return People(); }", { auth: analyst })).status).toBe(200);
    const other = await jql("function main(){ return People(); }", { auth: analyst, project: 2 });
    expect(other.status).toBe(403);
    const consumer = await jql("function main(){ return People(); }", {
      auth: basic("sa.consumer", "consumer-secret"),
    });
    expect(consumer.status).toBe(403);
    const token = await jql("function main(){ return People(); }", { auth: basic("tok_demo") });
    expect(token.status).toBe(401);
  });
});

describe("errors in Mixpanel's shape (reference 5.5)", () => {
  it("412 with the uncaught exception, the line, a caret and the stack trace", async () => {
    const script = [
      "function main() {",
      `  return Events({${RANGE}})`,
      '    .groupBy(["name"], mixpanel.reducer.count())',
      "    .limit(10);",
      "}",
    ].join("\n");
    const r = await jql(script);
    expect(r.status).toBe(412);
    const body = r.body as { request: string; error: string };
    expect(body.request).toBe("/api/query/jql?project_id=1");
    expect(body.error).toMatch(
      /^UserVisiblePreconditionFailedError: Uncaught exception TypeError: [^\n]+\n[^\n]*\n *\^\n\nStack trace:\nTypeError: [^\n]+\n {4}at main \(<anonymous>:\d+:\d+\)\n/,
    );
    const thrown = await jql('function main() {\n  throw new Error("boom");\n}');
    expect(thrown.status).toBe(412);
    expect((thrown.body as { error: string }).error).toMatch(
      /^UserVisiblePreconditionFailedError: Uncaught exception Error: boom\n {2}throw new Error\("boom"\);\n *\^\n\nStack trace:\nError: boom\n {4}at main \(<anonymous>:2:\d+\)\n$/,
    );
  });

  it("400 for a syntax error, a bad selector; an error for a missing script", async () => {
    const syntax = await jql("function main( {\n  return 1;\n}");
    expect(syntax.status).toBe(400);
    expect((syntax.body as { error: string }).error).toMatch(/^SyntaxError: .*\(line \d+\)/);
    const selector = await jql(
      `function main(){ return Events({${RANGE}, event_selectors: [{selector: 'properties["a"] =='}]}); }`,
    );
    expect(selector.status).toBe(400);
    expect((selector.body as { error: string }).error).toMatch(/invalid selector/);
    const missing = await jql("");
    expect(missing.status).toBe(412);
    expect((missing.body as { error: string }).error).toContain("Missing required parameter: script");
  });

  it("a timeout and a memory bomb answer 412 and the server keeps serving", async () => {
    const started = Date.now();
    const loop = await jql("function main(){ for(;;){} }");
    expect(loop.status).toBe(412);
    expect((loop.body as { error: string }).error).toBe(
      "UserVisiblePreconditionFailedError: Query exceeded the time limit of 4000 ms",
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    const bomb = await jql(
      "function main(){ var a = []; for(;;) a.push(new Array(100000).join('x') + a.length); }",
    );
    expect(bomb.status).toBe(412);
    expect((bomb.body as { error: string }).error).toBe(
      "UserVisiblePreconditionFailedError: Query exceeded the memory limit of 48 MB",
    );
    const after = await jql(`function main(){ return Events({${RANGE}}).reduce(mixpanel.reducer.count()); }`);
    expect(after).toEqual({ status: 200, body: [P1.length] });
  }, 30_000);

  it("429 beyond the concurrent query limit of a project", async () => {
    const tight = await memoryServer({
      limits: { jql: { timeoutMs: 1_500, maxConcurrentPerProject: 1 } },
    });
    try {
      const call = () =>
        tight.app.request("/api/query/jql?project_id=1", {
          method: "POST",
          headers: { authorization: OWNER, "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ script: "function main(){ for(;;){} }" }).toString(),
        });
      const [a, b] = await Promise.all([call(), call()]);
      expect([a.status, b.status].sort()).toEqual([412, 429]);
      const limited = a.status === 429 ? a : b;
      expect(((await limited.json()) as { error: string }).error).toMatch(
        /^Query rate limit exceeded for project_id: 1\. 1\/1 queries running concurrently/,
      );
    } finally {
      await tight.close();
    }
  }, 15_000);
});

describe("over a real HTTP connection", () => {
  it("answers a form POST, survives a client that hangs up mid-query, keeps serving", async () => {
    const live = await startServer({
      port: 0,
      config: testConfig,
      storage: await DuckDbStorage.open(),
      limits: { jql: { timeoutMs: 20_000, maxConcurrentPerProject: 1 } },
    });
    try {
      const post = (script: string, signal?: AbortSignal) =>
        fetch(`${live.url}/api/2.0/jql?project_id=1`, {
          method: "POST",
          headers: { authorization: OWNER, "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ script, params: JSON.stringify({ n: 3 }) }).toString(),
          ...(signal ? { signal } : {}),
        });
      const ok = await post(
        "function main(){ return People().reduce(mixpanel.reducer.count()).map(function(n){ return n + params.n * 2; }); }",
      );
      expect(ok.status, await ok.clone().text()).toBe(200);
      expect(ok.headers.get("content-type")).toMatch(/application\/json/);
      expect(await ok.json()).toEqual([6]);
      // A script that would run for 20 s: the client gives up after 300 ms. The query must be
      // stopped (its slot freed: the limit here is 1 per project) well before its timeout.
      const gone = new AbortController();
      const hang = post("function main(){ for(;;){} }", gone.signal).catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 300));
      gone.abort();
      await hang;
      const deadline = Date.now() + 5_000;
      let next: Response | undefined;
      while (Date.now() < deadline) {
        next = await post("function main(){ return People().reduce(mixpanel.reducer.count()); }");
        if (next.status !== 429) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(next?.status).toBe(200);
    } finally {
      await live.stop();
    }
  }, 30_000);
});
