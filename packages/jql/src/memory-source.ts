import type { JqlDataSource, JqlEvent, JqlEventQuery, JqlJoinTuple, JqlUser } from "./source.js";

/** Evaluates one selector expression. `scope` is what the expression can see. */
export type SelectorMatcher = (
  selector: string,
  scope: {
    readonly properties?: Readonly<Record<string, unknown>>;
    readonly user?: Readonly<Record<string, unknown>>;
  },
) => boolean;

/** Options of {@link createMemorySource}. */
export interface MemorySourceOptions {
  readonly events?: readonly JqlEvent[];
  readonly people?: readonly JqlUser[];
  /**
   * Evaluates selector strings. Without it, any query with a selector fails (the runtime must
   * never silently ignore a filter).
   */
  readonly matchSelector?: SelectorMatcher;
  /** Batch size of the yielded arrays. Default 1000. */
  readonly batchSize?: number;
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/**
 * An in-memory {@link JqlDataSource}: filters by date range, event names and selectors, sorts
 * events by time (the order `groupByUser` relies on) and yields them in batches.
 *
 * @example
 * ```ts
 * const source = createMemorySource({ events: [{ name: "a", distinct_id: "u1", time: Date.now(), properties: {} }] });
 * await runJql({ script, source });
 * ```
 */
export function createMemorySource(options: MemorySourceOptions): JqlDataSource {
  const events = [...(options.events ?? [])].sort((a, b) => a.time - b.time);
  const people = options.people ?? [];
  const size = options.batchSize ?? 1000;
  const match: SelectorMatcher =
    options.matchSelector ??
    ((selector) => {
      throw new Error(`memory source: no selector evaluator for ${JSON.stringify(selector)}`);
    });
  const keepEvent = (q: JqlEventQuery, e: JqlEvent): boolean => {
    if (e.time < q.fromMs || e.time >= q.toMs) return false;
    if (q.selectors.length === 0) return true;
    return q.selectors.some(
      (s) =>
        (s.event === undefined || s.event === e.name) &&
        (s.selector === undefined || match(s.selector, { properties: e.properties })),
    );
  };
  return {
    async *events(q) {
      yield* chunks(
        events.filter((e) => keepEvent(q, e)),
        size,
      );
    },
    async *people(q) {
      const kept =
        q.selectors.length === 0
          ? people
          : people.filter((u) =>
              q.selectors.some((s) => match(s.selector, { properties: u.properties, user: u.properties })),
            );
      yield* chunks(kept, size);
    },
    matchJoinSelector(selector: string, t: JqlJoinTuple) {
      const scope: {
        properties?: Readonly<Record<string, unknown>>;
        user?: Readonly<Record<string, unknown>>;
      } = {};
      if (t.event) scope.properties = t.event.properties;
      if (t.user) scope.user = t.user.properties;
      return match(selector, scope);
    },
  };
}
