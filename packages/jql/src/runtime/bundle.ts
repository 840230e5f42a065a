import { installBuiltins } from "./builtins.js";
import { installCollections } from "./collection.js";
import { installEntry } from "./entry.js";
import { installPipeline } from "./pipeline.js";
import { installUnderscore } from "./underscore.js";
import { installValues } from "./values.js";

let cached: string | undefined;

/**
 * The JavaScript source of the in-sandbox JQL runtime: each `install*` function stringified with
 * `Function.prototype.toString` and called in order. Stringifying compiled functions (rather than
 * shipping a separate .js asset) works the same from `src` under vitest/tsx and from `dist` after
 * `tsc -b`, with no bundler. The functions are self-contained by construction (see lib.ts).
 * Evaluating it leaves the host API in `globalThis.__jqlHost` for the worker to take and delete.
 *
 * @example
 * ```ts
 * context.evalCode(runtimeSource(), "jql-runtime.js");
 * ```
 */
export function runtimeSource(): string {
  if (cached !== undefined) return cached;
  cached = [
    '"use strict";',
    // Transpilers that keep function names (esbuild keepNames, used by tsx) insert __name(...)
    // calls into function bodies; give them a no-op inside the sandbox.
    "var __name = function (f) { return f; };",
    "(function (g) {",
    "  var lib = {};",
    `  (${installValues.toString()})(lib);`,
    `  (${installBuiltins.toString()})(lib);`,
    `  (${installCollections.toString()})(lib);`,
    `  (${installPipeline.toString()})(lib);`,
    `  (${installUnderscore.toString()})(g);`,
    `  var host = (${installEntry.toString()})(lib, g);`,
    '  Object.defineProperty(g, "__jqlHost", { value: host, configurable: true, enumerable: false });',
    "})(globalThis);",
  ].join("\n");
  return cached;
}
