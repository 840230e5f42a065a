/**
 * Saved reports. Mixpanel creates these in its web app; mpkit takes them through its App API, the CLI
 * and the `--config` file. Shapes follow Mixpanel's where they are public: funnel steps carry `event`
 * and an optional `selector` (expression), like the funnel definitions the web app exports.
 */

/** One funnel step: an event with an optional per-step filter (section 4.2). */
export interface FunnelStepDefinition {
  readonly event: string;
  /** Expression filtering this step's events (`selector` in Mixpanel's saved funnels). */
  readonly selector?: string | undefined;
  /** Display name; defaults to the event name (`step_label`, section 3.4). */
  readonly label?: string | undefined;
}

/** A saved funnel. */
export interface FunnelDefinition {
  readonly name: string;
  readonly steps: readonly FunnelStepDefinition[];
  /** Conversion window length (default 30). */
  readonly length?: number | undefined;
  /** `day|hour|minute|second` (default day). */
  readonly length_unit?: "day" | "hour" | "minute" | "second" | undefined;
}

/** A behavioural cohort rule: did `event` at least `min` (and at most `max`) times in the last `days` days. */
export interface BehaviorRule {
  readonly event: string;
  readonly selector?: string | undefined;
  readonly min?: number | undefined;
  readonly max?: number | undefined;
  readonly days: number;
}

/** A saved cohort: profile filter and behavioural rules, all of which must hold. */
export interface CohortDefinition {
  readonly name: string;
  readonly description?: string | undefined;
  /** Expression over profile properties. */
  readonly selector?: string | undefined;
  readonly behaviors?: readonly BehaviorRule[] | undefined;
  readonly is_visible?: boolean | undefined;
}

/** A saved Insights report: a segmentation-style query definition (section 3.16). */
export interface InsightDefinition {
  readonly name: string;
  /** Events measured, one series each. */
  readonly events: readonly string[];
  readonly type?: "general" | "unique" | "average" | undefined;
  readonly unit?: "hour" | "day" | "week" | "month" | undefined;
  /** Fixed range, or `last_days` ending today. */
  readonly from_date?: string | undefined;
  readonly to_date?: string | undefined;
  readonly last_days?: number | undefined;
  readonly on?: string | undefined;
  readonly where?: string | undefined;
}

/** Report kinds and their definitions. */
export interface ReportKinds {
  readonly funnel: FunnelDefinition;
  readonly cohort: CohortDefinition;
  readonly insight: InsightDefinition;
}

export type ReportKind = keyof ReportKinds;

/** A stored report. */
export interface SavedReport<K extends ReportKind = ReportKind> {
  readonly id: number;
  readonly projectId: number;
  readonly kind: K;
  readonly definition: ReportKinds[K];
  readonly createdMs: number;
  readonly updatedMs: number;
}
