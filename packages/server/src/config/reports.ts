import { QueryError, type ReportKind, type ReportStore, validateReport } from "@mpkit/query";
import { z } from "zod";

/** Config section → report kind, as in the App API's URL segments (`bookmarks` are Insights reports). */
export const CONFIG_REPORT_KINDS = { funnels: "funnel", cohorts: "cohort", bookmarks: "insight" } as const;

/**
 * One saved report in the config file: a stable `id` plus the fields the App API accepts. The fields are
 * checked by {@link validateReport} (in {@link checkConfigReports}), the App API's own validation, so a
 * report the API would refuse is refused at start too.
 */
const reportEntry = z.object({ id: z.number().int().positive() }).catchall(z.unknown());

/**
 * A project's `reports` section.
 *
 * @example
 * ```ts
 * reportsSchema.parse({ funnels: [{ id: 1, name: "Signup", steps: [{ event: "a" }, { event: "b" }] }] });
 * ```
 */
export const reportsSchema = z
  .object({
    funnels: z.array(reportEntry).optional(),
    cohorts: z.array(reportEntry).optional(),
    bookmarks: z.array(reportEntry).optional(),
  })
  .strict();

export type ConfigReports = z.infer<typeof reportsSchema>;

/** What {@link checkConfigReports} reads of each project. */
interface ProjectReports {
  readonly reports?: ConfigReports | undefined;
}

type Issue = { path: (string | number)[]; message: string };

/** `entry` without its `id`: the definition the App API would receive as a body. */
function definitionOf(entry: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, ...definition } = entry;
  return definition;
}

/**
 * Validates every configured report with the App API's validation and checks that ids are unique within
 * a project across kinds (the reports table numbers a project's reports together). Returns the problems,
 * each with its path below the project.
 *
 * @example
 * ```ts
 * checkConfigReports({ reports: { funnels: [{ id: 1, name: "f", steps: [] }] } });
 * // [{ path: ["reports", "funnels", 0], message: "'steps' must list at least 2 steps" }]
 * ```
 */
export function checkConfigReports(project: ProjectReports): Issue[] {
  const issues: Issue[] = [];
  if (project.reports === undefined) return issues;
  const seen = new Set<number>();
  for (const [section, kind] of Object.entries(CONFIG_REPORT_KINDS)) {
    (project.reports[section as keyof ConfigReports] ?? []).forEach((entry, i) => {
      const path = ["reports", section, i];
      if (seen.has(entry.id))
        issues.push({ path: [...path, "id"], message: `duplicate report id ${entry.id}` });
      seen.add(entry.id);
      try {
        validateReport(kind, definitionOf(entry));
      } catch (error) {
        if (!(error instanceof QueryError)) throw error;
        issues.push({ path, message: error.message });
      }
    });
  }
  return issues;
}

/**
 * Writes the configured reports into the reports store at start, by id: a report already stored with the
 * same definition is left alone, a changed one is replaced, so restarts never duplicate anything. The
 * config is the source of truth for its ids: an App API change to one of them lasts until the next start.
 * Reports removed from the config stay stored (delete them through the App API).
 *
 * @example
 * ```ts
 * await loadConfigReports(engine.reports, config.projects, Date.now());
 * ```
 */
export async function loadConfigReports(
  store: ReportStore,
  projects: readonly (ProjectReports & { readonly id: number })[],
  nowMs: number,
): Promise<void> {
  for (const project of projects) {
    if (project.reports === undefined) continue;
    for (const [section, kind] of Object.entries(CONFIG_REPORT_KINDS) as [
      keyof ConfigReports,
      ReportKind,
    ][]) {
      for (const [i, entry] of (project.reports[section] ?? []).entries()) {
        let definition: ReturnType<typeof validateReport>;
        try {
          definition = validateReport(kind, definitionOf(entry));
        } catch (error) {
          // A config object passed to createMpkitServer skips the schema: name the entry like the schema would.
          if (!(error instanceof QueryError)) throw error;
          throw new Error(
            `invalid config: projects[id=${project.id}].reports.${section}.${i}: ${error.message}`,
          );
        }
        const stored = await store.get(project.id, kind, entry.id);
        if (stored !== undefined && JSON.stringify(stored.definition) === JSON.stringify(definition))
          continue;
        if (stored !== undefined) await store.update(project.id, kind, entry.id, definition, nowMs);
        // Also replaces a report of another kind that holds this id: the config wins.
        else await store.create(project.id, kind, definition, nowMs, entry.id);
      }
    }
  }
}
