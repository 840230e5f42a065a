/**
 * What a query needs to know about its project.
 *
 * @example
 * ```ts
 * const project: ProjectRef = { id: 1, timezone: "America/Los_Angeles" };
 * ```
 */
export interface ProjectRef {
  readonly id: number;
  /** IANA zone: buckets and `datetime()` literals are read in it (mixpanel-read-side.md section 1). */
  readonly timezone: string;
}
