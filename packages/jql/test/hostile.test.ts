import { describe, expect, test } from "vitest";
import {
  createMemorySource,
  type JqlDataSource,
  type JqlEvent,
  JqlMemoryError,
  JqlOutputLimitError,
  JqlRuntimeError,
  JqlSyntaxError,
  JqlTimeoutError,
  runJql,
  toMixpanelErrorBody,
} from "../src/index.js";

const T = Date.UTC(2024, 0, 1);
const few: JqlEvent[] = Array.from({ length: 50 }, (_, i) => ({
  name: `e${i % 3}`,
  distinct_id: `u${i % 4}`,
  time: T + i * 1000,
  properties: { i },
}));
const source = createMemorySource({ events: few });
const EV = 'Events({from_date: "2024-01-01", to_date: "2024-01-02"})';
const fast = { timeoutMs: 5_000, memoryMb: 32 };
const run = (script: string, limits: Record<string, number> = fast, src: JqlDataSource = source) =>
  runJql({ script, source: src, limits });
const fail = async (p: Promise<unknown>): Promise<Error> => {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the query to fail");
};

describe("escape attempts see nothing of the host", () => {
  test("constructor chains, Function, globals and import()", async () => {
    const out = await run(`function main(){
  var probes = {
    viaThis: (function(){ return this.constructor.constructor("return typeof process")(); })(),
    viaEvents: Events.constructor("return typeof require + typeof process")(),
    viaArray: [].constructor.constructor("return typeof globalThis.process")(),
    viaProto: Object.getPrototypeOf(function(){}).constructor("return this")() === globalThis,
    viaReducer: mixpanel.reducer.count().constructor.constructor("return typeof module + typeof Buffer")(),
    globals: ["process", "require", "module", "fetch", "XMLHttpRequest", "setTimeout", "setInterval", "setImmediate", "queueMicrotask", "std", "os", "Deno", "Bun", "WebAssembly", "Worker", "postMessage", "importScripts"].filter(function(g){ return typeof globalThis[g] !== "undefined"; }),
    host: typeof globalThis.__jqlHost,
    imp: (function(){ try { var p = import("node:fs"); return typeof p; } catch (e) { return "threw " + e.name; } })()
  };
  return ${EV}.reduce(mixpanel.reducer.count()).map(function(n){ return probes; });
}`);
    expect(out).toEqual([
      {
        viaThis: "undefined",
        viaEvents: "undefinedundefined",
        viaArray: "undefined",
        viaProto: true,
        viaReducer: "undefinedundefined",
        globals: [],
        host: "undefined",
        // import() only yields a promise; no module loader exists and jobs never run.
        imp: "object",
      },
    ]);
  });

  test("prototype pollution stays in its own sandbox", async () => {
    await run(`Object.prototype.polluted = "yes"; Array.prototype.map = null; JSON.stringify = function(){ return "[666]"; };
function main(){ return ${EV}.reduce(mixpanel.reducer.count()); }`).catch(() => undefined);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(
      await run(
        `function main(){ return ${EV}.map(function(e){ return ({}).polluted === undefined && typeof [].map; }).reduce(mixpanel.reducer.any()); }`,
      ),
    ).toEqual(["function"]);
  });

  test("two concurrent queries only see their own source", async () => {
    const a = createMemorySource({ events: [{ name: "only-a", distinct_id: "x", time: T, properties: {} }] });
    const b = createMemorySource({ events: [{ name: "only-b", distinct_id: "y", time: T, properties: {} }] });
    const script = `var seen = []; function main(){ return ${EV}.map(function(e){ return e.name; }); }`;
    const [ra, rb] = await Promise.all([run(script, fast, a), run(script, fast, b)]);
    expect(ra).toEqual(["only-a"]);
    expect(rb).toEqual(["only-b"]);
  });
});

