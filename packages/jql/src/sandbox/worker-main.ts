import type { QuickJSContext, QuickJSHandle } from "quickjs-emscripten";
import type { ErrorKind, FromWorker, ToWorker, WorkerInit } from "./protocol.js";

type Require = (id: string) => unknown;
type WorkerThreads = {
  workerData: unknown;
  parentPort: { postMessage(m: FromWorker): void; on(ev: "message", cb: (m: ToWorker) => void): void } | null;
};
type EmscriptenModule = {
  HEAPU8?: Uint8Array;
  stringToUTF8?: unknown;
  lengthBytesUTF8?: unknown;
};

/**
 * The worker's program, stringified into `new Worker(code, { eval: true })` so it runs the same
 * from `src` (vitest) and `dist`. It must be self-contained: only its parameters and globals.
 * The worker is single-use: one query, then the host terminates it (which also releases the WASM
 * memory QuickJS grew, since WASM memory never shrinks).
 */
export async function workerMain(require: Require, wt: WorkerThreads): Promise<void> {
  const init = wt.workerData as WorkerInit;
  const port = wt.parentPort;
  if (!port) return;
  const send = (m: FromWorker) => port.postMessage(m);

  // JQL times are project-time milliseconds meant to be read with UTC semantics; Mixpanel's
  // servers run in UTC, so `new Date(e.time).getHours()` gives the project's hour. QuickJS reads
  // the local zone through the host's Date (emscripten's localtime), so make this worker's Date
  // local methods UTC. This worker's globals are its own: the server's clock is untouched.
  const dp = Date.prototype as unknown as Record<string, unknown>;
  for (const k of ["FullYear", "Month", "Date", "Day", "Hours", "Minutes", "Seconds", "Milliseconds"]) {
    dp[`get${k}`] = dp[`getUTC${k}`];
  }
  dp["getTimezoneOffset"] = () => 0;

  const qjs = require(init.quickjsPath) as typeof import("quickjs-emscripten");
  // WASM memory never shrinks and QuickJS's own limit only counts its heap, so the memory itself
  // gets a maximum: this is the hard bound of the sandbox (its pages are freed with the worker).
  const PAGE = 65536;
  const maxPages = Math.ceil(init.wasmMaxBytes / PAGE);
  const wasmMemory = new WebAssembly.Memory({ initial: Math.min(256, maxPages), maximum: maxPages });
  const QuickJS = await qjs.newQuickJSWASMModuleFromVariant(
    qjs.newVariant(qjs.RELEASE_SYNC, { wasmModule: init.wasmModule, wasmMemory }),
  );

  // quickjs-emscripten copies every string into WASM with emscripten's per-character JS loop
  // (~27 ms per MB); TextEncoder does the same copy natively. Same bytes, ~10x faster, so event
  // batches are cheap to hand over. Skipped silently if the module layout ever changes.
  const mod = (QuickJS as unknown as { module?: EmscriptenModule }).module;
  if (
    mod &&
    mod.HEAPU8 instanceof Uint8Array &&
    typeof mod.stringToUTF8 === "function" &&
    typeof mod.lengthBytesUTF8 === "function"
  ) {
    const enc = new TextEncoder();
    const m = mod as Required<EmscriptenModule>;
    m.lengthBytesUTF8 = (s: string) => Buffer.byteLength(s, "utf8");
    m.stringToUTF8 = (s: string, ptr: number, max: number) => {
      // HEAPU8 is re-read on each call: it is replaced whenever WASM memory grows.
      const heap = (mod as Required<EmscriptenModule>).HEAPU8;
      const r = enc.encodeInto(s, heap.subarray(ptr, ptr + max - 1));
      heap[ptr + r.written] = 0;
      return r.written;
    };
  }

  const rt = QuickJS.newRuntime();
  rt.setMemoryLimit(init.memoryBytes);
  rt.setMaxStackSize(init.stackBytes);
  let timedOut = false;
  rt.setInterruptHandler(() => {
    if (Date.now() > init.deadline) timedOut = true;
    return timedOut;
  });
  const ctx: QuickJSContext = rt.newContext();

  const fail = (kind: ErrorKind, name: string, message: string, stack = "") =>
    send({ t: "error", kind, name, message, stack });

  let describe: QuickJSHandle | undefined;
  const report = (error: QuickJSHandle, phase: "compile" | "run") => {
    if (timedOut) return fail("timeout", "InternalError", "interrupted");
    let d: { name: string; message: string; stack: string } = {
      name: "Error",
      message: "uncaught exception",
      stack: "",
    };
    try {
      if (describe) {
        const r = ctx.callFunction(describe, ctx.undefined, error);
        if (r.error) r.error.dispose();
        else {
          d = JSON.parse(ctx.getString(r.value));
          r.value.dispose();
        }
      }
    } catch (_e) {
      // Describing failed (out of memory, interrupted): keep the generic description.
    }
    if (timedOut) return fail("timeout", "InternalError", "interrupted");
    if (d.name === "InternalError" && /out of memory/.test(d.message))
      return fail("memory", d.name, d.message);
    if (d.name === "InternalError" && d.message === "interrupted") return fail("timeout", d.name, d.message);
    if (phase === "compile" && d.name === "SyntaxError") return fail("syntax", d.name, d.message, d.stack);
    return fail("runtime", d.name, d.message, d.stack);
  };
  // A trap in the WASM engine or an allocation failure outside the interpreter's own checks.
  const hostFailure = (e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    if (timedOut) return fail("timeout", "InternalError", "interrupted");
    if (/memory|alloc/i.test(msg)) return fail("memory", "InternalError", msg);
    if (/stack/i.test(msg)) return fail("runtime", "RangeError", "Maximum call stack size exceeded");
    return fail("internal", "Error", msg);
  };

  // Calls a host API function with one string/number argument; returns its string result, or
  // undefined after having reported the error.
  const call = (fn: QuickJSHandle, arg: string | number | undefined): string | undefined => {
    const a =
      arg === undefined ? undefined : typeof arg === "string" ? ctx.newString(arg) : ctx.newNumber(arg);
    const r = a ? ctx.callFunction(fn, ctx.undefined, a) : ctx.callFunction(fn, ctx.undefined);
    a?.dispose();
    if (r.error) {
      report(r.error, "run");
      r.error.dispose();
      return undefined;
    }
    const t = ctx.typeof(r.value);
    const s = t === "string" ? ctx.getString(r.value) : "";
    r.value.dispose();
    return s;
  };

  try {
    const boot = ctx.evalCode(init.runtime, "jql-runtime.js");
    if (boot.error) {
      const d = ctx.dump(boot.error) as { message?: string };
      boot.error.dispose();
      return fail("internal", "Error", `runtime failed to load: ${String(d?.message)}`);
    }
    boot.value.dispose();
    const host = ctx.getProp(ctx.global, "__jqlHost");
    const api = {
      setParams: ctx.getProp(host, "setParams"),
      plan: ctx.getProp(host, "plan"),
      start: ctx.getProp(host, "start"),
      push: ctx.getProp(host, "push"),
      finish: ctx.getProp(host, "finish"),
    };
    describe = ctx.getProp(host, "describeError");
    host.dispose();
    const del = ctx.evalCode("delete globalThis.__jqlHost");
    if (del.error) del.error.dispose();
    else del.value.dispose();

    if (call(api.setParams, init.paramsJson) === undefined) return;
    const compiled = ctx.evalCode(init.script, "<anonymous>");
    if (compiled.error) {
      report(compiled.error, "compile");
      compiled.error.dispose();
      return;
    }
    compiled.value.dispose();
    const plan = call(api.plan, undefined);
    if (plan === undefined) return;
    send({ t: "plan", plan });

    let done = false;
    port.on("message", (m: ToWorker) => {
      if (done) return;
      try {
        if (m.t === "start") {
          if (call(api.start, m.skip) === undefined) done = true;
          else send({ t: "pull" });
        } else if (m.t === "batch") {
          if (call(api.push, m.json) === undefined) done = true;
          else send({ t: "pull" });
        } else {
          done = true;
          const json = call(api.finish, init.maxOutputBytes);
          if (json === undefined) return;
          if (json === "" || Buffer.byteLength(json, "utf8") > init.maxOutputBytes)
            return fail("output", "Error", "output too large");
          send({ t: "result", json });
        }
      } catch (e) {
        done = true;
        hostFailure(e);
      }
    });
  } catch (e) {
    hostFailure(e);
  }
}
