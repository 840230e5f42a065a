import {
  type JqlError,
  JqlInternalError,
  JqlMemoryError,
  JqlOutputLimitError,
  JqlRuntimeError,
  type JqlSourcePosition,
  JqlSyntaxError,
  JqlTimeoutError,
} from "./errors.js";
import { feed, PlanError, toPlan } from "./feed.js";
import { runtimeSource } from "./runtime/bundle.js";
import { type HostEvent, quickjsEngine, SandboxWorker } from "./sandbox/host.js";
import { type JqlLimits, resolveLimits } from "./sandbox/limits.js";
import type { FromWorker } from "./sandbox/protocol.js";
import type { JqlDataSource, JqlGroupRow, JqlGroupStagePlan, JqlPlan } from "./source.js";
import { assertTimeZone } from "./time.js";

/** Everything one JQL query needs. */
export interface RunJqlOptions {
  /** The script; it must define `main()` (JQL reference). */
  readonly script: string;
  /**
   * The `params` global: a value, or the raw JSON string of the HTTP form field. Absent means `{}`.
   */
  readonly params?: unknown;
  /** The project's data. Only this source is ever read: a script cannot reach another project. */
  readonly source: JqlDataSource;
  readonly limits?: JqlLimits;
  /** The project's IANA time zone (event `time` values are shifted into it). Default `UTC`. */
  readonly timezone?: string;
  /** Aborts the query (e.g. the client went away); rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called with the plan once `main()` has built it, before data is read (for logging and tests). */
  readonly onPlan?: (plan: JqlPlan) => void;
}

const STACK_BYTES = 512 * 1024;

function positionIn(
  script: string,
  stack: string,
  fallback?: { line: number; column: number },
): JqlSourcePosition | undefined {
  // QuickJS frames read "    at main (<anonymous>:3:15)" or "    at <anonymous>:2:13".
  const m = /<anonymous>:(\d+)(?::(\d+))?/.exec(stack);
  const line = m ? Number(m[1]) : fallback?.line;
  if (line === undefined) return undefined;
  const column = m ? Number(m[2] ?? 1) : (fallback?.column ?? 1);
  return { line, column, sourceLine: script.split("\n")[line - 1] ?? "" };
}

/** Only the script's own frames: the runtime's internals are not the user's business. */
function scriptFrames(stack: string): string {
  return stack
    .split("\n")
    .filter((l) => l.includes("<anonymous>"))
    .map((l) => `${l.replace(/^\s*/, "    ")}\n`)
    .join("");
}

function toError(
  m: FromWorker & { t: "error" },
  script: string,
  limits: ReturnType<typeof resolveLimits>,
): JqlError {
  switch (m.kind) {
    case "syntax":
      return new JqlSyntaxError(m.message, positionIn(script, m.stack));
    case "runtime":
      return new JqlRuntimeError(m.name, m.message, positionIn(script, m.stack), scriptFrames(m.stack));
    case "timeout":
      return new JqlTimeoutError(limits.timeoutMs);
    case "memory":
      return new JqlMemoryError(limits.memoryMb);
    case "output":
      return new JqlOutputLimitError(limits.maxOutputBytes);
    default:
      return new JqlInternalError(m.message);
  }
}

function paramsJson(params: unknown): string {
  if (params === undefined || params === null || params === "") return "{}";
  if (typeof params === "string") {
    try {
      JSON.parse(params);
    } catch {
      throw new JqlRuntimeError("SyntaxError", "params is not valid JSON", undefined, "");
    }
    return params;
  }
  const s = JSON.stringify(params);
  if (s === undefined)
    throw new JqlRuntimeError("TypeError", "params must be JSON-serializable", undefined, "");
  return s;
}

/** A leading groupBy whose keys and reducers are all declarative can be computed by the source. */
function pushableGroupBy(plan: JqlPlan): (JqlGroupStagePlan & { op: "groupBy" }) | undefined {
  const first = plan.stages[0];
  if (first?.op !== "groupBy" || plan.source.kind === "join") return undefined;
  const declarative = (a: unknown): boolean => JSON.stringify(a).indexOf('"kind":"function"') < 0;
  return declarative(first.keys) && declarative(first.reducers) ? first : undefined;
}

function* chunkRows(rows: readonly JqlGroupRow[], size: number): Generator<string> {
  for (let i = 0; i < rows.length; i += size) yield JSON.stringify(rows.slice(i, i + size));
}

/**
 * Runs a JQL script and returns its result as JSON text, exactly as Mixpanel's endpoint body
 * (an array). Use this in the HTTP layer to avoid parsing and re-serializing the result.
 *
 * @example
 * ```ts
 * const body = await runJqlToJson({ script, params: req.body.params, source, timezone: "Europe/Paris" });
 * res.type("json").send(body);
 * ```
 */