describe("limits", () => {
  test("an infinite loop in main() times out", async () => {
    const t0 = Date.now();
    const e = await fail(run("function main(){ for(;;){} }", { timeoutMs: 700, memoryMb: 32 }));
    expect(e).toBeInstanceOf(JqlTimeoutError);
    expect(Date.now() - t0).toBeLessThan(4_000);
  });

  test("an infinite loop inside a filter callback times out", async () => {
    const e = await fail(
      run(`function main(){ return ${EV}.filter(function(){ while(true){} }); }`, {
        timeoutMs: 700,
        memoryMb: 32,
      }),
    );
    expect(e).toBeInstanceOf(JqlTimeoutError);
    expect((e as JqlTimeoutError).httpStatus).toBe(412);
  });

  test("a source that never answers times out too", async () => {
    const stuck: JqlDataSource = {
      events: () => ({
        [Symbol.asyncIterator]: () => ({
          next: () => new Promise<IteratorResult<JqlEvent[]>>(() => undefined),
        }),
      }),
      people: () => ({
        [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true as const, value: undefined }) }),
      }),
    };
    const e = await fail(run(`function main(){ return ${EV}; }`, { timeoutMs: 600, memoryMb: 32 }, stuck));
    expect(e).toBeInstanceOf(JqlTimeoutError);
  });

  test("an array memory bomb hits the memory limit", async () => {
    const e = await fail(
      run("function main(){ var a = []; for(;;) a.push(new Array(100000).fill(1)); }", {
        timeoutMs: 5_000,
        memoryMb: 16,
      }),
    );
    expect(e).toBeInstanceOf(JqlMemoryError);
  });

  test("a string-doubling bomb hits the memory limit", async () => {
    // QuickJS builds long concatenations as ropes and caps string length, so this one ends as a
    // runtime error ("string too long") or out of memory: either way contained and reported.
    const e = await fail(
      run('function main(){ var s = "x"; for(;;) s = s + s; }', { timeoutMs: 5_000, memoryMb: 16 }),
    );
    expect(e instanceof JqlMemoryError || e instanceof JqlRuntimeError).toBe(true);
    const m = await fail(
      run("function main(){ var o = {}; for (var i = 0; ; i++) o['k' + i] = 'v' + i; }", {
        timeoutMs: 10_000,
        memoryMb: 16,
      }),
    );
    expect(m).toBeInstanceOf(JqlMemoryError);
  });

  test("a huge output is refused", async () => {
    const e = await fail(
      run(`function main(){ return ${EV}.map(function(e){ return new Array(2000).join("y"); }); }`, {
        timeoutMs: 5_000,
        memoryMb: 32,
        maxOutputBytes: 10_000,
      }),
    );
    expect(e).toBeInstanceOf(JqlOutputLimitError);
  });

  test("unbounded recursion is a runtime error, not a crash", async () => {
    const e = await fail(run("function f(n){ return f(n + 1) + 1; }\nfunction main(){ return f(0); }"));
    expect(e).toBeInstanceOf(JqlRuntimeError);
  });

  test("events stream in batches: counting fits where holding everything does not", async () => {
    const many: JqlEvent[] = Array.from({ length: 120_000 }, (_, i) => ({
      name: "e",
      distinct_id: `u${i % 100}`,
      time: T + i,
      properties: { pad: "p".repeat(60), i },
    }));
    const big = createMemorySource({ events: many, batchSize: 10_000 });
    const limits = { timeoutMs: 30_000, memoryMb: 16, batchSize: 2_000 };
    expect(
      await runJql({
        script: `function main(){ return ${EV}.reduce(mixpanel.reducer.count()); }`,
        source: big,
        limits,
      }),
    ).toEqual([120_000]);
    const e = await fail(
      runJql({
        script: `function main(){ return ${EV}.sortAsc("time").reduce(mixpanel.reducer.count()); }`,
        source: big,
        limits,
      }),
    );
    expect(e).toBeInstanceOf(JqlMemoryError);
  }, 60_000);

  test("the host keeps working after hostile scripts", async () => {
    expect(await run(`function main(){ return ${EV}.reduce(mixpanel.reducer.count()); }`)).toEqual([50]);
  });

  test("abort signal stops a query", async () => {
    const ac = new AbortController();
    const p = runJql({ script: "function main(){ for(;;){} }", source, limits: fast, signal: ac.signal });
    setTimeout(() => ac.abort(new Error("client went away")), 200);
    expect((await fail(p)).message).toBe("client went away");
  });
});

