/** Messages between the host (Node main thread) and the sandbox worker. Only strings cross. */

/** What the worker needs to start; passed as `workerData`. */
export interface WorkerInit {
  /** Absolute path of the quickjs-emscripten CommonJS entry, resolved on the host. */
  readonly quickjsPath: string;
  /** The QuickJS engine, compiled once per process on the host and shared with every worker. */
  readonly wasmModule: WebAssembly.Module;
  /** Hard cap of the WASM linear memory: it cannot grow past this, whatever QuickJS does. */
  readonly wasmMaxBytes: number;
  /** The in-sandbox runtime (runtime/bundle.ts). */
  readonly runtime: string;
  readonly script: string;
  readonly paramsJson: string;
  /** QuickJS heap limit in bytes. */
  readonly memoryBytes: number;
  /** QuickJS stack limit in bytes. */
  readonly stackBytes: number;
  /** Epoch ms after which the interpreter interrupts itself. */
  readonly deadline: number;
  readonly maxOutputBytes: number;
}

export type ErrorKind = "syntax" | "runtime" | "timeout" | "memory" | "output" | "internal";

export type FromWorker =
  | { readonly t: "plan"; readonly plan: string }
  | { readonly t: "pull" }
  | { readonly t: "result"; readonly json: string }
  | {
      readonly t: "error";
      readonly kind: ErrorKind;
      readonly name: string;
      readonly message: string;
      readonly stack: string;
    };

export type ToWorker =
  | { readonly t: "start"; readonly skip: number }
  | { readonly t: "batch"; readonly json: string }
  | { readonly t: "end" };
