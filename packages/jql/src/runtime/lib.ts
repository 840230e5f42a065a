/**
 * Shape of the library object the in-sandbox runtime modules share. Every `install*` function in
 * this folder is stringified (`Function.prototype.toString`) and evaluated INSIDE the QuickJS
 * sandbox, so those functions may only use their parameters and JavaScript built-ins: never an
 * import or a module-level binding. Types are erased, so type-only imports are fine.
 */

export type Fn1 = (item: unknown) => unknown;
export type AnyFn = (...args: unknown[]) => unknown;
export type Row = { key: unknown[]; value: unknown };

/** Plan description of an accessor (mirrors `JqlAccessorPlan` on the host). */
export type AccessorPlan = { kind: string; [k: string]: unknown };
/** Plan description of a reducer (mirrors `JqlReducerPlan`). */
export type ReducerPlan = { kind: string; [k: string]: unknown };

/**
 * A reducer as the engine runs it: an explicit state so partial results combine exactly (Mixpanel
 * runs reducers hierarchically over partial results: JQL reference, `reduce()`).
 */
export interface ReducerImpl {
  init(): unknown;
  add(state: unknown, items: unknown[]): unknown;
  done(state: unknown): unknown;
  plan: ReducerPlan;
}

/** A compiled stage of the chain. */
export interface Stage {
  op: string;
  fn?: Fn1;
  keys?: unknown;
  reducers?: unknown;
  list?: boolean;
  accessor?: unknown;
  limits?: number[];
  global?: number | undefined;
}

export interface SourceSpec {
  kind: "events" | "people" | "join";
  events?: {
    from_date: string;
    to_date: string;
    event_selectors: { event?: string; selector?: string; label?: string }[];
  };
  people?: { user_selectors: { selector: string }[] };
  type?: string;
  selectors?: { event?: string; selector?: string }[];
}

export interface Operator {
  push(items: unknown[]): void;
  end(): void;
}

export interface Lib {
  // values
  json: { parse: (s: string) => unknown; stringify: (v: unknown) => string | undefined };
  isArray: (v: unknown) => v is unknown[];
  getPath(item: unknown, path: string): unknown;
  accessor(spec: unknown, what: string): Fn1;
  describeAccessor(spec: unknown): AccessorPlan;
  tag<T extends object>(fn: T, prop: string, value: unknown): T;
  compareScalars(a: unknown, b: unknown): number;
  compareKeys(a: unknown[], b: unknown[]): number;
  toNumber(v: unknown): number | undefined;
  finiteNumber(v: unknown): number | undefined;
  // builtins
  reducerImpl(r: unknown, mode: "group" | "user"): ReducerImpl;
  compileKeys(spec: unknown, what: string): (item: unknown) => unknown[][];
  describeKeys(spec: unknown): AccessorPlan[];
  mixpanel: Record<string, unknown>;
  // collections
  isCollection(v: unknown): boolean;
  collectionParts(v: unknown): { source: SourceSpec; stages: Stage[] };
  Events: AnyFn;
  People: AnyFn;
  join: AnyFn;
  // pipeline
  buildPipeline(stages: Stage[], skip: number, sink: Operator): Operator;
}
