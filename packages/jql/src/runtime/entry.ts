import type { Lib, Operator, Stage } from "./lib.js";

/**
 * Installs the JQL globals (`Events`, `People`, `join`, `mixpanel`, `params`, `_`) and returns the
 * host API the worker drives. The worker takes its handles to this API before the user's script
 * runs, so a script cannot intercept it.
 * Runs inside the sandbox (see lib.ts): self-contained.
 */
export function installEntry(lib: Lib, g: Record<string, unknown>): Record<string, unknown> {
  const define = (name: string, value: unknown) =>
    Object.defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
  define("Events", lib.Events);
  define("People", lib.People);
  define("join", lib.join);
  define("mixpanel", lib.mixpanel);
  define("params", {});
  // Scripts often keep console.log calls from debugging; output is discarded (the sandbox has no
  // channel to the host other than the query result).
  const noop = () => undefined;
  define("console", { log: noop, info: noop, warn: noop, error: noop, debug: noop });

  const stringify = lib.json.stringify;
  let stages: Stage[] = [];
  let out: unknown[] = [];
  let head: Operator | undefined;

  const describeStage = (s: Stage): Record<string, unknown> => {
    const reducers = () =>
      (s.reducers as unknown[]).map(
        (r) => lib.reducerImpl(r, s.op === "groupByUser" ? "user" : "group").plan,
      );
    switch (s.op) {
      case "sortAsc":
      case "sortDesc":
        return { op: s.op, accessor: lib.describeAccessor(s.accessor) };
      case "reduce":
        return { op: s.op, reducers: reducers(), list: !!s.list };
      case "groupBy":
      case "groupByUser":
        return { op: s.op, keys: lib.describeKeys(s.keys), reducers: reducers(), list: !!s.list };
      case "applyGroupLimits":
        return s.global === undefined
          ? { op: s.op, limits: s.limits }
          : { op: s.op, limits: s.limits, global: s.global };
      default:
        return { op: s.op };
    }
  };

  return {
    setParams(json: string) {
      define("params", lib.json.parse(json));
    },
    plan() {
      const main = g["main"];
      if (typeof main !== "function")
        throw new ReferenceError("main is not defined: a JQL script must define function main()");
      const result = (main as () => unknown)();
      if (!lib.isCollection(result))
        throw new TypeError("main() must return a collection built from Events(), People() or join()");
      const parts = lib.collectionParts(result);
      stages = parts.stages;
      return stringify({ source: parts.source, stages: stages.map(describeStage) });
    },
    start(skip: number) {
      out = [];
      const sink: Operator = {
        push(items) {
          for (let i = 0; i < items.length; i++) out.push(items[i]);
        },
        end() {},
      };
      head = lib.buildPipeline(stages, skip, sink);
    },
    push(json: string) {
      (head as Operator).push(lib.json.parse(json) as unknown[]);
    },
    finish(maxChars: number) {
      (head as Operator).end();
      const text = stringify(out) ?? "[]";
      out = [];
      // A string longer than the byte limit in UTF-16 units is longer in UTF-8 bytes too: refuse
      // it here, before it is copied out of the sandbox.
      if (text.length > maxChars) return "";
      return text;
    },
    describeError(e: unknown) {
      try {
        if (e !== null && typeof e === "object") {
          const err = e as Record<string, unknown>;
          return stringify({
            name: String(err["name"] ?? "Error"),
            message: String(err["message"] ?? ""),
            stack: String(err["stack"] ?? ""),
          });
        }
        return stringify({ name: "Error", message: String(e), stack: "" });
      } catch (_inner) {
        return stringify({
          name: "Error",
          message: "uncaught exception (could not be described)",
          stack: "",
        });
      }
    },
  };
}
