import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { FromWorker, ToWorker, WorkerInit } from "./protocol.js";
import { workerMain } from "./worker-main.js";

/** What the host can receive: a worker message, or the worker's death. */
export type HostEvent =
  | FromWorker
  | { readonly t: "exit"; readonly reason: "oom" | "crash"; readonly message: string };

const require = createRequire(import.meta.url);
let workerCode: string | undefined;

let engine: { path: string; module: WebAssembly.Module } | undefined;

/**
 * The quickjs-emscripten entry the worker loads and the engine's compiled WebAssembly module,
 * compiled once per process (synchronously, ~15 ms) and shared with every worker, so a query
 * does not pay for compiling the engine again.
 */
export function quickjsEngine(): { path: string; module: WebAssembly.Module } {
  if (!engine) {
    const path = require.resolve("quickjs-emscripten");
    // Resolved from quickjs-emscripten's own location: the variant is its dependency, not ours.
    const wasm = createRequire(path).resolve("@jitl/quickjs-wasmfile-release-sync/wasm");
    engine = { path, module: new WebAssembly.Module(readFileSync(wasm)) };
  }
  return engine;
}

/**
 * One single-use sandbox worker. The host talks to it only with strings (script, params, JSON
 * batches) and can kill it at any moment; `kill()` is what enforces the hard timeout even if the
 * interpreter never reaches an interrupt check.
 *
 * @example
 * ```ts
 * const w = new SandboxWorker(init, 64);
 * const first = await w.next(); // { t: "plan", ... } or an error
 * await w.kill();
 * ```
 */
export class SandboxWorker {
  private readonly worker: Worker;
  private readonly queue: HostEvent[] = [];
  private waiter: ((e: HostEvent) => void) | undefined;
  private dead = false;

  constructor(init: WorkerInit, hostHeapMb: number) {
    // __name: transpilers that keep function names (esbuild keepNames, used by tsx) call it from
    // inside the stringified function; the eval'd worker has no such helper otherwise.
    workerCode ??= `var __name = function (f) { return f; };\n(${workerMain.toString()})(require, require("node:worker_threads"));`;
    this.worker = new Worker(workerCode, {
      eval: true,
      workerData: init,
      // Bounds the worker's own V8 heap (batch strings, the result string). The QuickJS heap
      // lives in WASM memory and is bounded by QuickJS's own limit instead.
      resourceLimits: { maxOldGenerationSizeMb: hostHeapMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
      // Nothing from the server's environment reaches the worker.
      env: {},
      stdout: true,
      stderr: true,
    });
    this.worker.stdout.resume();
    this.worker.stderr.resume();
    this.worker.on("message", (m: FromWorker) => this.deliver(m));
    this.worker.on("error", (e: Error & { code?: string }) => {
      const oom = e.code === "ERR_WORKER_OUT_OF_MEMORY";
      this.deliver({ t: "exit", reason: oom ? "oom" : "crash", message: e.message });
    });
    this.worker.on("exit", (code) => {
      this.dead = true;
      this.deliver({ t: "exit", reason: "crash", message: `sandbox worker exited (code ${code})` });
    });
  }

  private deliver(e: HostEvent): void {
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w(e);
    } else this.queue.push(e);
  }

  /** The next message or death notice, in order. */
  next(): Promise<HostEvent> {
    const e = this.queue.shift();
    if (e) return Promise.resolve(e);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  send(m: ToWorker): void {
    if (!this.dead) this.worker.postMessage(m);
  }

  /** Terminates the worker thread (V8 TerminateExecution, also stops running WASM). */
  async kill(): Promise<void> {
    if (this.dead) return;
    this.dead = true;
    await this.worker.terminate();
  }
}