describe("errors in Mixpanel's shape", () => {
  test("syntax error: 400 with the line", async () => {
    const e = await fail(run("function main() {\n  return 1 +;\n}"));
    expect(e).toBeInstanceOf(JqlSyntaxError);
    const s = e as JqlSyntaxError;
    expect(s.httpStatus).toBe(400);
    expect(s.position?.line).toBe(2);
    expect(s.mixpanelError).toMatch(/^SyntaxError: /);
  });

  test("uncaught exception: 412 with line, caret and stack", async () => {
    // QuickJS reports a failed call at the line where the call expression starts, so the
    // chain is written on one line here (V8 would point at the `.limit` line of a split chain).
    const script = `function main() {\n  var c = ${EV};\n  var g = c.groupBy(["name"], mixpanel.reducer.count());\n  return g.limit(10);\n}`;
    const e = await fail(run(script));
    expect(e).toBeInstanceOf(JqlRuntimeError);
    const r = e as JqlRuntimeError;
    expect(r.httpStatus).toBe(412);
    expect(r.errorName).toBe("TypeError");
    expect(r.line).toBe(4);
    const body = toMixpanelErrorBody(r, "/api/query/jql?project_id=1");
    expect(body.request).toBe("/api/query/jql?project_id=1");
    expect(body.error).toMatch(/^UserVisiblePreconditionFailedError: Uncaught exception TypeError: /);
    expect(body.error).toContain("  return g.limit(10);\n");
    expect(body.error).toMatch(/\n *\^\n\nStack trace:\nTypeError: .*\n {4}at main \(<anonymous>:4:\d+\)\n/);
  });

  test("an exception inside a callback reports the callback's line", async () => {
    const e = await fail(
      run(
        `function main() {\n  return ${EV}.map(function(e) {\n    return e.properties.missing.deeper;\n  });\n}`,
      ),
    );
    expect((e as JqlRuntimeError).line).toBe(3);
  });

  test("thrown non-errors and custom errors", async () => {
    const e = await fail(run('function main(){ throw "plain string"; }'));
    expect((e as JqlRuntimeError).message).toBe("plain string");
    const f = await fail(run('function main(){ throw new RangeError("custom"); }'));
    expect((f as JqlRuntimeError).errorName).toBe("RangeError");
  });

  test("main() is required and must return a collection", async () => {
    expect(await fail(run("var x = 1;"))).toBeInstanceOf(JqlRuntimeError);
    expect((await fail(run("function main(){ return [1, 2]; }"))).message).toMatch(/collection/);
  });

  test("Mixpanel's chain rules are enforced", async () => {
    const e = await fail(
      run(
        `function main(){ return ${EV}.map(function(e){ return e; }).groupByUser(mixpanel.reducer.count()); }`,
      ),
    );
    expect(e.message).toMatch(/groupByUser/);
    const j = await fail(
      run(`function main(){ return join(${EV}.filter(function(){ return true; }), People()); }`),
    );
    expect(j.message).toMatch(/join/);
    const d = await fail(
      run('function main(){ return Events({from_date: "2024-1-1", to_date: "2024-01-02"}); }'),
    );
    expect(d.message).toMatch(/from_date/);
    const bad = await fail(
      run('function main(){ return Events({from_date: "2024-02-30", to_date: "2024-03-01"}); }'),
    );
    expect(bad).toBeInstanceOf(JqlRuntimeError);
    const withUser: JqlDataSource = createMemorySource({ people: [{ distinct_id: "p", properties: {} }] });
    const k = await fail(
      run(
        "function main(){ return People().groupBy([function(u){ return {}; }], mixpanel.reducer.count()); }",
        fast,
        withUser,
      ),
    );
    expect(k.message).toMatch(/scalar/);
  });
});