export async function runJqlToJson(options: RunJqlOptions): Promise<string> {
  const limits = resolveLimits(options.limits);
  const timezone = options.timezone ?? "UTC";
  assertTimeZone(timezone);
  if (typeof options.script !== "string" || options.script.trim() === "")
    throw new JqlRuntimeError("Error", "Missing required parameter: script", undefined, "");
  const started = Date.now();
  const engine = quickjsEngine();
  const worker = new SandboxWorker(
    {
      quickjsPath: engine.path,
      wasmModule: engine.module,
      // The hard bound: QuickJS's own accounting undercounts in this WASM build
      // (malloc_usable_size is unavailable), so the memory itself is capped at the limit.
      wasmMaxBytes: limits.memoryMb * 1024 * 1024,
      runtime: runtimeSource(),
      script: options.script,
      paramsJson: paramsJson(options.params),
      memoryBytes: limits.memoryMb * 1024 * 1024,
      stackBytes: STACK_BYTES,
      deadline: started + limits.timeoutMs,
      maxOutputBytes: limits.maxOutputBytes,
    },
    // Room for a few copies of the largest allowed result plus the batches in flight.
    Math.max(64, Math.ceil((limits.maxOutputBytes * 3) / (1024 * 1024)) + 32),
  );

  let feeder: AsyncGenerator<string> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  // Resolves when the query must stop from outside: timeout or abort.
  const stop = new Promise<Error>((resolve) => {
    timer = setTimeout(() => resolve(new JqlTimeoutError(limits.timeoutMs)), limits.timeoutMs);
    if (options.signal) {
      onAbort = () =>
        resolve(options.signal?.reason instanceof Error ? options.signal.reason : new Error("aborted"));
      if (options.signal.aborted) onAbort();
      else options.signal.addEventListener("abort", onAbort, { once: true });
    }
  });
  const race = async <T>(p: Promise<T>): Promise<T> => {
    const r = await Promise.race([p.then((v) => ({ v })), stop.then((e) => ({ e }))]);
    if ("e" in r) throw r.e;
    return r.v;
  };
  const expect = async (): Promise<FromWorker> => {
    const e: HostEvent = await race(worker.next());
    if (e.t === "exit") {
      if (e.reason === "oom") throw new JqlMemoryError(limits.memoryMb);
      throw new JqlInternalError(e.message);
    }
    if (e.t === "error") throw toError(e, options.script, limits);
    return e;
  };

  try {
    const first = await expect();
    if (first.t !== "plan") throw new JqlInternalError(`unexpected sandbox message ${first.t}`);
    let plan: JqlPlan;
    try {
      plan = toPlan(first.plan, timezone);
    } catch (e) {
      if (e instanceof PlanError) throw new JqlRuntimeError("Error", e.message, undefined, "");
      throw e;
    }
    options.onPlan?.(plan);

    // Pushdown: a SQL source may compute a leading groupBy itself (see JqlDataSource.aggregate).
    let skip = 0;
    const stage = pushableGroupBy(plan);
    if (
      stage &&
      options.source.aggregate &&
      (plan.source.kind === "events" || plan.source.kind === "people")
    ) {
      const rows = await race(options.source.aggregate({ source: plan.source, stage, timezone }));
      if (rows) {
        skip = 1;
        feeder = (async function* () {
          yield* chunkRows(rows, limits.batchSize);
        })();
      }
    }
    if (!feeder) {
      try {
        feeder = feed(plan, options.source, timezone, limits.batchSize);
      } catch (e) {
        if (e instanceof PlanError) throw new JqlRuntimeError("Error", e.message, undefined, "");
        throw e;
      }
    }
    worker.send({ t: "start", skip });
    const pump = feeder;
    // Prefetch one batch while the sandbox works on the previous one.
    const pull = () =>
      pump.next().catch((e: unknown) => {
        throw e instanceof PlanError ? new JqlRuntimeError("Error", e.message, undefined, "") : e;
      });
    // A rejection is observed when the batch is awaited; never let it go unhandled meanwhile.
    let pending = pull();
    pending.catch(() => undefined);
    for (;;) {
      const m = await expect();
      if (m.t === "result") return m.json;
      if (m.t !== "pull") throw new JqlInternalError(`unexpected sandbox message ${m.t}`);
      const next = await race(pending);
      if (next.done) worker.send({ t: "end" });
      else {
        worker.send({ t: "batch", json: next.value });
        pending = pull();
        pending.catch(() => undefined);
      }
    }
  } finally {
    if (timer) clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener("abort", onAbort);
    await worker.kill();
    // Let the source release cursors/connections.
    feeder?.return(undefined).catch(() => undefined);
  }
}

/**
 * Runs a JQL script in a fresh sandbox and returns its result: an array of plain values or of
 * `{key, value}` rows, as Mixpanel returns it.
 *
 * @example
 * ```ts
 * const result = await runJql({
 *   script: `function main() {
 *     return Events({from_date: "2024-01-01", to_date: "2024-01-31"})
 *       .groupBy(["name"], mixpanel.reducer.count());
 *   }`,
 *   source,
 *   limits: { timeoutMs: 120_000, memoryMb: 256, maxOutputBytes: 64 << 20 },
 *   timezone: "America/Los_Angeles",
 * }); // [{ key: ["signup"], value: 12 }, ...]
 * ```
 */
export async function runJql(options: RunJqlOptions): Promise<unknown> {
  return JSON.parse(await runJqlToJson(options));
}
