/**
 * Ingest steps return results instead of throwing (PostHog's pipeline style): a record is either kept,
 * dropped on purpose (Mixpanel's `$ignore`), or rejected with the field and message that Mixpanel's
 * `failed_records` bodies carry.
 */

/** Why a record was rejected, in the words of Mixpanel's `/import` validation errors. */
export interface Rejection {
  /** Dotted path of the offending field, e.g. `properties.time`. */
  readonly field: string;
  /** Human-readable reason, e.g. `'properties.time' is invalid: must not be in the future`. */
  readonly message: string;
}

export type StepResult<T> =
  | { readonly kind: "ok"; readonly value: T }
  | { readonly kind: "drop"; readonly reason: string }
  | { readonly kind: "reject"; readonly rejection: Rejection };

export const ok = <T>(value: T): StepResult<T> => ({ kind: "ok", value });
export const drop = (reason: string): StepResult<never> => ({ kind: "drop", reason });
export const reject = (field: string, message: string): StepResult<never> => ({
  kind: "reject",
  rejection: { field, message },
});
